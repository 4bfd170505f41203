//! [`evaluate`]: align gold and predicted records by id, score them, build a [`Report`].

use crate::metrics::{macro_average, match_spans, ratio, total, Counts, Macro, Match, Prf};
use crate::read::check_no_overlap;
use crate::tokens::{covering_spans, tokenize};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use voile_core::corpus::{OffsetMap, Record};
use voile_core::{Error, ErrorKind, Span};

/// Version of the JSON schema (`crates/voile-eval/SCHEMA.md`); bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Scoring options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvalOptions {
    /// Bootstrap resamples of the documents for the 95% intervals; 0 disables them.
    pub bootstrap_samples: usize,
    /// Seed of the bootstrap generator: same seed, same intervals, on any machine.
    pub seed: u64,
    /// Put each residual token's text in the report (off by default: reports get shared).
    pub show_text: bool,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            bootstrap_samples: 1000,
            seed: 0x76_6f69_6c65, // "voile" in ASCII
            show_text: false,
        }
    }
}

/// Speed of the engine run that produced the predictions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Throughput {
    pub docs: usize,
    /// UTF-8 bytes of the texts processed.
    pub bytes: usize,
    /// Wall-clock seconds of detection (reading and scoring excluded).
    pub seconds: f64,
    /// Worker threads used.
    pub cores: usize,
    pub docs_per_second: f64,
    /// Megabytes (10^6 bytes) per second.
    pub mb_per_second: f64,
}

impl Throughput {
    pub fn new(docs: usize, bytes: usize, seconds: f64, cores: usize) -> Self {
        let per_second = |x: f64| if seconds > 0.0 { x / seconds } else { 0.0 };
        Throughput {
            docs,
            bytes,
            seconds,
            cores,
            docs_per_second: per_second(docs as f64),
            mb_per_second: per_second(bytes as f64 / 1e6),
        }
    }
}

/// Strict or overlap span scores.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpanScores {
    pub micro: Prf,
    #[serde(rename = "macro")]
    pub macro_: Macro,
    /// Keyed by label (or category); only keys with gold support or predictions appear.
    pub per_label: BTreeMap<String, Prf>,
}

/// Span scores on coarse categories (NAME, DATE, LOC, CONTACT, ID).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CategoryScores {
    pub strict: SpanScores,
    pub overlap: SpanScores,
}

/// Label-agnostic token scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// Tokens covered by a gold span (`tp + fn`).
    pub gold: usize,
    /// Tokens covered by a predicted span (`tp + fp`).
    pub pred: usize,
    /// All tokens of all documents.
    pub total: usize,
}

/// A 95% percentile bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// Bootstrap confidence intervals over documents; `null` intervals when disabled or no docs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intervals {
    pub level: f64,
    pub samples: usize,
    pub seed: u64,
    pub strict_micro_f1: Option<Interval>,
    pub leak_rate: Option<Interval>,
}

/// Corpus-level counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Documents {
    /// Gold documents (the unit of every average and of the bootstrap).
    pub count: usize,
    /// Gold documents with no prediction record (scored as "nothing predicted"), by id.
    pub missing_predictions: Vec<String>,
    /// Documents with at least one strict false positive or false negative.
    pub with_errors: usize,
    /// Documents with no leaked token.
    pub fully_redacted: usize,
    pub gold_spans: usize,
    pub pred_spans: usize,
    /// UTF-8 bytes of the gold texts.
    pub bytes: usize,
}

/// A gold-identifying token that no prediction covers. Offsets are code points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidualToken {
    pub start: usize,
    pub end: usize,
    /// Label of the gold span covering the token (the first by start if two do).
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// The leaked tokens of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocResiduals {
    pub id: String,
    pub tokens: Vec<ResidualToken>,
}

/// Everything `voile eval` reports; its JSON form is documented in `SCHEMA.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub documents: Documents,
    pub strict: SpanScores,
    pub overlap: SpanScores,
    pub category: CategoryScores,
    pub token: TokenScores,
    /// Share of gold-identifying tokens no prediction covers (`token.fn / token.gold`; 0 when
    /// there is none).
    pub leak_rate: f64,
    /// Share of documents with zero leaked tokens (documents without gold tokens count).
    pub full_redact: f64,
    pub ci: Intervals,
    /// Documents with leaked tokens, in gold order.
    pub residuals: Vec<DocResiduals>,
    pub throughput: Option<Throughput>,
}

