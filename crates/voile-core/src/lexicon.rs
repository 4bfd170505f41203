//! Word lists kept as data (`gazetteers/lexicons/*.tsv`), compiled into the crate that reads
//! them with `include_str!` and parsed once on first use.
//!
//! A [`Lexicon`] dereferences to a slice of its entries, so detector code reads
//! `TITLES.contains(&w)` whether the words live in code or in a file. File format: one entry
//! per line (first tab-separated column), folded (lowercase, no accents) unless the file says
//! otherwise; blank lines and lines starting with `#` are ignored.

use std::ops::Deref;
use std::sync::OnceLock;

pub struct Lexicon {
    data: &'static str,
    words: OnceLock<Vec<&'static str>>,
}

impl Lexicon {
    /// A lexicon over a file's contents (`include_str!`).
    pub const fn new(data: &'static str) -> Lexicon {
        Lexicon {
            data,
            words: OnceLock::new(),
        }
    }

    pub fn words(&self) -> &[&'static str] {
        self.words.get_or_init(|| entries(self.data).collect())
    }
}

impl Deref for Lexicon {
    type Target = [&'static str];

    fn deref(&self) -> &Self::Target {
        self.words()
    }
}

/// The rows of a lexicon file (all columns), trimmed, without blank and comment lines.
pub fn rows(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The entries (first column) of a lexicon file.
pub fn entries(data: &'static str) -> impl Iterator<Item = &'static str> {
    rows(data).map(|l| l.split('\t').next().unwrap_or("").trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    static SAMPLE: Lexicon = Lexicon::new("# comment\ndr\n\nmme\tmadame\n  pr \n");

    #[test]
    fn entries_skip_comments_and_blank_lines_and_keep_the_first_column() {
        assert_eq!(SAMPLE.words(), &["dr", "mme", "pr"]);
        assert!(SAMPLE.contains(&"mme"));
        assert!(!SAMPLE.contains(&"madame"));
        assert_eq!(SAMPLE.iter().count(), 3);
    }
}
