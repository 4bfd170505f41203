//! Corpus-level test: hand-written French clinical documents (tests/fixtures/reports.txt,
//! written for voile, no real persons) with inline `[[LABEL:surface]]` markup. The markup is
//! stripped to get the text and gold spans; the rules' resolved output is scored per label
//! with strict span matching.

use std::collections::BTreeMap;
use voile_core::{resolve, Detector, Label};
use voile_rules::{Rules, RulesConfig};

type Gold = Vec<(usize, usize, Label)>;

/// Strip `[[LABEL:surface]]` markup: plain text and byte-offset gold spans.
fn parse_markup(doc: &str) -> (String, Gold) {
    let mut text = String::with_capacity(doc.len());
    let mut gold = Vec::new();
    let mut rest = doc;
    while let Some(i) = rest.find("[[") {
        text.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let colon = after.find(':').expect("markup has a label");
        let close = after.find("]]").expect("markup is closed");
        let label: Label = after[..colon].parse().expect("known label");
        let surface = &after[colon + 1..close];
        let start = text.len();
        text.push_str(surface);
        gold.push((start, text.len(), label));
        rest = &after[close + 2..];
    }
    text.push_str(rest);
    (text, gold)
}

#[derive(Default, Debug)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn f1(&self) -> f64 {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn score_corpus() -> BTreeMap<Label, Counts> {
    let rules = Rules::new(&RulesConfig::default()).unwrap();
    let raw = include_str!("fixtures/reports.txt");
    let mut counts: BTreeMap<Label, Counts> = BTreeMap::new();
    for (doc_no, doc) in raw.split("\n=====\n").enumerate() {
        let (text, gold) = parse_markup(doc);
        let mut cands = Vec::new();
        rules.detect(&text, &mut cands);
        let found: Gold = resolve(cands)
            .iter()
            .map(|s| (s.start, s.end, s.label))
            .collect();
        for g in &gold {
            let c = counts.entry(g.2).or_default();
            if found.contains(g) {
                c.tp += 1;
            } else {
                c.fn_ += 1;
                eprintln!("doc {doc_no}: missed {:?} at {}..{}", g.2, g.0, g.1);
            }
        }
        for f in &found {
            if !gold.contains(f) {
                counts.entry(f.2).or_default().fp += 1;
                eprintln!("doc {doc_no}: spurious {:?} at {}..{}", f.2, f.0, f.1);
            }
        }
    }
    counts
}

#[test]
fn markup_parser_keeps_offsets() {
    let (text, gold) = parse_markup("Dr [[NOM:Éloïse]] le [[DATE:3 mars]].");
    assert_eq!(text, "Dr Éloïse le 3 mars.");
    assert_eq!(&text[gold[0].0..gold[0].1], "Éloïse");
    assert_eq!(&text[gold[1].0..gold[1].1], "3 mars");
}

#[test]
fn corpus_scores_per_label() {
    let counts = score_corpus();
    for (label, c) in &counts {
        eprintln!(
            "{:<15} tp={:>3} fp={:>3} fn={:>3} f1={:.3}",
            label.as_str(),
            c.tp,
            c.fp,
            c.fn_,
            c.f1()
        );
    }
    let bars = [
        (Label::Date, 0.9),
        (Label::DateNaissance, 0.95),
        (Label::Tel, 0.95),
        (Label::Mail, 0.99),
        (Label::Secu, 0.99),
        (Label::Ipp, 0.95),
        (Label::Nda, 0.95),
        (Label::Zip, 0.95),
        (Label::Id, 0.9),
        (Label::Adresse, 0.85),
        (Label::Nom, 0.85),
        (Label::Prenom, 0.85),
    ];
    for (label, bar) in bars {
        let c = counts.get(&label).expect("label present in corpus");
        assert!(
            c.f1() >= bar,
            "{} F1 {:.3} below {bar}",
            label.as_str(),
            c.f1()
        );
    }
    let structured: Counts = [
        Label::Date,
        Label::DateNaissance,
        Label::Tel,
        Label::Mail,
        Label::Secu,
        Label::Ipp,
        Label::Nda,
        Label::Zip,
    ]
    .iter()
    .filter_map(|l| counts.get(l))
    .fold(Counts::default(), |a, c| Counts {
        tp: a.tp + c.tp,
        fp: a.fp + c.fp,
        fn_: a.fn_ + c.fn_,
    });
    assert!(
        structured.f1() >= 0.95,
        "structured micro-F1 {:.3}",
        structured.f1()
    );
}