/// Per-document results, kept for aggregation and the bootstrap.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocScore {
    strict: BTreeMap<String, Counts>,
    overlap: BTreeMap<String, Counts>,
    cat_strict: BTreeMap<String, Counts>,
    cat_overlap: BTreeMap<String, Counts>,
    token: Counts,
    leaks: Vec<ResidualToken>,
}

impl DocScore {
    fn strict_micro(&self) -> Counts {
        total(&self.strict)
    }
    fn gold_tokens(&self) -> usize {
        self.token.tp + self.token.fn_
    }
}

/// Score `pred` against `gold`, aligned by id.
///
/// A gold document without a prediction record is scored as having no predictions and listed
/// in `documents.missing_predictions`. Errors (naming the id, never the text): duplicate ids,
/// a predicted id absent from gold, a predicted text different from the gold text, and
/// overlapping spans on either side.
pub fn evaluate(gold: &[Record], pred: &[Record], opts: &EvalOptions) -> Result<Report, Error> {
    let pairs = align(gold, pred)?;
    let mut scores = Vec::with_capacity(gold.len());
    let mut docs = Documents {
        count: gold.len(),
        ..Documents::default()
    };
    for (g, p) in &pairs {
        check_no_overlap(g)?;
        let pred_spans = match p {
            Some(p) => {
                check_no_overlap(p)?;
                sorted(&p.spans)
            }
            None => {
                docs.missing_predictions.push(g.id.clone());
                Vec::new()
            }
        };
        let gold_spans = sorted(&g.spans);
        let s = score_document(&g.text, &gold_spans, &pred_spans, opts.show_text);
        docs.gold_spans += gold_spans.len();
        docs.pred_spans += pred_spans.len();
        docs.bytes += g.text.len();
        let sm = s.strict_micro();
        docs.with_errors += usize::from(sm.fp + sm.fn_ > 0);
        docs.fully_redacted += usize::from(s.leaks.is_empty());
        scores.push(s);
    }
    Ok(build_report(docs, &pairs, scores, opts))
}

fn build_report(
    documents: Documents,
    pairs: &[(&Record, Option<&Record>)],
    scores: Vec<DocScore>,
    opts: &EvalOptions,
) -> Report {
    let sum = |f: fn(&DocScore) -> &BTreeMap<String, Counts>| {
        let mut acc: BTreeMap<String, Counts> = BTreeMap::new();
        for s in &scores {
            for (k, c) in f(s) {
                *acc.entry(k.clone()).or_default() += *c;
            }
        }
        acc
    };
    let mut token = Counts::default();
    for s in &scores {
        token += s.token;
    }
    let total_tokens = pairs.iter().map(|(g, _)| tokenize(&g.text).len()).sum();
    let leak_rate = ratio(token.fn_, token.tp + token.fn_);
    let full_redact = if documents.count == 0 {
        0.0
    } else {
        ratio(documents.fully_redacted, documents.count)
    };
    let residuals = pairs
        .iter()
        .zip(&scores)
        .filter(|(_, s)| !s.leaks.is_empty())
        .map(|((g, _), s)| DocResiduals {
            id: g.id.clone(),
            tokens: s.leaks.clone(),
        })
        .collect();
    Report {
        schema_version: SCHEMA_VERSION,
        strict: span_scores(&sum(|s| &s.strict)),
        overlap: span_scores(&sum(|s| &s.overlap)),
        category: CategoryScores {
            strict: span_scores(&sum(|s| &s.cat_strict)),
            overlap: span_scores(&sum(|s| &s.cat_overlap)),
        },
        token: TokenScores {
            precision: token.precision(),
            recall: token.recall(),
            f1: token.f1(),
            tp: token.tp,
            fp: token.fp,
            fn_: token.fn_,
            gold: token.tp + token.fn_,
            pred: token.tp + token.fp,
            total: total_tokens,
        },
        leak_rate,
        full_redact,
        ci: bootstrap(&scores, opts),
        documents,
        residuals,
        throughput: None,
    }
}

fn span_scores(counts: &BTreeMap<String, Counts>) -> SpanScores {
    SpanScores {
        micro: total(counts).prf(),
        macro_: macro_average(counts),
        per_label: counts.iter().map(|(k, c)| (k.clone(), c.prf())).collect(),
    }
}

