//! Noise variants (capitalised blocks, stripped accents, OCR-like swaps, doubled spaces, broken
//! lines) applied as byte-range edits that never straddle a span boundary, so every span is
//! remapped exactly: its new surface is what the transformation made of its old one.

use crate::gen::text::strip_char;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use voile_core::Span;

/// How much noise the generator adds. Rates are probabilities in `[0, 1]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoiseOptions {
    /// Share of documents that receive any noise.
    pub doc_rate: f64,
    /// Among noisy documents, share with the whole text upper-cased.
    pub upper_doc: f64,
    /// Among noisy documents, share with some lines upper-cased.
    pub upper_lines: f64,
    /// Among noisy documents, share with every accent stripped.
    pub no_accents: f64,
    /// Among noisy documents, share with OCR-like character swaps.
    pub ocr: f64,
    /// Per-character swap probability when OCR noise applies.
    pub ocr_char_rate: f64,
    /// Among noisy documents, share with some spaces doubled.
    pub double_spaces: f64,
    /// Among noisy documents, share with hard line breaks inserted mid-sentence.
    pub line_breaks: f64,
}

impl Default for NoiseOptions {
    fn default() -> Self {
        NoiseOptions {
            doc_rate: 0.3,
            upper_doc: 0.06,
            upper_lines: 0.3,
            no_accents: 0.3,
            ocr: 0.3,
            ocr_char_rate: 0.015,
            double_spaces: 0.25,
            line_breaks: 0.3,
        }
    }
}

impl NoiseOptions {
    /// No noise at all.
    pub fn none() -> Self {
        NoiseOptions {
            doc_rate: 0.0,
            ..NoiseOptions::default()
        }
    }
}

/// Replace `start..end` (byte range, non-empty) by `with`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub with: String,
}

/// Apply sorted, non-overlapping edits and remap spans. Each edit must lie entirely inside one
/// span or entirely outside every span (the edit builders below guarantee it).
pub fn apply_edits(text: &str, spans: &[Span], edits: &[Edit]) -> (String, Vec<Span>) {
    let mut out = String::with_capacity(text.len() + 16);
    let mut pos = 0;
    // (old end, cumulative delta after this edit) for offset remapping.
    let mut shifts: Vec<(usize, isize)> = Vec::with_capacity(edits.len());
    let mut delta = 0isize;
    for e in edits {
        debug_assert!(
            e.start >= pos && e.start < e.end,
            "edits must be sorted and non-empty"
        );
        debug_assert!(
            spans.iter().all(|s| (e.start >= s.start && e.end <= s.end)
                || e.end <= s.start
                || e.start >= s.end),
            "edit {}..{} straddles a span boundary",
            e.start,
            e.end
        );
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.with);
        pos = e.end;
        delta += e.with.len() as isize - (e.end - e.start) as isize;
        shifts.push((e.end, delta));
    }
    out.push_str(&text[pos..]);
    let map = |b: usize| -> usize {
        let i = shifts.partition_point(|&(end, _)| end <= b);
        let d = if i == 0 { 0 } else { shifts[i - 1].1 };
        (b as isize + d) as usize
    };
    let spans = spans
        .iter()
        .map(|s| Span {
            start: map(s.start),
            end: map(s.end),
            ..s.clone()
        })
        .collect();
    (out, spans)
}

/// Which span (index) a byte belongs to, or `None` outside spans; spans sorted.
fn segment(spans: &[Span], b: usize) -> Option<usize> {
    let i = spans.partition_point(|s| s.end <= b);
    spans.get(i).filter(|s| s.start <= b).map(|_| i)
}

/// Upper-case every char in `ranges` (byte ranges on line boundaries or the whole text).
pub fn upper_edits(text: &str, ranges: &[(usize, usize)]) -> Vec<Edit> {
    let mut edits = Vec::new();
    for &(lo, hi) in ranges {
        for (i, c) in text[lo..hi].char_indices() {
            let up: String = c.to_uppercase().collect();
            if up.len() != c.len_utf8() || !up.starts_with(c) {
                edits.push(Edit {
                    start: lo + i,
                    end: lo + i + c.len_utf8(),
                    with: up,
                });
            }
        }
    }
    edits
}

pub fn strip_accent_edits(text: &str) -> Vec<Edit> {
    text.char_indices()
        .filter_map(|(i, c)| {
            strip_char(c).map(|r| Edit {
                start: i,
                end: i + c.len_utf8(),
                with: r.to_string(),
            })
        })
        .collect()
}

