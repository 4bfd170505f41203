//! Criterion bench of the whole pipeline (rules + gazetteers + NER + resolution), detection only
//! and detection + pseudonymisation, single-threaded, over the synthetic test split.
//! Target (issue 5): ≥ 150,000 characters/s per core for the whole pipeline.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;
use voile::corpus::{parse_line, Record};
use voile::{Config, Key, Pipeline};

fn corpus() -> Vec<Record> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpora/synthetic/test.jsonl");
    let text = std::fs::read_to_string(&path).expect("synthetic test split is committed");
    text.lines()
        .enumerate()
        .take(300)
        .map(|(i, l)| parse_line(l, i + 1).expect("valid corpus line"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let chars: usize = docs.iter().map(|d| d.text.chars().count()).sum();
    let pipeline = Pipeline::new(&Config::default())
        .unwrap()
        .with_key(Some(Key::from_bytes(b"bench-key-0123456789").unwrap()))
        .unwrap();
    let spans: usize = docs.iter().map(|d| pipeline.detect_record(d).len()).sum();
    assert!(
        spans > docs.len(),
        "the pipeline finds identifiers in the corpus"
    );
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut g = c.benchmark_group("pipeline");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("detect_bytes", |b| {
        b.iter(|| {
            one.install(|| {
                docs.iter()
                    .map(|d| pipeline.detect_record(d).len())
                    .sum::<usize>()
            })
        })
    });
    g.throughput(Throughput::Elements(chars as u64));
    g.bench_function("detect_chars", |b| {
        b.iter(|| {
            one.install(|| {
                docs.iter()
                    .map(|d| pipeline.detect_record(d).len())
                    .sum::<usize>()
            })
        })
    });
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("pseudonymise_bytes", |b| {
        b.iter(|| {
            one.install(|| {
                docs.iter()
                    .map(|d| pipeline.pseudonymise_record(d).unwrap().text.len())
                    .sum::<usize>()
            })
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
