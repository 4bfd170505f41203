//! How candidates from rules, lists, known identities and the model combine, before
//! resolution ([`voile_core::resolve`]) picks the final non-overlapping spans.
//!
//! One function, [`fuse`], applies the [`NerPolicy`] to the model's candidates (source
//! `ner`, score = the model's probability):
//!
//! | model candidate | overlapping another source's candidate | outcome |
//! |---|---|---|
//! | label not proposed by the policy, or probability below the label's threshold | — | dropped |
//! | any label | a structured candidate (TEL, MAIL, SECU, IPP, NDA, ID, DATE, DATE_NAISSANCE, ZIP) | dropped: validated rules give structured boundaries |
//! | same category as the other candidate | yes | the other candidate's score rises by `agreement_boost` × (1 − score); the model candidate stays with its weighted score |
//! | otherwise | — | kept with score × the label's weight |
//!
//! Thresholds and weights are per label (defaults in [`NerPolicy`]), calibrated on the
//! style-shift dev split (`eval/README.md`), never on a test split.

use crate::config::NerPolicy;
use voile_core::{Label, Span};

/// Source name of model candidates.
pub const MODEL_SOURCE: &str = "ner";

/// Labels whose boundaries validated rules know better than the model.
fn is_structured(label: Label) -> bool {
    !matches!(
        label,
        Label::Nom | Label::Prenom | Label::Ville | Label::Hopital | Label::Adresse
    )
}

/// Combine the model's candidates with the others, in place (see the module table).
pub fn fuse(candidates: &mut Vec<Span>, policy: &NerPolicy) {
    let (mut model, mut others): (Vec<Span>, Vec<Span>) = candidates
        .drain(..)
        .partition(|s| s.source.as_str() == MODEL_SOURCE);
    others.sort_by_key(|s| (s.start, s.end));
    let longest = others.iter().map(|s| s.end - s.start).max().unwrap_or(0);
    model.retain(|m| policy.proposes(m.label) && m.score >= policy.threshold(m.label));
    let mut boosts = vec![false; others.len()];
    model.retain_mut(|m| {
        let mut keep = true;
        for (i, o) in overlapping(&others, longest, m) {
            if is_structured(o.label) {
                keep = false;
            } else if o.label.category() == m.label.category() {
                boosts[i] = true;
            }
        }
        m.score *= policy.weight(m.label);
        keep
    });
    for (o, boosted) in others.iter_mut().zip(boosts) {
        if boosted {
            o.score += policy.agreement_boost * (1.0 - o.score);
        }
    }
    candidates.extend(others);
    candidates.extend(model);
}

/// Candidates of `sorted` (by start; none longer than `longest`) overlapping `m`.
fn overlapping<'a>(
    sorted: &'a [Span],
    longest: usize,
    m: &'a Span,
) -> impl Iterator<Item = (usize, &'a Span)> + 'a {
    let from = sorted.partition_point(|s| s.start + longest <= m.start);
    let to = sorted.partition_point(|s| s.start < m.end);
    sorted[from..to.max(from)]
        .iter()
        .enumerate()
        .map(move |(k, s)| (from + k, s))
        .filter(move |(_, s)| s.end > m.start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn policy() -> NerPolicy {
        NerPolicy {
            labels: Label::ALL.to_vec(),
            min_score: 0.8,
            thresholds: BTreeMap::from([(Label::Mail, 0.99)]),
            score_weight: 0.9,
            weights: BTreeMap::from([(Label::Ville, 0.5)]),
            agreement_boost: 0.5,
        }
    }

    fn span(s: usize, e: usize, l: Label, src: &'static str, score: f32) -> Span {
        Span::new(s, e, l, src, score)
    }

    /// One row per case of the module table: candidates in, fused candidates out.
    #[test]
    fn fusion_table() {
        type Row = (
            &'static str,
            Vec<Span>,
            Vec<(usize, usize, Label, &'static str, f32)>,
        );
        let rows: Vec<Row> = vec![
            (
                "below the default threshold: dropped",
                vec![span(0, 5, Label::Nom, "ner", 0.7)],
                vec![],
            ),
            (
                "below the label's own threshold: dropped",
                vec![span(0, 5, Label::Mail, "ner", 0.95)],
                vec![],
            ),
            (
                "alone and sure: kept, weighted",
                vec![span(0, 5, Label::Nom, "ner", 1.0)],
                vec![(0, 5, Label::Nom, "ner", 0.9)],
            ),
            (
                "per-label weight",
                vec![span(0, 5, Label::Ville, "ner", 1.0)],
                vec![(0, 5, Label::Ville, "ner", 0.5)],
            ),
            (
                "over a validated phone: the rule's boundaries win",
                vec![
                    span(0, 14, Label::Tel, "rule:tel", 0.97),
                    span(3, 14, Label::Tel, "ner", 0.99),
                ],
                vec![(0, 14, Label::Tel, "rule:tel", 0.97)],
            ),
            (
                "agreement on a name boosts the gazetteer candidate",
                vec![
                    span(0, 6, Label::Nom, "gazetteer:nom", 0.6),
                    span(0, 6, Label::Prenom, "ner", 0.9),
                ],
                vec![
                    (0, 6, Label::Nom, "gazetteer:nom", 0.8),
                    (0, 6, Label::Prenom, "ner", 0.81),
                ],
            ),
            (
                "a place the model reads as a name: no boost, both compete",
                vec![
                    span(0, 4, Label::Ville, "gazetteer:ville", 0.6),
                    span(0, 4, Label::Nom, "ner", 1.0),
                ],
                vec![
                    (0, 4, Label::Ville, "gazetteer:ville", 0.6),
                    (0, 4, Label::Nom, "ner", 0.9),
                ],
            ),
        ];
        for (name, input, want) in rows {
            let mut got = input;
            fuse(&mut got, &policy());
            let got: Vec<_> = got
                .iter()
                .map(|s| {
                    (
                        s.start,
                        s.end,
                        s.label,
                        s.source.as_str().to_string(),
                        s.score,
                    )
                })
                .collect();
            assert_eq!(got.len(), want.len(), "{name}: {got:?}");
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(
                    (g.0, g.1, g.2, g.3.as_str()),
                    (w.0, w.1, w.2, w.3),
                    "{name}"
                );
                assert!((g.4 - w.4).abs() < 1e-5, "{name}: score {} != {}", g.4, w.4);
            }
        }
    }

    #[test]
    fn fusion_does_not_depend_on_candidate_order() {
        let input = vec![
            span(10, 20, Label::Adresse, "rule:adresse", 0.85),
            span(0, 6, Label::Nom, "gazetteer:nom", 0.6),
            span(0, 6, Label::Nom, "ner", 0.95),
            span(12, 20, Label::Adresse, "ner", 0.9),
            span(30, 38, Label::Ipp, "rule:ipp", 0.95),
            span(30, 38, Label::Id, "ner", 0.99),
        ];
        let mut a = input.clone();
        let mut b: Vec<Span> = input.into_iter().rev().collect();
        fuse(&mut a, &policy());
        fuse(&mut b, &policy());
        let key = |v: &mut Vec<Span>| {
            v.sort_by(|x, y| {
                (x.start, x.end, x.source.as_str()).cmp(&(y.start, y.end, y.source.as_str()))
            });
            v.iter()
                .map(|s| (s.start, s.end, s.label, s.score.to_bits()))
                .collect::<Vec<_>>()
        };
        assert_eq!(key(&mut a), key(&mut b));
    }
}