/// Sparse OCR confusions, inside and outside spans alike; `rn`→`m` only within one segment.
pub fn ocr_edits(text: &str, spans: &[Span], rate: f64, rng: &mut Rng) -> Vec<Edit> {
    let mut edits = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        k += 1;
        if !rng.prob(rate) {
            continue;
        }
        let next = chars.get(k).copied();
        let with = match c {
            'r' if next
                .is_some_and(|(j, n)| n == 'n' && segment(spans, j) == segment(spans, i)) =>
            {
                k += 1;
                edits.push(Edit {
                    start: i,
                    end: i + 2,
                    with: "m".into(),
                });
                continue;
            }
            'l' | 'I' => "1",
            '1' => "l",
            'O' => "0",
            '0' => "O",
            'm' => "rn",
            'é' | 'è' | 'ê' => "e",
            'à' => "a",
            'e' => "c",
            'S' => "5",
            'B' => "8",
            _ => continue,
        };
        edits.push(Edit {
            start: i,
            end: i + c.len_utf8(),
            with: with.into(),
        });
    }
    edits
}

pub fn double_space_edits(text: &str, rate: f64, rng: &mut Rng) -> Vec<Edit> {
    text.match_indices(' ')
        .filter(|_| rng.prob(rate))
        .map(|(i, _)| Edit {
            start: i,
            end: i + 1,
            with: "  ".into(),
        })
        .collect()
}

/// Replace a space outside every span by a newline, in a share of lines long enough to wrap.
pub fn line_break_edits(text: &str, spans: &[Span], rate: f64, rng: &mut Rng) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        if body.len() > 30 && rng.prob(rate) {
            let candidates: Vec<usize> = body
                .match_indices(' ')
                .map(|(i, _)| line_start + i)
                .filter(|&b| {
                    b > line_start + 8
                        && b + 8 < line_start + body.len()
                        && segment(spans, b).is_none()
                })
                .collect();
            if !candidates.is_empty() {
                let b = *rng.pick(&candidates);
                edits.push(Edit {
                    start: b,
                    end: b + 1,
                    with: "\n".into(),
                });
            }
        }
        line_start += line.len();
    }
    edits
}

fn line_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        out.push((start, start + line.trim_end_matches('\n').len()));
        start += line.len();
    }
    out
}

fn run(
    name: &str,
    text: &mut String,
    spans: &mut Vec<Span>,
    applied: &mut Vec<String>,
    edits: Vec<Edit>,
) {
    if !edits.is_empty() {
        let (t, s) = apply_edits(text, spans, &edits);
        *text = t;
        *spans = s;
        applied.push(name.to_string());
    }
}

