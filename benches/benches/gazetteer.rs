//! Gazetteer stage: folded Aho-Corasick matching + context gating over realistic French
//! clinical text (Throughput::Bytes), and the cost of `Lists::load` + `GazetteerDetector::new`.
//! Targets: ≥ 50 MB/s single core; load + build < 200 ms.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::{Path, PathBuf};
use std::time::Duration;
use voile_core::Detector;
use voile_gazetteer::lists::Lists;
use voile_gazetteer::{GazetteerConfig, GazetteerDetector};

fn gazetteer_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../gazetteers")
}

const NAMED: &str = "COMPTE RENDU\nService de cardiologie, CHU de Nantes\nPatient : Jean-Pierre DUBOIS, né le 12/03/1951 à Libourne.\n\
Médecin traitant : Dr Claire Lefèvre, 12 rue des Lilas, 44000 Nantes.\nMonsieur Dubois, suivi pour une maladie de Parkinson, \
a été transféré de la Clinique Saint-Jean vers l'Hôpital Européen Georges-Pompidou. Un petit nodule est noté. Signe de Babinski absent.\n\
Pr Anne Rousseau, Mme Petit (épouse), domiciliée à Vienne.\n";

/// ~2 MB: real clinical narrative (e3c, read in place, never copied) interleaved with named text.
fn corpus() -> String {
    let mut text = String::new();
    if let Ok(raw) = std::fs::read_to_string(Path::new(
        "/work/shared/corpora/e3c-fr-clinical-cases.jsonl",
    )) {
        for line in raw.lines() {
            if let Some(t) = serde_like_text(line) {
                text.push_str(&t);
                text.push('\n');
                text.push_str(NAMED);
            }
            if text.len() > 2_000_000 {
                break;
            }
        }
    }
    while text.len() < 2_000_000 {
        text.push_str(NAMED);
    }
    text
}

/// Extract the `text` field without pulling a JSON dependency into the bench crate.
fn serde_like_text(line: &str) -> Option<String> {
    let i = line
        .find("\"text\": \"")
        .map(|i| i + 9)
        .or_else(|| line.find("\"text\":\"").map(|i| i + 8))?;
    let mut out = String::new();
    let mut chars = line[i..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?).unwrap_or(' '));
                }
                other => out.push(other),
            },
            _ => out.push(c),
        }
    }
    None
}

fn bench(c: &mut Criterion) {
    let dir = gazetteer_dir();
    let lists = Lists::load(&dir).expect("shipped lists");
    let det = GazetteerDetector::new(&lists, &GazetteerConfig::default()).unwrap();
    let text = corpus();
    let mut spans = Vec::new();
    det.detect(&text, &mut spans);
    assert!(
        spans.len() > 100,
        "expected many spans, got {}",
        spans.len()
    );

    let mut g = c.benchmark_group("gazetteer");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("detect_2MB", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            det.detect(&text, &mut out);
            out.len()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("gazetteer_build");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("load_and_build", |b| {
        b.iter(|| {
            let l = Lists::load(&dir).unwrap();
            GazetteerDetector::new(&l, &GazetteerConfig::default())
                .unwrap()
                .pattern_count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