fn sorted(spans: &[Span]) -> Vec<Span> {
    let mut v = spans.to_vec();
    v.sort_by_key(|s| (s.start, s.end));
    v
}

/// Pair each gold record with its prediction (same id); gold order is kept.
fn align<'a>(
    gold: &'a [Record],
    pred: &'a [Record],
) -> Result<Vec<(&'a Record, Option<&'a Record>)>, Error> {
    let mut by_id: BTreeMap<&str, &Record> = BTreeMap::new();
    for p in pred {
        if by_id.insert(&p.id, p).is_some() {
            return Err(bad_record(&p.id, "duplicate id in predictions"));
        }
    }
    let mut gold_ids: BTreeMap<&str, ()> = BTreeMap::new();
    for g in gold {
        if gold_ids.insert(&g.id, ()).is_some() {
            return Err(bad_record(&g.id, "duplicate id in gold"));
        }
    }
    if let Some(p) = pred.iter().find(|p| !gold_ids.contains_key(p.id.as_str())) {
        return Err(bad_record(&p.id, "predicted id absent from gold"));
    }
    gold.iter()
        .map(|g| {
            let p = by_id.get(g.id.as_str()).copied();
            if let Some(p) = p {
                if p.text != g.text {
                    return Err(bad_record(
                        &g.id,
                        "predicted text differs from the gold text (offsets would not be comparable)",
                    ));
                }
            }
            Ok((g, p))
        })
        .collect()
}

fn bad_record(id: &str, msg: &str) -> Error {
    Error::new(ErrorKind::BadRecord(msg.to_string())).in_record(id)
}

/// Score one document (spans sorted, non-overlapping, byte offsets).
pub(crate) fn score_document(
    text: &str,
    gold: &[Span],
    pred: &[Span],
    show_text: bool,
) -> DocScore {
    let label = |s: &Span| s.label.as_str();
    let cat = |s: &Span| s.label.category().as_str();
    let owned =
        |m: BTreeMap<&str, Counts>| m.into_iter().map(|(k, c)| (k.to_string(), c)).collect();
    let tokens = tokenize(text);
    let in_gold = covering_spans(&tokens, gold);
    let in_pred = covering_spans(&tokens, pred);
    let mut token = Counts::default();
    let mut leaks = Vec::new();
    let map = OffsetMap::new(text);
    for ((&(a, b), g), p) in tokens.iter().zip(&in_gold).zip(&in_pred) {
        match (g, p) {
            (Some(_), Some(_)) => token.tp += 1,
            (None, Some(_)) => token.fp += 1,
            (Some(gi), None) => {
                token.fn_ += 1;
                leaks.push(ResidualToken {
                    start: map.byte_to_cp(a),
                    end: map.byte_to_cp(b),
                    label: gold[*gi].label.as_str().to_string(),
                    text: show_text.then(|| text[a..b].to_string()),
                });
            }
            (None, None) => {}
        }
    }
    DocScore {
        strict: owned(match_spans(gold, pred, label, Match::Strict)),
        overlap: owned(match_spans(gold, pred, label, Match::Overlap)),
        cat_strict: owned(match_spans(gold, pred, cat, Match::Strict)),
        cat_overlap: owned(match_spans(gold, pred, cat, Match::Overlap)),
        token,
        leaks,
    }
}

