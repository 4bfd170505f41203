//! Longest whole-word list match at a position of folded text, by hashing word-boundary
//! prefixes.
//!
//! Why not Aho-Corasick: every search here is anchored at a word start and must end on a word
//! boundary, so failure transitions are never used, yet building them for ~150k patterns took
//! ~200–800 ms at start-up. Two hash tables build in a few tens of milliseconds: the patterns,
//! and every proper prefix of a multi-word pattern that ends on a word boundary (so a scan
//! stops at the first prefix no pattern continues).

use crate::fold::is_word_byte;
use rustc_hash::{FxHashMap, FxHashSet};

/// Folded patterns (each with a caller-chosen id) and their word-boundary prefixes.
#[derive(Debug, Default)]
pub struct PatternIndex {
    patterns: FxHashMap<Box<str>, u32>,
    prefixes: FxHashSet<Box<str>>,
    max_len: usize,
}

/// Is byte position `e` of `s` (`e > 0`) the end of a word: end of text, a non-word byte
/// next, or just after an abbreviation dot (`dr.`)?
fn is_boundary(s: &[u8], e: usize) -> bool {
    e == s.len() || !is_word_byte(s[e]) || s[e - 1] == b'.'
}

/// The first word boundary strictly after `from`.
fn next_boundary(s: &[u8], from: usize) -> usize {
    let mut e = from + 1;
    while e < s.len() && !is_boundary(s, e) {
        e += 1;
    }
    e.min(s.len())
}

impl PatternIndex {
    /// Index `(pattern, id)` pairs; a repeated pattern keeps its first id.
    pub fn new<'a>(patterns: impl IntoIterator<Item = (&'a str, u32)>) -> Self {
        let patterns = patterns.into_iter();
        let mut index = PatternIndex::default();
        index.patterns.reserve(patterns.size_hint().0);
        for (p, id) in patterns {
            if p.is_empty() {
                continue;
            }
            index.max_len = index.max_len.max(p.len());
            let bytes = p.as_bytes();
            let mut e = next_boundary(bytes, 0);
            while e < bytes.len() {
                if !index.prefixes.contains(&p[..e]) {
                    index.prefixes.insert(p[..e].into());
                }
                e = next_boundary(bytes, e);
            }
            index.patterns.entry(p.into()).or_insert(id);
        }
        index
    }

    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// The longest pattern equal to `folded[start..end]` with `end` a word boundary, as
    /// `(end, id)`. `start` must be a char boundary (callers pass word starts).
    pub fn longest_at(&self, folded: &str, start: usize) -> Option<(usize, u32)> {
        let bytes = folded.as_bytes();
        let limit = (start + self.max_len).min(bytes.len());
        let mut best = None;
        let mut e = next_boundary(bytes, start);
        while e <= limit {
            let key = &folded[start..e];
            if let Some(&id) = self.patterns.get(key) {
                best = Some((e, id));
            }
            if e == bytes.len() || !self.prefixes.contains(key) {
                break;
            }
            e = next_boundary(bytes, e);
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> PatternIndex {
        PatternIndex::new([
            ("jean", 0),
            ("jean-pierre", 1),
            ("centre hospitalier de lyon", 2),
            ("dr.", 3),
            ("saint-jean-de-luz", 4),
            ("lyon", 5),
            ("jean", 9),
        ])
    }

    #[test]
    fn longest_whole_word_match_wins() {
        let ix = index();
        assert_eq!(ix.len(), 6);
        assert_eq!(ix.longest_at("jean-pierre dupont", 0), Some((11, 1)));
        assert_eq!(ix.longest_at("jean-paul", 0), Some((4, 0)));
        assert_eq!(ix.longest_at("jean", 0), Some((4, 0)), "first id kept");
        assert_eq!(
            ix.longest_at("vu au centre hospitalier de lyon.", 6),
            Some((32, 2))
        );
        assert_eq!(ix.longest_at("centre hospitalier de lyonnais", 0), None);
        assert_eq!(ix.longest_at("x saint-jean-de-luz", 2), Some((19, 4)));
    }

    #[test]
    fn matches_end_only_on_word_boundaries() {
        let ix = index();
        assert_eq!(ix.longest_at("jeanne", 0), None);
        assert_eq!(ix.longest_at("lyonnais", 0), None);
        assert_eq!(ix.longest_at("dr.martin", 0), Some((3, 3)));
        assert_eq!(ix.longest_at("lyon", 0), Some((4, 5)));
        assert_eq!(ix.longest_at("", 0), None);
        assert_eq!(PatternIndex::new([]).len(), 0);
    }

    #[test]
    fn non_ascii_folded_bytes_are_word_bytes() {
        let ix = PatternIndex::new([("bœuf", 0), ("zoé", 1)]);
        assert_eq!(ix.longest_at("bœuf gras", 0), Some(("bœuf".len(), 0)));
        assert_eq!(ix.longest_at("zoéa", 0), None);
    }
}
