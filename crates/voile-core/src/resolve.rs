//! Span resolution: overlapping candidates in, sorted non-overlapping spans out.
//!
//! # Policy
//! Candidates are ranked by a total order and accepted greedily; a candidate is kept only if
//! it overlaps no span kept before it. The rank, best first:
//! 1. higher `score` — each detector's confidence (a checksummed NIR ≈ 0.99, a cue-bound rule
//!    ≈ 0.95, a context-gated gazetteer hit 0.6–0.9, the NER's probability);
//! 2. longer span — `CHU de Nantes` beats `Nantes` when equally sure;
//! 3. higher [`crate::Label::priority`] — precise structured labels before free-text ones;
//! 4. earlier start, then earlier end, then source name — only to make the order total.
//!
//! The order is total, so the result never depends on input order, thread count or any
//! hash map. Cost is O(n log n).

use crate::Span;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Resolve candidates into non-overlapping spans sorted by start. See the module policy.
pub fn resolve(mut candidates: Vec<Span>) -> Vec<Span> {
    resolve_in_place(&mut candidates);
    candidates
}

/// Same as [`resolve`], reusing the vector's allocation.
pub fn resolve_in_place(spans: &mut Vec<Span>) {
    spans.retain(|s| !s.is_empty());
    spans.sort_by(rank);
    let mut kept: BTreeMap<usize, usize> = BTreeMap::new();
    let mut keep = vec![false; spans.len()];
    for (i, s) in spans.iter().enumerate() {
        if is_free(&kept, s.start, s.end) {
            kept.insert(s.start, s.end);
            keep[i] = true;
        }
    }
    let mut flags = keep.into_iter();
    spans.retain(|_| flags.next().unwrap_or(false));
    spans.sort_by_key(|s| (s.start, s.end));
}

fn rank(a: &Span, b: &Span) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| b.len().cmp(&a.len()))
        .then_with(|| b.label.priority().cmp(&a.label.priority()))
        .then_with(|| a.start.cmp(&b.start))
        .then_with(|| a.end.cmp(&b.end))
        .then_with(|| a.source.cmp(&b.source))
}

/// True when `[start, end)` overlaps none of the kept intervals (which never overlap each other).
fn is_free(kept: &BTreeMap<usize, usize>, start: usize, end: usize) -> bool {
    if let Some((_, &prev_end)) = kept.range(..=start).next_back() {
        if prev_end > start {
            return false;
        }
    }
    match kept.range(start..).next() {
        Some((&next_start, _)) => next_start >= end,
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Label;

    fn sp(start: usize, end: usize, label: Label, score: f32) -> Span {
        Span::new(start, end, label, "t", score)
    }

    #[test]
    fn higher_score_wins_over_longer() {
        let out = resolve(vec![sp(0, 10, Label::Nom, 0.5), sp(2, 5, Label::Date, 0.9)]);
        assert_eq!(out, vec![sp(2, 5, Label::Date, 0.9)]);
    }

    #[test]
    fn longer_wins_at_equal_score() {
        // "CHU de Nantes" vs "Nantes"
        let out = resolve(vec![
            sp(7, 13, Label::Ville, 0.8),
            sp(0, 13, Label::Hopital, 0.8),
        ]);
        assert_eq!(out, vec![sp(0, 13, Label::Hopital, 0.8)]);
    }

    #[test]
    fn label_priority_breaks_exact_ties() {
        let out = resolve(vec![sp(0, 5, Label::Ville, 0.8), sp(0, 5, Label::Nom, 0.8)]);
        assert_eq!(out[0].label, Label::Nom);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn output_is_sorted_and_non_overlapping_and_order_independent() {
        let cands = vec![
            sp(20, 30, Label::Date, 0.9),
            sp(0, 4, Label::Prenom, 0.7),
            sp(5, 12, Label::Nom, 0.7),
            sp(3, 6, Label::Ville, 0.6),
            sp(25, 40, Label::Adresse, 0.5),
            sp(30, 35, Label::Zip, 0.95),
        ];
        let a = resolve(cands.clone());
        let mut rev = cands;
        rev.reverse();
        assert_eq!(a, resolve(rev));
        for w in a.windows(2) {
            assert!(w[0].end <= w[1].start);
        }
        let labels: Vec<Label> = a.iter().map(|s| s.label).collect();
        assert_eq!(
            labels,
            vec![Label::Prenom, Label::Nom, Label::Date, Label::Zip]
        );
    }

    #[test]
    fn touching_spans_both_kept_and_empty_dropped() {
        let out = resolve(vec![
            sp(0, 4, Label::Prenom, 0.7),
            sp(4, 9, Label::Nom, 0.7),
            Span {
                start: 3,
                end: 3,
                label: Label::Nom,
                source: "t".into(),
                score: 1.0,
            },
        ]);
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn identical_duplicates_collapse() {
        let out = resolve(vec![sp(0, 4, Label::Nom, 0.7), sp(0, 4, Label::Nom, 0.7)]);
        assert_eq!(out.len(), 1);
    }
}
