//! Quick throughput / build-time measurement without criterion (the workspace bench lives in
//! benches/benches/gazetteer.rs; this example avoids building the other stages).
use std::path::Path;
use std::time::Instant;
use voile_core::Detector;
use voile_gazetteer::{lists::Lists, GazetteerConfig, GazetteerDetector};

fn main() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../gazetteers"));
    let t = Instant::now();
    let lists = Lists::load(dir).unwrap();
    let load = t.elapsed();
    let det = GazetteerDetector::new(&lists, &GazetteerConfig::default()).unwrap();
    println!(
        "load {:?}, build {:?}, {} patterns",
        load,
        t.elapsed() - load,
        det.pattern_count()
    );
    let raw = std::fs::read_to_string("/work/shared/corpora/e3c-fr-clinical-cases.jsonl")
        .unwrap_or_default();
    let mut text = String::new();
    for line in raw.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        text.push_str(v["text"].as_str().unwrap_or_default());
        text.push_str("\nDr Jean-Pierre DUBOIS, CHU de Nantes, domicilié à Vienne. Mme Petit.\n");
        if text.len() > 3_000_000 {
            break;
        }
    }
    let (nh, th) = hits_only(&det, &text);
    println!(
        "collect: {nh} hits, {:.1} MB/s",
        text.len() as f64 / th / 1e6
    );
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let mut out = Vec::new();
        det.detect(&text, &mut out);
        n = out.len();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{} bytes, {} spans, best {:.1} MB/s; fold alone {:.1} MB/s",
        text.len(),
        n,
        text.len() as f64 / best / 1e6,
        text.len() as f64 / fold_only(&text) / 1e6
    );
}

#[allow(dead_code)]
fn fold_only(text: &str) -> f64 {
    let t = Instant::now();
    let f = voile_gazetteer::fold::fold(text);
    std::hint::black_box(&f);
    t.elapsed().as_secs_f64()
}

#[allow(dead_code)]
fn hits_only(det: &GazetteerDetector, text: &str) -> (usize, f64) {
    let t = Instant::now();
    let n = det.raw_hit_count(text);
    (n, t.elapsed().as_secs_f64())
}
