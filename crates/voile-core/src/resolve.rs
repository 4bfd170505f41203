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

use crate::{Label, Span};
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

/// Second step after [`resolve`]: a hyphenated name is one name. Two resolved NOM (or two
/// PRENOM) spans joined by a bare hyphen merge (`Jean` `-` `Pierre` → `Jean-Pierre`), and a
/// NOM/PRENOM span directly followed by `-` and a capitalised or uppercase word that no span
/// covers extends over it (`LEGER` + `-LUC`): detectors often know only one half of a
/// compound (`Celiane-Amynata`, `Richard-Morlain`). `spans` must be resolved (sorted,
/// disjoint); they stay so.
pub fn join_hyphenated_names(text: &str, spans: &mut Vec<Span>) {
    let is_name = |s: &Span| matches!(s.label, Label::Nom | Label::Prenom);
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans.drain(..) {
        if let Some(prev) = out.last_mut() {
            if is_name(prev) && prev.label == s.label && is_hyphen(&text[prev.end..s.start]) {
                prev.end = s.end;
                prev.score = prev.score.min(s.score);
                continue;
            }
        }
        out.push(s);
    }
    for i in 0..out.len() {
        if !is_name(&out[i]) {
            continue;
        }
        let limit = out.get(i + 1).map_or(text.len(), |n| n.start);
        if let Some(end) = hyphenated_word_end(text, out[i].end, limit) {
            out[i].end = end;
        }
    }
    *spans = out;
}

fn is_hyphen(between: &str) -> bool {
    matches!(between, "-" | "\u{2010}" | "\u{2011}")
}

/// End of `-Word` at `pos` when `Word` (≥ 2 letters, capitalised or uppercase, then a word
/// boundary) ends before `limit`.
fn hyphenated_word_end(text: &str, pos: usize, limit: usize) -> Option<usize> {
    let rest = text[pos..limit].strip_prefix('-')?;
    let word_len = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphabetic() || c == '\''))
        .map_or(rest.len(), |(i, _)| i);
    let word = &rest[..word_len];
    let mut chars = word.chars();
    let first_upper = chars.next().is_some_and(char::is_uppercase);
    let tail_ok = word.chars().skip(1).all(|c| c.is_lowercase() || c == '\'')
        || word.chars().all(|c| c.is_uppercase() || c == '\'');
    let next = rest[word_len..].chars().next();
    let boundary = next.is_none_or(|c| !c.is_alphanumeric() && c != '-');
    (word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && first_upper && tail_ok && boundary)
        .then_some(pos + 1 + word_len)
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
mod hyphen_tests {
    use super::*;

    fn spans(text: &str, parts: &[(&str, Label)]) -> Vec<Span> {
        let mut from = 0;
        parts
            .iter()
            .map(|(p, l)| {
                let s = from + text[from..].find(p).unwrap();
                from = s + p.len();
                Span::new(s, s + p.len(), *l, "t", 0.8)
            })
            .collect()
    }

    fn joined(text: &str, parts: &[(&str, Label)]) -> Vec<(String, Label)> {
        let mut s = spans(text, parts);
        join_hyphenated_names(text, &mut s);
        s.iter()
            .map(|s| (text[s.range()].to_string(), s.label))
            .collect()
    }

    #[test]
    fn hyphenated_halves_become_one_name() {
        use Label::*;
        assert_eq!(
            joined(
                "Contact : Celiane-Amynata DRUGEON",
                &[("Celiane", Prenom), ("Amynata", Prenom), ("DRUGEON", Nom)]
            ),
            vec![("Celiane-Amynata".into(), Prenom), ("DRUGEON".into(), Nom)]
        );
        assert_eq!(
            joined(
                "avec sa fille Mouniati LEGER-LUC.",
                &[("Mouniati", Prenom), ("LEGER", Nom)]
            ),
            vec![("Mouniati".into(), Prenom), ("LEGER-LUC".into(), Nom)]
        );
        assert_eq!(
            joined(
                "Noëlly Richard-Morlain – Sage-femme",
                &[("Noëlly", Prenom), ("Richard", Nom)]
            ),
            vec![("Noëlly".into(), Prenom), ("Richard-Morlain".into(), Nom)]
        );
    }

    #[test]
    fn other_hyphens_are_left_alone() {
        use Label::*;
        // Different labels, lowercase continuation, a covered continuation, a date.
        assert_eq!(
            joined("Jean-DUPONT", &[("Jean", Prenom), ("DUPONT", Nom)]).len(),
            2
        );
        assert_eq!(
            joined("Parkinson-like", &[("Parkinson", Nom)]),
            vec![("Parkinson".into(), Nom)]
        );
        assert_eq!(
            joined("DUPONT-Nantes", &[("DUPONT", Nom), ("Nantes", Ville)]),
            vec![("DUPONT".into(), Nom), ("Nantes".into(), Ville)]
        );
        assert_eq!(
            joined("Martin-12", &[("Martin", Nom)]),
            vec![("Martin".into(), Nom)]
        );
        assert_eq!(joined("12-03-2021", &[("12-03-2021", Date)]).len(), 1);
        assert_eq!(
            joined("Dupont-X", &[("Dupont", Nom)]),
            vec![("Dupont".into(), Nom)]
        );
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