/// Apply a random selection of noise variants; returns the names of those applied.
pub fn apply(
    text: String,
    spans: Vec<Span>,
    opts: &NoiseOptions,
    rng: &mut Rng,
) -> (String, Vec<Span>, Vec<String>) {
    let mut applied = Vec::new();
    if !rng.prob(opts.doc_rate) {
        return (text, spans, applied);
    }
    let (mut text, mut spans) = (text, spans);
    let mut chosen: Vec<bool> = [
        opts.upper_doc,
        opts.upper_lines,
        opts.no_accents,
        opts.ocr,
        opts.double_spaces,
        opts.line_breaks,
    ]
    .iter()
    .map(|&p| rng.prob(p))
    .collect();
    if !chosen.iter().any(|&c| c) {
        let i = rng.index(chosen.len());
        chosen[i] = true;
    }
    if chosen[0] {
        let e = upper_edits(&text, &[(0, text.len())]);
        run("upper_doc", &mut text, &mut spans, &mut applied, e);
    } else if chosen[1] {
        let all = line_ranges(&text);
        let mut lines: Vec<(usize, usize)> =
            all.iter().copied().filter(|_| rng.chance(250)).collect();
        if lines.is_empty() {
            lines.push(*rng.pick(&all));
        }
        let e = upper_edits(&text, &lines);
        run("upper_lines", &mut text, &mut spans, &mut applied, e);
    }
    if chosen[2] {
        let e = strip_accent_edits(&text);
        run("no_accents", &mut text, &mut spans, &mut applied, e);
    }
    if chosen[3] {
        let e = ocr_edits(&text, &spans, opts.ocr_char_rate, rng);
        run("ocr", &mut text, &mut spans, &mut applied, e);
    }
    if chosen[4] {
        let e = double_space_edits(&text, 0.04, rng);
        run("double_spaces", &mut text, &mut spans, &mut applied, e);
    }
    if chosen[5] {
        let mut e = line_break_edits(&text, &spans, 0.12, rng);
        if e.is_empty() {
            let all = line_break_edits(&text, &spans, 1.0, rng);
            if !all.is_empty() {
                e.push(rng.pick(&all).clone());
            }
        }
        run("line_breaks", &mut text, &mut spans, &mut applied, e);
    }
    if applied.is_empty() {
        // Every chosen variant was a no-op on this text (e.g. no accent to strip): double one
        // space so the document still differs from its clean version.
        let spaces: Vec<usize> = text.match_indices(' ').map(|(i, _)| i).collect();
        if !spaces.is_empty() {
            let i = *rng.pick(&spaces);
            run(
                "double_spaces",
                &mut text,
                &mut spans,
                &mut applied,
                vec![Edit {
                    start: i,
                    end: i + 1,
                    with: "  ".into(),
                }],
            );
        }
    }
    (text, spans, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gen::text::strip_accents;
    use voile_core::Label;

    /// A text with multi-byte chars whose upper case changes length (ß → SS, ŉ → ʼN) inside and
    /// outside spans.
    fn sample() -> (String, Vec<Span>) {
        let mut text = String::new();
        let mut spans = Vec::new();
        let parts: [(&str, Option<Label>); 9] = [
            ("Mme ", None),
            ("Éloïse", Some(Label::Prenom)),
            (" ", None),
            ("STRAßMANN-Lœuvre", Some(Label::Nom)),
            (", née le ", None),
            ("3 février 1978", Some(Label::DateNaissance)),
            (
                " à l'hôpital, Weißenburg ; elle a rencontré le médecin\nvue au ",
                None,
            ),
            ("CHU de Nîmes", Some(Label::Hopital)),
            (
                " le lendemain pour bilan ennuyeux mais utile rn m 0l1\n",
                None,
            ),
        ];
        for (p, l) in parts {
            let start = text.len();
            text.push_str(p);
            if let Some(l) = l {
                spans.push(Span::new(start, text.len(), l, "gold", 1.0));
            }
        }
        (text, spans)
    }

    fn surfaces(text: &str, spans: &[Span]) -> Vec<String> {
        spans.iter().map(|s| text[s.range()].to_string()).collect()
    }

    #[test]
    fn uppercase_and_accent_stripping_remap_spans_exactly() {
        let (text, spans) = sample();
        let (up, up_spans) = apply_edits(&text, &spans, &upper_edits(&text, &[(0, text.len())]));
        assert_eq!(up, text.to_uppercase());
        let want: Vec<String> = surfaces(&text, &spans)
            .iter()
            .map(|s| s.to_uppercase())
            .collect();
        assert_eq!(surfaces(&up, &up_spans), want);
        assert!(surfaces(&up, &up_spans)[1].contains("STRASSMANN"));

        let (bare, bare_spans) = apply_edits(&text, &spans, &strip_accent_edits(&text));
        assert_eq!(bare, strip_accents(&text));
        let want: Vec<String> = surfaces(&text, &spans)
            .iter()
            .map(|s| strip_accents(s))
            .collect();
        assert_eq!(surfaces(&bare, &bare_spans), want);
    }

    #[test]
    fn ocr_spaces_and_breaks_match_edits_applied_locally() {
        let (text, spans) = sample();
        for seed in 0..200 {
            let mut rng = Rng::from_parts(&[seed]);
            let edits = match seed % 3 {
                0 => ocr_edits(&text, &spans, 0.3, &mut rng),
                1 => double_space_edits(&text, 0.5, &mut rng),
                _ => line_break_edits(&text, &spans, 1.0, &mut rng),
            };
            let (new, new_spans) = apply_edits(&text, &spans, &edits);
            for (old, newer) in spans.iter().zip(&new_spans) {
                let local: Vec<Edit> = edits
                    .iter()
                    .filter(|e| e.start >= old.start && e.end <= old.end)
                    .map(|e| Edit {
                        start: e.start - old.start,
                        end: e.end - old.start,
                        with: e.with.clone(),
                    })
                    .collect();
                let (expect, _) = apply_edits(&text[old.range()], &[], &local);
                assert_eq!(&new[newer.range()], expect, "seed {seed}");
                assert!(!new[newer.range()].contains('\n'));
            }
            if seed % 3 == 2 {
                assert!(
                    new.matches('\n').count() > text.matches('\n').count(),
                    "a line was broken"
                );
                assert_eq!(surfaces(&new, &new_spans), surfaces(&text, &spans));
            }
        }
    }

    #[test]
    fn full_noise_keeps_spans_valid_and_records_variants() {
        let (text, spans) = sample();
        let opts = NoiseOptions {
            doc_rate: 1.0,
            ocr_char_rate: 0.2,
            ..NoiseOptions::default()
        };
        let mut seen = std::collections::BTreeSet::new();
        let mut noisy = 0;
        for seed in 0..300 {
            let mut rng = Rng::from_parts(&[seed, 9]);
            let (t, s, applied) = apply(text.clone(), spans.clone(), &opts, &mut rng);
            noisy += usize::from(!applied.is_empty());
            seen.extend(applied);
            for (a, b) in s.iter().zip(s.iter().skip(1)) {
                assert!(a.end <= b.start);
            }
            for sp in &s {
                assert!(
                    t.is_char_boundary(sp.start) && t.is_char_boundary(sp.end) && sp.start < sp.end
                );
                assert!(!t[sp.range()].contains('\n'));
            }
        }
        assert_eq!(seen.len(), 6, "{seen:?}");
        assert!(noisy > 280, "{noisy} of 300 documents got noise");
    }
}
