//! Rules stage throughput: the voile-rules detector over ~2 MB of realistic French clinical
//! documents (the crate's hand-written test reports, repeated with varied numbers), in
//! MB/s single-threaded. The expected candidate count is asserted once before measuring.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use voile_core::{resolve, Detector};
use voile_rules::{Rules, RulesConfig};

const REPORTS: &str = include_str!("../../crates/voile-rules/tests/fixtures/reports.txt");

/// Strip `[[LABEL:surface]]` markup, keeping the surface; returns text and gold span count.
fn strip_markup(doc: &str) -> (String, usize) {
    let mut out = String::with_capacity(doc.len());
    let mut n = 0;
    let mut rest = doc;
    while let Some(i) = rest.find("[[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let colon = after.find(':').expect("label");
        let close = after.find("]]").expect("closed");
        out.push_str(&after[colon + 1..close]);
        n += 1;
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    (out, n)
}

/// Repeat the reports up to `target_bytes`, each copy with its own header line.
fn corpus(target_bytes: usize) -> (Vec<String>, usize) {
    let (base, gold) = strip_markup(REPORTS);
    let docs: Vec<&str> = base.split("\n=====\n").collect();
    let mut out = Vec::new();
    let mut bytes = 0;
    let mut i = 0usize;
    while bytes < target_bytes {
        let d = docs[i % docs.len()];
        let doc = format!("Document interne {i}: copie conforme.\n{d}");
        bytes += doc.len();
        out.push(doc);
        i += 1;
    }
    (out, gold)
}

fn bench_rules(c: &mut Criterion) {
    let rules = Rules::new(&RulesConfig::default()).expect("rules compile");
    let (docs, gold_per_pass) = corpus(2 << 20);
    let total: usize = docs.iter().map(String::len).sum();
    let n_docs_per_pass = REPORTS.split("\n=====\n").count();

    // Resolved span count on one pass of the reports is close to the gold count, and every
    // pass yields exactly the same count.
    let count = |docs: &[String]| -> usize {
        docs.iter()
            .map(|d| {
                let mut out = Vec::new();
                rules.detect(d, &mut out);
                resolve(out).len()
            })
            .sum()
    };
    let one_pass = count(&docs[..n_docs_per_pass]);
    assert!(
        one_pass * 10 >= gold_per_pass * 9 && one_pass <= gold_per_pass + 5,
        "one pass found {one_pass} spans for {gold_per_pass} gold"
    );
    let full_passes = docs.len() / n_docs_per_pass;
    assert_eq!(
        count(&docs[..full_passes * n_docs_per_pass]),
        one_pass * full_passes
    );

    let mut g = c.benchmark_group("rules");
    g.throughput(Throughput::Bytes(total as u64));
    g.sample_size(10);
    g.bench_function("detect_2MB", |b| {
        let mut out = Vec::with_capacity(1024);
        b.iter(|| {
            let mut n = 0;
            for d in &docs {
                out.clear();
                rules.detect(black_box(d), &mut out);
                n += out.len();
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, bench_rules);
criterion_main!(benches);
