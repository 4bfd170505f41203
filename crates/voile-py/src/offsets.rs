//! Byte offsets (inside voile) to code points (Python `str` indexes) and back, through the
//! same `OffsetMap` the CLI's JSONL writer uses, so both report identical offsets.

use crate::types::{PyReplacement, PySpan};
use voile::corpus::OffsetMap;
use voile::{PseudoOutput, Span};

/// The CLI's JSONL score: rounded to 4 decimals in `f32`, then read back as the shortest
/// decimal that denotes that `f32` (what a JSON reader of the CLI's output gets), so
/// `0.95` stays `0.95` and not `0.949999988…`.
pub fn score(s: f32) -> f64 {
    let rounded = (s * 10_000.0).round() / 10_000.0;
    rounded
        .to_string()
        .parse()
        .expect("a finite f32 prints as a number")
}

/// Spans with byte offsets into `text` → Python spans with code-point offsets.
pub fn spans_to_py(text: &str, spans: &[Span]) -> Vec<PySpan> {
    let map = OffsetMap::new(text);
    spans
        .iter()
        .map(|s| PySpan {
            start: map.byte_to_cp(s.start),
            end: map.byte_to_cp(s.end),
            label: s.label.as_str().to_string(),
            score: score(s.score),
            source: s.source.as_str().to_string(),
        })
        .collect()
}

/// Replacements of `out` (output ranges in `out.text`, original ranges in `input`).
pub fn replacements_to_py(input: &str, out: &PseudoOutput) -> Vec<PyReplacement> {
    let in_map = OffsetMap::new(input);
    let out_map = OffsetMap::new(&out.text);
    out.replacements
        .iter()
        .map(|r| PyReplacement {
            start: out_map.byte_to_cp(r.output.start),
            end: out_map.byte_to_cp(r.output.end),
            label: r.label.as_str().to_string(),
            operator: r.operator.as_str().to_string(),
            original_start: in_map.byte_to_cp(r.original.start),
            original_end: in_map.byte_to_cp(r.original.end),
            fallback: r.fallback,
        })
        .collect()
}

/// A code-point range → byte range; `None` when out of the text or empty/reversed.
pub fn cp_range_to_bytes(map: &OffsetMap<'_>, start: usize, end: usize) -> Option<(usize, usize)> {
    let (b0, b1) = (map.cp_to_byte(start)?, map.cp_to_byte(end)?);
    (b0 < b1).then_some((b0, b1))
}
