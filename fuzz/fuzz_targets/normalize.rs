//! The normalised view: every span on it maps back inside the original, on char boundaries,
//! in order (characters of one replaced unit may share its range); ASCII letters and digits map
//! back to themselves (with their unit's combining marks).
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;
use voile_core::normalize::normalize;
use unicode_normalization::char::is_combining_mark;
use voile_core::{Label, Span};

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(text) = common::document(&mut u, 32) else { return };
    let view = normalize(&text);
    let norm = view.text();
    let mut last_end = 0;
    for (p, c) in norm.char_indices() {
        let mut s = Span::new(p, p + c.len_utf8(), Label::Nom, "fuzz", 1.0);
        assert!(view.span_to_original(&mut s), "a character mapped to nothing");
        // Characters of one replaced unit that grew (U+0344 → U+0308 U+0301) share its range.
        let same_unit = s.start < last_end && s.end == last_end;
        assert!(
            s.end <= text.len() && (s.start >= last_end || same_unit),
            "mapping out of order"
        );
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        if c.is_ascii_alphanumeric() {
            // Itself, with the combining marks of its unit when it has some: a span never
            // splits a letter from its accents (`t` + U+0333 stays one unit even unchanged).
            let back = &text[s.start..s.end];
            assert!(
                back.starts_with(c) && back[1..].chars().all(is_combining_mark),
                "at {p} of the view {norm:?}, from {text:?}"
            );
        }
        last_end = s.end;
    }
});
