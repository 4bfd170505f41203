//! Resolution of arbitrary candidate spans: sorted, non-overlapping, a subset of the input,
//! independent of input order.
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;
use voile_core::{join_hyphenated_names, resolve_in_place};

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(text) = common::document(&mut u, 16) else { return };
    let Ok(mut spans) = common::spans(&mut u, text.len()) else { return };
    spans.retain(|s| {
        s.start < s.end
            && s.end <= text.len()
            && text.is_char_boundary(s.start)
            && text.is_char_boundary(s.end)
    });
    let mut reversed: Vec<_> = spans.iter().rev().cloned().collect();
    resolve_in_place(&mut spans);
    resolve_in_place(&mut reversed);
    assert_eq!(spans, reversed, "resolution depends on input order");
    join_hyphenated_names(&text, &mut spans);
    common::check_resolved(&text, &spans);
});
