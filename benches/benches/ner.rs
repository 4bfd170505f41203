//! NER stage throughput: tokens/s and MB/s of `NerModel::detect` over realistic synthetic
//! documents. Run single-core with `RAYON_NUM_THREADS=1 cargo bench -p voile-benches --bench ner`.
//! Asserts the model finds spans, so a broken model cannot produce a fast, empty benchmark.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;
use voile_core::Detector;
use voile_ner::NerModel;
use voile_synth::{Generator, Split};

fn corpus(root: &Path) -> String {
    let gen = Generator::from_repo(root).expect("synthetic generator loads");
    let docs = gen.generate(Split::Test, 40, 7);
    docs.iter()
        .map(|d| d.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let model = NerModel::load(&root.join("models")).expect("shipped model loads");
    let text = corpus(&root);
    let tokens = model.tokenizer().encode(&text).expect("tokenizes").len() as u64;
    let mut spans = Vec::new();
    model.detect(&text, &mut spans);
    assert!(
        spans.len() > 40,
        "the model should find identifiers in 40 documents, found {}",
        spans.len()
    );

    let mut group = c.benchmark_group("ner_tokens");
    group.sample_size(10);
    group.throughput(Throughput::Elements(tokens));
    group.bench_function("detect", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            model.detect(&text, &mut out);
            out
        })
    });
    group.finish();

    let mut group = c.benchmark_group("ner_bytes");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("detect", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            model.detect(&text, &mut out);
            out
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
