//! Vocabularies of the rule detectors kept as data (`gazetteers/lexicons/*.tsv`, compiled in):
//! weekday words, month words of glued/exported dates, phone extension cues, address words. Entries are
//! folded (lowercase, no accents); `#` lines are comments; columns are tab-separated.

use std::sync::OnceLock;
use voile_core::lexicon::rows as entries;
use voile_core::lexicon::Lexicon;

/// Titles before a person name (`dr`, `mme`, `professeur`…), folded: the project's one list,
/// shared with the gazetteer detector and the safe-list.
pub(crate) static TITLES: Lexicon =
    Lexicon::new(include_str!("../../../gazetteers/lexicons/titres.tsv"));

const WEEKDAYS: &str = include_str!("../../../gazetteers/lexicons/weekdays.tsv");
const MONTHS: &str = include_str!("../../../gazetteers/lexicons/months_compact.tsv");
const EXTENSION_CUES: &str = include_str!("../../../gazetteers/lexicons/phone_extension_cues.tsv");
const ADDRESS_WORDS: &str = include_str!("../../../gazetteers/lexicons/adresse_mots.tsv");
const EXPORT_FIELDS: &str = include_str!("../../../gazetteers/lexicons/champs_export.tsv");

/// Folded weekday words, French and English, full and abbreviated.
pub(crate) fn weekdays() -> &'static [&'static str] {
    static W: OnceLock<Vec<&'static str>> = OnceLock::new();
    W.get_or_init(|| entries(WEEKDAYS).collect())
}

fn months() -> &'static [(&'static str, u32)] {
    static M: OnceLock<Vec<(&'static str, u32)>> = OnceLock::new();
    M.get_or_init(|| {
        entries(MONTHS)
            .filter_map(|l| {
                let (w, n) = l.split_once('\t')?;
                Some((w.trim(), n.trim().parse().ok()?))
            })
            .collect()
    })
}

/// Month number of a folded month word of the compact/English list (`jun` → 6).
pub(crate) fn month_of(folded: &str) -> Option<u32> {
    months().iter().find(|(w, _)| *w == folded).map(|&(_, n)| n)
}

/// Regex alternation of the month words, longest first, accents made optional (`f[ée]v`).
pub(crate) fn month_alternation() -> String {
    let mut ws: Vec<&str> = months().iter().map(|&(w, _)| w).collect();
    ws.sort_by_key(|w| std::cmp::Reverse(w.len()));
    ws.dedup();
    ws.iter()
        .map(|w| accent_pattern(w))
        .collect::<Vec<_>>()
        .join("|")
}

/// A folded word as a pattern that also matches its accented spellings (`tel` → `t[eéè]l`).
pub(crate) fn accent_pattern(w: &str) -> String {
    w.chars()
        .map(|c| match c {
            'e' => "[eéè]".to_string(),
            'u' => "[uû]".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Regex alternation of the weekday words, longest first.
pub(crate) fn weekday_alternation() -> String {
    let mut ws: Vec<&str> = weekdays().to_vec();
    ws.sort_by_key(|w| std::cmp::Reverse(w.len()));
    ws.join("|")
}

/// Folded cue words of short phone extensions (`poste`, `bip`, `DECT`).
pub(crate) fn extension_cues() -> &'static [&'static str] {
    static E: OnceLock<Vec<&'static str>> = OnceLock::new();
    E.get_or_init(|| entries(EXTENSION_CUES).collect())
}

/// Folded words that make the segment before a postcode an address (`mas`, `résidence`, `pk`).
pub(crate) fn address_words() -> &'static [&'static str] {
    static A: OnceLock<Vec<&'static str>> = OnceLock::new();
    A.get_or_init(|| entries(ADDRESS_WORDS).collect())
}

/// Folded export field names and the label name of their values (`ipp` → `IPP`).
pub(crate) fn export_fields() -> &'static [(&'static str, &'static str)] {
    static F: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    F.get_or_init(|| {
        entries(EXPORT_FIELDS)
            .filter_map(|l| l.split_once('\t').map(|(k, v)| (k.trim(), v.trim())))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicons_load() {
        assert!(weekdays().contains(&"mardi") && weekdays().contains(&"tue"));
        assert_eq!(month_of("jun"), Some(6));
        assert_eq!(month_of("fev"), Some(2));
        assert_eq!(month_of("xyz"), None);
        assert!(extension_cues().contains(&"poste"));
        assert!(month_alternation().contains("f[eéè]v"));
    }
}
