//! Line gating: run an expensive regex only on the lines that can hold one of its matches.
//!
//! A family's regex scans every byte of the text, while its matches need a word or a digit
//! shape that most lines lack (a month name, `lotissement`, 12 digits for a NIR). A cheap
//! pass finds the lines that hold such a *trigger* and the regex then runs on those lines
//! only, with the text before them as context (`captures_at`), so its matches are exactly
//! those of a whole-text `captures_iter`/`find_iter`, provided the regex
//!
//! - never matches a line break (matches stay on one line),
//! - never matches the empty string,
//! - and every match contains a trigger.
//!
//! The searched haystack ends after the region's `\n`, so look-ahead (`\b`, `$`) at a line end
//! sees what it sees in the whole text.
//!
//! Triggers are matched ASCII-case-insensitively; with Unicode `(?i)` the regexes also match
//! `ſ` for `s` and the Kelvin sign for `k`, so a text holding either is searched whole.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{Captures, Match, Regex};

/// Byte ranges of lines (their `\n` excluded), in text order; adjacent lines are merged.
pub(crate) type Regions = Vec<(usize, usize)>;

/// Letters that Unicode case-insensitive matching equates with an ASCII letter.
const FOLD_TRAPS: [&str; 2] = ["ſ", "\u{212A}"];

/// Trigger words of several regexes (families), found in one Aho-Corasick pass.
pub(crate) struct Triggers {
    ac: AhoCorasick,
    /// Family of each pattern; `None` for the fold traps.
    family: Vec<Option<usize>>,
    families: usize,
}

impl Triggers {
    /// `families[f]` are the trigger words of family `f`, matched ASCII-case-insensitively;
    /// a word with non-ASCII letters is given with every case spelling the regex accepts
    /// (see [`case_variants`]).
    pub(crate) fn new(families: &[&[&str]]) -> Triggers {
        let mut patterns = Vec::new();
        let mut family = Vec::new();
        for (f, words) in families.iter().enumerate() {
            for v in words.iter().flat_map(|w| case_variants(w)) {
                patterns.push(v);
                family.push(Some(f));
            }
        }
        for t in FOLD_TRAPS {
            patterns.push(t.to_string());
            family.push(None);
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("trigger words build");
        Triggers {
            ac,
            family,
            families: families.len(),
        }
    }

    /// For each family, the lines holding one of its triggers; the whole text for every
    /// family when it holds a fold trap.
    pub(crate) fn lines(&self, text: &str) -> Vec<Regions> {
        let mut regions = vec![Regions::new(); self.families];
        // Overlapping search: a trigger of one family inside another's still counts.
        let mut line = (0, 0);
        let mut have_line = false;
        for m in self.ac.find_overlapping_iter(text) {
            let Some(f) = self.family[m.pattern().as_usize()] else {
                return vec![vec![(0, text.len())]; self.families];
            };
            if !have_line || m.start() > line.1 {
                line = line_of(text, m.start());
                have_line = true;
            }
            push_line(&mut regions[f], line.0, line.1);
        }
        regions
    }
}

/// Every spelling of `word` under Unicode case folding of its non-ASCII letters
/// (`mère` → `mère`, `mÈre`); ASCII letters are left to the case-insensitive matcher.
pub(crate) fn case_variants(word: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for c in word.chars() {
        let upper: Vec<char> = c.to_uppercase().collect();
        let alt = (!c.is_ascii() && upper.len() == 1 && upper[0] != c).then(|| upper[0]);
        out = out
            .into_iter()
            .flat_map(|p| {
                let mut v = vec![format!("{p}{c}")];
                if let Some(u) = alt {
                    v.push(format!("{p}{u}"));
                }
                v
            })
            .collect();
    }
    out
}

/// The lines where `keep(line bytes)` holds.
pub(crate) fn lines_where(text: &str, keep: impl Fn(&[u8]) -> bool) -> Regions {
    let mut regions = Regions::new();
    let mut s = 0;
    for line in text.as_bytes().split(|&b| b == b'\n') {
        let e = s + line.len();
        if keep(line) {
            push_line(&mut regions, s, e);
        }
        s = e + 1;
    }
    regions
}

/// The whole line holding `pos`, its `\n` excluded.
fn line_of(text: &str, pos: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let s = b[..pos]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1);
    let e = b[pos..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |i| pos + i);
    (s, e)
}