/// Percentile bootstrap over documents: `samples` resamples of `n` documents drawn uniformly
/// with replacement (SplitMix64 seeded with `seed`; index = high 64 bits of `u64 · n`), each
/// scored by summing its documents' counts; the interval is the 2.5th and 97.5th percentiles
/// with linear interpolation between order statistics (numpy's default).
fn bootstrap(scores: &[DocScore], opts: &EvalOptions) -> Intervals {
    let mut ci = Intervals {
        level: 0.95,
        samples: opts.bootstrap_samples,
        seed: opts.seed,
        strict_micro_f1: None,
        leak_rate: None,
    };
    let n = scores.len();
    if n == 0 || opts.bootstrap_samples == 0 {
        return ci;
    }
    let strict: Vec<Counts> = scores.iter().map(DocScore::strict_micro).collect();
    let tokens: Vec<(usize, usize)> = scores
        .iter()
        .map(|s| (s.token.fn_, s.gold_tokens()))
        .collect();
    let mut rng = SplitMix64(opts.seed);
    let mut f1s = Vec::with_capacity(opts.bootstrap_samples);
    let mut leaks = Vec::with_capacity(opts.bootstrap_samples);
    for _ in 0..opts.bootstrap_samples {
        let mut c = Counts::default();
        let (mut leaked, mut gold) = (0, 0);
        for _ in 0..n {
            let i = rng.below(n);
            c += strict[i];
            leaked += tokens[i].0;
            gold += tokens[i].1;
        }
        f1s.push(c.f1());
        leaks.push(ratio(leaked, gold));
    }
    ci.strict_micro_f1 = Some(percentile_interval(&mut f1s));
    ci.leak_rate = Some(percentile_interval(&mut leaks));
    ci
}

