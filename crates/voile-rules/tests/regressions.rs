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