fn push_line(regions: &mut Regions, s: usize, e: usize) {
    match regions.last_mut() {
        Some(last) if last.1 == e => {}
        Some(last) if last.1 + 1 == s => last.1 = e,
        _ => regions.push((s, e)),
    }
}

/// `re.captures_iter(text)`, searching the regions only (see the module doc).
pub(crate) fn captures<'r, 't>(
    re: &'r Regex,
    text: &'t str,
    regions: &'r [(usize, usize)],
) -> impl Iterator<Item = Captures<'t>> + 'r
where
    't: 'r,
{
    let mut k = 0;
    let mut pos = regions.first().map_or(0, |r| r.0);
    std::iter::from_fn(move || loop {
        let &(s, e) = regions.get(k)?;
        pos = pos.max(s);
        if let Some(c) = re.captures_at(&text[..(e + 1).min(text.len())], pos) {
            let m = c.get(0).expect("group 0");
            debug_assert!(m.end() > m.start(), "gated regexes never match empty");
            pos = m.end().max(pos + 1);
            return Some(c);
        }
        k += 1;
    })
}

/// `re.find_iter(text)`, searching the regions only (see the module doc).
pub(crate) fn find<'r, 't>(
    re: &'r Regex,
    text: &'t str,
    regions: &'r [(usize, usize)],
) -> impl Iterator<Item = Match<'t>> + 'r
where
    't: 'r,
{
    let mut k = 0;
    let mut pos = regions.first().map_or(0, |r| r.0);
    std::iter::from_fn(move || loop {
        let &(s, e) = regions.get(k)?;
        pos = pos.max(s);
        if let Some(m) = re.find_at(&text[..(e + 1).min(text.len())], pos) {
            debug_assert!(m.end() > m.start(), "gated regexes never match empty");
            pos = m.end().max(pos + 1);
            return Some(m);
        }
        k += 1;
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_lines_are_merged_and_whole() {
        let t = Triggers::new(&[&["mars", "déc"], &["rien", "ars"]]);
        let text = "a\nle 3 MARS\nDÉC et mars\nrien\nen déc";
        let all = t.lines(text);
        assert_eq!(all[1], vec![(2, 29)]);
        let lines = &all[0];
        assert_eq!(*lines, vec![(2, 24), (30, text.len())]);
        assert_eq!(&text[lines[0].0..lines[0].1], "le 3 MARS\nDÉC et mars");
        // `ſ` matches `s` under Unicode case folding: the whole text is searched.
        let trap = "maſ\nx";
        assert_eq!(t.lines(trap)[1], vec![(0, trap.len())]);
    }

    #[test]
    fn gated_search_equals_whole_search() {
        let re = Regex::new(r"(?i)(?-u:\b)m[aä]rs(?-u:\b) ([0-9]+)").unwrap();
        let text = "mars 1\nx mars 2 mars 3\n\nMARS 4mars 5\nnothing 6\nmars 7";
        let regions = Triggers::new(&[&["mars", "märs"]]).lines(text).remove(0);
        let whole: Vec<_> = re
            .captures_iter(text)
            .map(|c| c.get(0).unwrap().range())
            .collect();
        let gated: Vec<_> = captures(&re, text, &regions)
            .map(|c| c.get(0).unwrap().range())
            .collect();
        assert_eq!(gated, whole);
        let found: Vec<_> = find(&re, text, &regions).map(|m| m.range()).collect();
        assert_eq!(found, whole);
        assert_eq!(whole.len(), 5);
    }

    #[test]
    fn variants_cover_non_ascii_cases() {
        assert_eq!(case_variants("mère"), vec!["mère", "mÈre"]);
        assert_eq!(case_variants("déc").len(), 2);
        assert_eq!(case_variants("abc"), vec!["abc"]);
    }

    #[test]
    fn lines_where_digits() {
        let text = "ab\n12\n3\nx";
        assert_eq!(
            lines_where(text, |l| l.iter().any(u8::is_ascii_digit)),
            vec![(3, 7)]
        );
    }
}
