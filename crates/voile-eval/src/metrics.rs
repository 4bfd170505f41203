//! Counting: span matching (strict and overlap) and the P/R/F1 arithmetic.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::AddAssign;
use voile_core::Span;

/// True/false positive and false negative counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

impl Counts {
    /// Precision `tp / (tp + fp)`, 0 when there is no prediction (sklearn `zero_division=0`).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Recall `tp / (tp + fn)`, 0 when there is no gold.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// F1 `2·tp / (2·tp + fp + fn)` (= harmonic mean of P and R), 0 when that is 0/0.
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }

    /// Gold items: `tp + fn`.
    pub fn support(&self) -> usize {
        self.tp + self.fn_
    }

    pub fn prf(&self) -> Prf {
        Prf {
            precision: self.precision(),
            recall: self.recall(),
            f1: self.f1(),
            support: self.support(),
            tp: self.tp,
            fp: self.fp,
            fn_: self.fn_,
        }
    }
}

pub(crate) fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// Scores with the counts they come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Gold items (`tp + fn`).
    pub support: usize,
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

/// Unweighted mean over the labels present in gold or predictions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Macro {
    pub precision: f64,
    pub recall: f64,
    /// Mean of the per-label F1 (not the F1 of the mean P and R).
    pub f1: f64,
    /// Number of labels averaged.
    pub labels: usize,
}

/// How a predicted span must relate to a gold span of the same key to match it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// Same start and end.
    Strict,
    /// At least one shared character.
    Overlap,
}

/// Per-key counts of a one-to-one matching between one document's gold and predicted spans.
///
/// Greedy: gold spans in order of (start, end); each takes the first not-yet-matched
/// predicted span (in order of (start, end)) with the same key that matches it. Because
/// spans of one side never overlap each other, every gold span overlaps a contiguous run of
/// predictions and these runs move monotonically, so this greedy count equals the size of a
/// maximum one-to-one matching: any correct maximum-matching scorer gets the same numbers.
/// Unmatched predictions are false positives of their own key, unmatched gold false
/// negatives of theirs.
pub fn match_spans<K: Ord + Copy>(
    gold: &[Span],
    pred: &[Span],
    key: impl Fn(&Span) -> K,
    how: Match,
) -> BTreeMap<K, Counts> {
    let mut counts: BTreeMap<K, Counts> = BTreeMap::new();
    let mut used = vec![false; pred.len()];
    for g in gold {
        let k = key(g);
        let hit = pred.iter().enumerate().position(|(j, p)| {
            !used[j]
                && key(p) == k
                && match how {
                    Match::Strict => p.start == g.start && p.end == g.end,
                    Match::Overlap => p.overlaps(g),
                }
        });
        let c = counts.entry(k).or_default();
        match hit {
            Some(j) => {
                used[j] = true;
                c.tp += 1;
            }
            None => c.fn_ += 1,
        }
    }
    for (p, used) in pred.iter().zip(used) {
        if !used {
            counts.entry(key(p)).or_default().fp += 1;
        }
    }
    counts
}

/// Sum of all keys' counts.
pub fn total<K>(counts: &BTreeMap<K, Counts>) -> Counts {
    let mut t = Counts::default();
    for c in counts.values() {
        t += *c;
    }
    t
}

/// Macro average over keys with gold support or predictions (every key present in `counts`
/// has at least one of them, since keys only enter through a span).
pub fn macro_average<K>(counts: &BTreeMap<K, Counts>) -> Macro {
    let n = counts.len();
    if n == 0 {
        return Macro::default();
    }
    let mean = |f: fn(&Counts) -> f64| counts.values().map(f).sum::<f64>() / n as f64;
    Macro {
        precision: mean(Counts::precision),
        recall: mean(Counts::recall),
        f1: mean(Counts::f1),
        labels: n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use voile_core::Label;

    fn sp(s: usize, e: usize, l: Label) -> Span {
        Span::new(s, e, l, "t", 1.0)
    }

    #[test]
    fn zero_division_is_zero() {
        let c = Counts::default();
        assert_eq!((c.precision(), c.recall(), c.f1()), (0.0, 0.0, 0.0));
        let c = Counts {
            tp: 0,
            fp: 3,
            fn_: 0,
        };
        assert_eq!((c.precision(), c.recall(), c.f1()), (0.0, 0.0, 0.0));
        // tp=3 fp=1 fn=2: P=3/4, R=3/5, F1=6/9
        let c = Counts {
            tp: 3,
            fp: 1,
            fn_: 2,
        };
        assert_eq!(c.precision(), 0.75);
        assert_eq!(c.recall(), 0.6);
        assert!((c.f1() - 6.0 / 9.0).abs() < 1e-15);
    }

    #[test]
    fn overlap_matching_is_one_to_one() {
        // gold NOM 0..10; preds NOM 0..4 and NOM 5..10 both overlap it: only one matches.
        let gold = [sp(0, 10, Label::Nom)];
        let pred = [sp(0, 4, Label::Nom), sp(5, 10, Label::Nom)];
        let c = match_spans(&gold, &pred, |s| s.label, Match::Overlap);
        assert_eq!(
            c[&Label::Nom],
            Counts {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
        let c = match_spans(&gold, &pred, |s| s.label, Match::Strict);
        assert_eq!(
            c[&Label::Nom],
            Counts {
                tp: 0,
                fp: 2,
                fn_: 1
            }
        );
    }

    #[test]
    fn greedy_finds_the_maximum_matching() {
        // gold A 0..5, B 6..12; pred X 4..8 overlaps both, Y 10..11 only B.
        // Greedy: A takes X, B takes Y → 2 matches (the maximum).
        let gold = [sp(0, 5, Label::Nom), sp(6, 12, Label::Nom)];
        let pred = [sp(4, 8, Label::Nom), sp(10, 11, Label::Nom)];
        let c = match_spans(&gold, &pred, |s| s.label, Match::Overlap);
        assert_eq!(
            c[&Label::Nom],
            Counts {
                tp: 2,
                fp: 0,
                fn_: 0
            }
        );
    }

    #[test]
    fn macro_is_mean_of_per_label_scores() {
        let mut m = BTreeMap::new();
        m.insert(
            Label::Nom,
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0,
            },
        ); // P=R=F=1
        m.insert(
            Label::Date,
            Counts {
                tp: 0,
                fp: 1,
                fn_: 0,
            },
        ); // P=R=F=0 (predicted only)
        let a = macro_average(&m);
        assert_eq!((a.precision, a.recall, a.f1, a.labels), (0.5, 0.5, 0.5, 2));
    }
}
