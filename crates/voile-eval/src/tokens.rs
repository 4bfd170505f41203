//! The label-agnostic tokenisation behind token metrics and the leak rate.
//!
//! A token is a maximal run of word characters, or a single character that is neither a word
//! character nor whitespace — exactly Python's `re.findall(r"\w+|[^\w\s]", text)` on a `str`:
//! - word character: Unicode general category L* (letters) or N* (numbers), or `_`;
//! - whitespace: Python's `str.isspace()` set, i.e. Rust's `char::is_whitespace` plus the
//!   separators U+001C..U+001F.

use regex::Regex;
use std::sync::OnceLock;
use voile_core::Span;

fn token_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s\x{1C}-\x{1F}]").expect("valid token regex")
    })
}

/// Byte ranges of the tokens of `text`, in order.
pub fn tokenize(text: &str) -> Vec<(usize, usize)> {
    token_regex()
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect()
}

/// For each token, the index of the first span (in `spans`, sorted by start and
/// non-overlapping) that overlaps it — shares at least one character — or `None`.
pub fn covering_spans(tokens: &[(usize, usize)], spans: &[Span]) -> Vec<Option<usize>> {
    let mut j = 0;
    tokens
        .iter()
        .map(|&(a, b)| {
            while j < spans.len() && spans[j].end <= a {
                j += 1;
            }
            (j < spans.len() && spans[j].start < b).then_some(j)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use voile_core::Label;

    fn surfaces(text: &str) -> Vec<&str> {
        tokenize(text)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect()
    }

    #[test]
    fn words_and_single_punctuation_like_python() {
        // re.findall(r"\w+|[^\w\s]", "Né le 12/04/1957 à l'hôpital: Jean-Pierre_2 ½€")
        assert_eq!(
            surfaces("Né le 12/04/1957 à l'hôpital: Jean-Pierre_2 ½€"),
            [
                "Né", "le", "12", "/", "04", "/", "1957", "à", "l", "'", "hôpital", ":", "Jean",
                "-", "Pierre_2", "½", "€"
            ]
        );
        // NBSP and narrow NBSP are whitespace; U+001F too (Python isspace).
        assert_eq!(surfaces("a\u{a0}b\u{202f}c\u{1f}d"), ["a", "b", "c", "d"]);
        // A combining accent (NFD) is not a word character: its own token, like Python.
        assert_eq!(surfaces("e\u{301}t"), ["e", "\u{301}", "t"]);
    }

    #[test]
    fn coverage_is_any_overlap() {
        let text = "Jean DUPONT-MARTIN vu";
        let toks = tokenize(text); // Jean DUPONT - MARTIN vu
        let spans = vec![
            Span::new(2, 3, Label::Prenom, "t", 1.0),
            Span::new(12, 14, Label::Nom, "t", 1.0),
        ];
        assert_eq!(
            covering_spans(&toks, &spans),
            vec![Some(0), None, None, Some(1), None]
        );
    }
}
