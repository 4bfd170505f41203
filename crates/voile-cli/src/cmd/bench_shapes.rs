//! `voile bench --shapes`: does any stage cost more per byte on a long document than on a short
//! one? Each stage runs on adversarial shapes (one fragment repeated, glued or separated by a
//! space, a hyphen or a line break) at two sizes; a per-byte cost that grows with the size
//! (ratio ≫ 1) is a super-linear step that one odd record in a batch would turn into a stall.
//! With `VOILE_SHAPES_ALL` set, every shape above a ratio of 2 is also listed on stderr (the
//! shapes are generated text, never a document's).

use std::time::Instant;
use voile::{Detector, Pipeline};

/// Fragments that reach into the detectors' back- and forward-scans (titles, names, hyphen
/// chains, cues, digits, separators).
const FRAGMENTS: &[&str] = &[
    "Jean-Pierre",
    "Dupont",
    "DUPONT",
    "Mme",
    "Dr.",
    "CHU de",
    "rue",
    "12",
    "75012",
    "06 12 34 56 78",
    "a@b",
    "IPP :",
    "(",
    "Saint-",
    "é",
    "de",
    "Lyon",
    ".",
    "/",
    ":",
    "|",
    "née le 12/03/2021",
    "N°",
    "Tél",
    "\u{a0}",
    "x=1",
    "\"a\":",
    ",",
    "A",
    "1er",
];
const JOINERS: &[&str] = &["", " ", "-", "\n"];

/// One shape at about `bytes` bytes.
fn shape(fragment: &str, joiner: &str, bytes: usize) -> String {
    let unit = format!("{fragment}{joiner}");
    unit.repeat(bytes / unit.len() + 1)
}

/// Seconds per byte of `f` on `text` (best of a few runs, at least ~50 ms in all).
fn seconds_per_byte(text: &str, f: &dyn Fn(&str)) -> f64 {
    let mut best = f64::MAX;
    let started = Instant::now();
    let mut runs = 0;
    while runs < 3 || (started.elapsed().as_millis() < 50 && runs < 1000) {
        let t = Instant::now();
        f(text);
        best = best.min(t.elapsed().as_secs_f64());
        runs += 1;
    }
    best / text.len() as f64
}

/// The worst growth of per-byte cost from `small` to `large` bytes over every shape.
pub struct Growth {
    pub stage: String,
    pub ratio: f64,
    pub shape: String,
    pub small_ns_per_byte: f64,
    pub large_ns_per_byte: f64,
}

fn worst_growth(stage: &str, small: usize, large: usize, f: &dyn Fn(&str)) -> Growth {
    let mut worst = Growth {
        stage: stage.to_string(),
        ratio: 0.0,
        shape: String::new(),
        small_ns_per_byte: 0.0,
        large_ns_per_byte: 0.0,
    };
    for fragment in FRAGMENTS {
        for joiner in JOINERS {
            let a = seconds_per_byte(&shape(fragment, joiner, small), f);
            let b = seconds_per_byte(&shape(fragment, joiner, large), f);
            // Below ~2 ns/byte timer noise dominates: not a finding.
            let ratio = b / a.max(2e-9);
            if ratio > 2.0 && std::env::var_os("VOILE_SHAPES_ALL").is_some() {
                eprintln!("{stage}: {ratio:.1} {fragment:?} joined by {joiner:?}");
            }
            if ratio > worst.ratio {
                worst = Growth {
                    stage: stage.to_string(),
                    ratio,
                    shape: format!("{fragment:?} joined by {joiner:?}"),
                    small_ns_per_byte: a * 1e9,
                    large_ns_per_byte: b * 1e9,
                };
            }
        }
    }
    worst
}

/// Every stage of `stages` and the whole pseudonymisation, at `small` and 8 × `small` bytes.
pub fn run(stages: &[voile::NamedDetector], pipeline: &Pipeline, small: usize) -> Vec<Growth> {
    let large = small * 8;
    let mut out = Vec::new();
    for (name, det) in stages {
        out.push(worst_growth(name, small, large, &|t| {
            let mut spans = Vec::new();
            det.detect(t, &mut spans);
        }));
    }
    out.push(worst_growth("pipeline (pseudo)", small, large, &|t| {
        let record = voile::corpus::Record::new("shape", t.to_string());
        let _ = pipeline.pseudonymise_record(&record);
    }));
    out
}

pub fn print(results: &[Growth], small: usize) {
    println!(
        "per-byte cost at {} KB vs {} KB (1.0 = linear; 8 = quadratic), worst shape per stage",
        small / 1000,
        small * 8 / 1000
    );
    println!(
        "{:<22} {:>7} {:>10} {:>10}  shape",
        "stage", "ratio", "ns/B small", "ns/B large"
    );
    for g in results {
        println!(
            "{:<22} {:>7.2} {:>10.1} {:>10.1}  {}",
            g.stage, g.ratio, g.small_ns_per_byte, g.large_ns_per_byte, g.shape
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_reach_their_size_and_repeat_the_fragment() {
        let s = shape("Jean-Pierre", "-", 100);
        assert!(s.len() >= 100 && s.len() < 100 + 12);
        assert!(s.starts_with("Jean-Pierre-Jean-Pierre-"));
    }
}
