//! One test per bug found, named after it. Every detector family must survive these inputs
//! and return spans inside the text, on character boundaries.

use voile_core::{Detector, Span};
use voile_rules::{Rules, RulesConfig};

fn detect(text: &str) -> Vec<Span> {
    let rules = Rules::new(&RulesConfig::default()).unwrap();
    let mut spans = Vec::new();
    rules.detect(text, &mut spans);
    for s in &spans {
        assert!(
            s.start < s.end && s.end <= text.len(),
            "span out of range: {s:?}"
        );
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    }
    spans
}

/// Issue 10: a 5-digit number followed by a capitalised word longer than ~512 bytes
/// panicked in the address detector, killing the run.
#[test]
fn postcode_followed_by_a_very_long_capitalised_word_does_not_panic() {
    for n in [500, 511, 512, 513, 600, 2000] {
        for word in [
            format!("A{}", "b".repeat(n)),
            format!("É{}", "é".repeat(n / 2)),
            "B".repeat(n),
        ] {
            detect(&format!("75012 {word}"));
            detect(&format!("12 rue {word} 75012 {word} CEDEX"));
            detect(&format!("CP : 69003 {word}\nsuite"));
        }
    }
}

/// Found by the `rules` fuzz target: a postcode after more than a line window (512 bytes) of
/// blanks, itself after a multi-byte character, made the address-line reader step back into
/// that character.
#[test]
fn postcode_after_a_window_of_blanks_past_a_wide_character_does_not_panic() {
    for blanks in [510, 511, 512, 513, 520] {
        for wide in ["é", "\u{a0}", "€", "😀"] {
            let text = format!("{}{}75012 Paris", wide.repeat(10), " ".repeat(blanks));
            detect(&text);
        }
    }
}