fn percentile_interval(values: &mut [f64]) -> Interval {
    values.sort_by(f64::total_cmp);
    Interval {
        low: percentile(values, 0.025),
        high: percentile(values, 0.975),
    }
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// A tiny, portable, seedable generator (Steele et al.'s SplitMix64).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

impl Report {
    /// Attach the engine's speed.
    pub fn with_throughput(mut self, t: Throughput) -> Self {
        self.throughput = Some(t);
        self
    }

    /// The report as pretty-printed JSON (stable key order).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report always serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use voile_core::Label;

    fn rec(id: &str, text: &str, spans: &[(usize, usize, Label)]) -> Record {
        // Offsets given in code points, as a reader of the text counts them.
        let map = OffsetMap::new(text);
        let mut r = Record::new(id, text);
        r.spans = spans
            .iter()
            .map(|&(s, e, l)| {
                Span::new(
                    map.cp_to_byte(s).unwrap(),
                    map.cp_to_byte(e).unwrap(),
                    l,
                    "t",
                    1.0,
                )
            })
            .collect();
        r
    }

    fn no_ci() -> EvalOptions {
        EvalOptions {
            bootstrap_samples: 0,
            ..EvalOptions::default()
        }
    }

    //           0         1         2         3         4
    //           0123456789012345678901234567890123456789012345
    const TEXT: &str = "Mme Élise DURAND née le 12/04/1957 à Nantes.";

    fn hand_case() -> (Record, Record) {
        let gold = rec(
            "d1",
            TEXT,
            &[
                (4, 9, Label::Prenom),
                (10, 16, Label::Nom),
                (24, 34, Label::DateNaissance),
                (37, 43, Label::Ville),
            ],
        );
        // correct PRENOM, partial NOM ("DURA"), wrong label on the date, spurious "Mme", VILLE missed.
        let pred = rec(
            "d1",
            TEXT,
            &[
                (0, 3, Label::Nom),
                (4, 9, Label::Prenom),
                (10, 14, Label::Nom),
                (24, 34, Label::Date),
            ],
        );
        (gold, pred)
    }

    #[test]
    fn strict_scores_by_hand() {
        let (g, p) = hand_case();
        let r = evaluate(&[g], &[p], &no_ci()).unwrap();
        // PRENOM tp1; NOM fp2 (0..3, 10..14) fn1; DATE_NAISSANCE fn1; DATE fp1; VILLE fn1.
        // micro tp1 fp3 fn3: P = 1/4, R = 1/4, F1 = 2/(2+3+3) = 0.25.
        let m = r.strict.micro;
        assert_eq!((m.tp, m.fp, m.fn_), (1, 3, 3));
        assert_eq!((m.precision, m.recall, m.f1), (0.25, 0.25, 0.25));
        let nom = r.strict.per_label["NOM"];
        assert_eq!((nom.tp, nom.fp, nom.fn_, nom.support), (0, 2, 1, 1));
        assert_eq!(
            r.strict.per_label["DATE"].support, 0,
            "predicted-only labels are listed"
        );
        // macro over the 5 labels seen: P = (1+0+0+0+0)/5 = 0.2, same for R and F1.
        assert_eq!(r.strict.macro_.labels, 5);
        assert!((r.strict.macro_.f1 - 0.2).abs() < 1e-15);
        assert!((r.strict.macro_.precision - 0.2).abs() < 1e-15);
        assert!(
            !r.strict.per_label.contains_key("TEL"),
            "labels absent on both sides are omitted"
        );
        assert_eq!(r.documents.with_errors, 1);
    }

    #[test]
    fn overlap_and_category_scores_by_hand() {
        let (g, p) = hand_case();
        let r = evaluate(&[g], &[p], &no_ci()).unwrap();
        // overlap: PRENOM tp1; NOM 10..16 ~ 10..14 tp1, 0..3 fp1; DATE_NAISSANCE fn1; DATE fp1;
        // VILLE fn1 → micro tp2 fp2 fn2 → P = R = F1 = 0.5.
        let o = r.overlap.micro;
        assert_eq!((o.tp, o.fp, o.fn_), (2, 2, 2));
        assert_eq!(o.f1, 0.5);
        assert_eq!(r.overlap.per_label["NOM"].f1, 2.0 / 3.0); // tp1 fp1 fn0: 2/(2+1)
                                                              // category strict: NAME tp1 (4..9) fp2 fn1; DATE tp1 (both DATE category); LOC fn1
                                                              // → tp2 fp2 fn2 → 0.5.
        let cs = r.category.strict.micro;
        assert_eq!((cs.tp, cs.fp, cs.fn_), (2, 2, 2));
        assert_eq!(r.category.strict.per_label["DATE"].f1, 1.0);
        // category overlap: NAME tp2 fp1; DATE tp1; LOC fn1 → tp3 fp1 fn1 → 0.75.
        let co = r.category.overlap.micro;
        assert_eq!((co.tp, co.fp, co.fn_), (3, 1, 1));
        assert_eq!(co.f1, 0.75);
    }

    #[test]
    fn token_scores_leaks_and_multibyte_offsets_by_hand() {
        let (g, p) = hand_case();
        let opts = EvalOptions {
            show_text: true,
            ..no_ci()
        };
        let r = evaluate(&[g], &[p], &opts).unwrap();
        // 13 tokens: Mme Élise DURAND née le 12 / 04 / 1957 à Nantes .
        // gold covers Élise DURAND 12 / 04 / 1957 Nantes (8); pred covers Mme Élise DURAND
        // (10..14 overlaps it) and the 5 date tokens (8). tp = 7, fp = 1 (Mme), fn = 1 (Nantes).
        let t = r.token;
        assert_eq!(
            (t.tp, t.fp, t.fn_, t.gold, t.pred, t.total),
            (7, 1, 1, 8, 8, 13)
        );
        assert_eq!((t.precision, t.recall, t.f1), (0.875, 0.875, 0.875));
        assert_eq!(r.leak_rate, 0.125); // 1/8
        assert_eq!(r.full_redact, 0.0);
        // "Nantes" is at bytes 40..46 (É, é, à take 2 bytes) but code points 37..43.
        let leak = &r.residuals[0].tokens[0];
        assert_eq!(
            (leak.start, leak.end, leak.label.as_str()),
            (37, 43, "VILLE")
        );
        assert_eq!(leak.text.as_deref(), Some("Nantes"));
        let hidden = evaluate(&[hand_case().0], &[hand_case().1], &no_ci()).unwrap();
        assert_eq!(hidden.residuals[0].tokens[0].text, None);
        assert!(
            !hidden.to_json().contains("Nantes"),
            "no text in JSON without show_text"
        );
    }

    #[test]
    fn empty_docs_and_missing_predictions() {
        // d0: empty text on both sides; d3: "Appel au 06 12 34", TEL 9..17, no prediction record.
        let d0 = rec("d0", "", &[]);
        let d3 = rec("d3", "Appel au 06 12 34", &[(9, 17, Label::Tel)]);
        let r = evaluate(&[d0.clone(), d3], &[d0], &no_ci()).unwrap();
        assert_eq!(r.documents.missing_predictions, vec!["d3".to_string()]);
        // TEL tp0 fp0 fn1: P = R = F1 = 0 (zero_division = 0).
        let tel = r.strict.per_label["TEL"];
        assert_eq!(
            (tel.precision, tel.recall, tel.f1, tel.support),
            (0.0, 0.0, 0.0, 1)
        );
        // 3 gold tokens (06 12 34), all leaked: leak = 3/3; d0 has no gold token → redacted.
        assert_eq!(r.leak_rate, 1.0);
        assert_eq!(r.full_redact, 0.5);
        assert_eq!(r.residuals.len(), 1);
        assert_eq!(r.residuals[0].tokens.len(), 3);

        let nothing = evaluate(&[], &[], &EvalOptions::default()).unwrap();
        assert_eq!(
            (
                nothing.strict.micro.f1,
                nothing.leak_rate,
                nothing.full_redact
            ),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(nothing.ci.strict_micro_f1, None);
    }

    #[test]
    fn alignment_errors_name_the_id() {
        let g = rec("a", "Jean", &[(0, 4, Label::Prenom)]);
        let stray = rec("zz", "Jean", &[]);
        let e = evaluate(std::slice::from_ref(&g), &[stray], &no_ci()).unwrap_err();
        assert_eq!(e.record.as_deref(), Some("zz"));
        let other_text = rec("a", "Jeanne", &[]);
        let e = evaluate(std::slice::from_ref(&g), &[other_text], &no_ci()).unwrap_err();
        assert_eq!(e.record.as_deref(), Some("a"));
        assert!(!e.to_string().contains("Jean"));
        let overlapping = rec("a", "Jean", &[(0, 3, Label::Prenom), (2, 4, Label::Nom)]);
        let e = evaluate(std::slice::from_ref(&g), &[overlapping], &no_ci()).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::BadOffsets(_)));
        let e = evaluate(&[g.clone(), g], &[], &no_ci()).unwrap_err();
        assert!(e.to_string().contains("duplicate"));
    }

    #[test]
    fn bootstrap_is_deterministic_and_sane() {
        let (g, p) = hand_case();
        let mut gold = vec![g.clone()];
        let mut pred = vec![p.clone()];
        for i in 0..20 {
            let id = format!("x{i}");
            let mut gi = g.clone();
            gi.id = id.clone();
            let mut pi = if i % 3 == 0 { g.clone() } else { p.clone() };
            pi.id = id;
            gold.push(gi);
            pred.push(pi);
        }
        let opts = EvalOptions::default();
        let a = evaluate(&gold, &pred, &opts).unwrap();
        let b = evaluate(&gold, &pred, &opts).unwrap();
        assert_eq!(a.to_json(), b.to_json());
        let ci = a.ci.strict_micro_f1.unwrap();
        assert!(
            ci.low < a.strict.micro.f1 && a.strict.micro.f1 < ci.high,
            "{ci:?}"
        );
        // Identical documents: every resample has the same score, the interval is a point.
        let same = evaluate(&gold[..1], &pred[..1], &opts).unwrap();
        let ci = same.ci.leak_rate.unwrap();
        assert_eq!((ci.low, ci.high), (0.125, 0.125));
    }

    #[test]
    fn bootstrap_depends_on_the_seed_only() {
        // 60 documents with varied counts so that resamples have many distinct scores.
        let scores: Vec<DocScore> = (0..60)
            .map(|i| {
                let mut s = DocScore::default();
                s.strict.insert(
                    "NOM".into(),
                    Counts {
                        tp: i % 7,
                        fp: (i * 5) % 3,
                        fn_: (i * 3) % 4,
                    },
                );
                s.token = Counts {
                    tp: i % 5,
                    fp: 0,
                    fn_: (i * 7) % 3,
                };
                s
            })
            .collect();
        let opts = EvalOptions::default();
        let a = bootstrap(&scores, &opts);
        assert_eq!(a, bootstrap(&scores, &opts));
        let b = bootstrap(&scores, &EvalOptions { seed: 7, ..opts });
        assert_ne!(a.strict_micro_f1, b.strict_micro_f1);
        assert_ne!(a.leak_rate, b.leak_rate);
    }

    #[test]
    fn percentile_interpolates_linearly() {
        // numpy.percentile([0,1,2,3,4], 2.5) = 0.1, 97.5 → 3.9
        let mut v = vec![4.0, 0.0, 2.0, 1.0, 3.0];
        let i = percentile_interval(&mut v);
        assert!((i.low - 0.1).abs() < 1e-12 && (i.high - 3.9).abs() < 1e-12);
    }

    #[test]
    fn splitmix_matches_reference_vector() {
        // First output of SplitMix64 seeded with 0 (reference C implementation).
        assert_eq!(SplitMix64(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }
}
