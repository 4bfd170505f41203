//! Helpers shared by the corpus-level tests: temp dirs and a synthetic gold/pred generator.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let p = std::env::temp_dir().join(format!("voile-eval-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn write_lines(path: &Path, lines: &[Value]) {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(path, text).unwrap();
}

/// Small deterministic generator (xorshift64*), independent of the crate's bootstrap RNG.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const WORDS: &[&str] = &[
    "Mme",
    "Élise",
    "DURAND",
    "né",
    "le",
    "12/04/1957",
    "à",
    "Nantes",
    "CHU",
    "d'Angers",
    "Œdème",
    "J.",
    "Jean-Pierre",
    "N°",
    "06 12 34 56 78",
    "jean.dupont@exemple.fr",
    "IPP:123456",
    "rue",
    "des",
    "Lilas",
    "44000",
    "ß",
    "naïve",
    "l'hôpital",
    "vu",
    "en",
    "mars",
    "2021",
    "🙂",
    "x_y",
    "½",
    "e\u{301}",
    "«",
    "»",
    "—",
    "(",
    ")",
    ";",
    "1.5",
    "mg/j",
];
const SEPARATORS: &[&str] = &[
    " ", " ", " ", "  ", "\n", "\u{a0}", "\t", ", ", ". ", "\u{202f}",
];
pub const LABELS: &[&str] = &[
    "NOM",
    "PRENOM",
    "DATE",
    "DATE_NAISSANCE",
    "ADRESSE",
    "ZIP",
    "VILLE",
    "HOPITAL",
    "TEL",
    "MAIL",
    "SECU",
    "IPP",
    "NDA",
    "ID",
];

fn random_text(rng: &mut Rng) -> String {
    let n = rng.below(40);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push_str(SEPARATORS[rng.below(SEPARATORS.len())]);
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s
}

/// Non-overlapping random spans (code points) over a text of `len` code points.
fn random_gold(rng: &mut Rng, len: usize) -> Vec<(usize, usize, &'static str)> {
    let mut spans = Vec::new();
    let mut pos = 0;
    while pos < len {
        pos += rng.below(12);
        let l = 1 + rng.below(14);
        if pos + l > len {
            break;
        }
        spans.push((pos, pos + l, LABELS[rng.below(LABELS.len())]));
        pos += l;
    }
    spans
}

/// Perturb gold into predictions: keep, shift boundaries, drop, relabel, add spurious spans;
/// then drop any span overlapping an earlier one so predictions stay non-overlapping.
fn perturb(
    rng: &mut Rng,
    gold: &[(usize, usize, &'static str)],
    len: usize,
) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::new();
    for &(s, e, l) in gold {
        match rng.below(10) {
            0..=3 => out.push((s, e, l)),
            4 | 5 => {
                let ns = (s + rng.below(4)).saturating_sub(rng.below(4));
                let ne = (e + rng.below(4)).saturating_sub(rng.below(4)).min(len);
                if ns < ne {
                    out.push((ns, ne, l));
                }
            }
            6 => {}
            7 | 8 => out.push((s, e, LABELS[rng.below(LABELS.len())])),
            _ => {
                let mid = s + (e - s) / 2;
                if s < mid {
                    out.push((s, mid, l));
                }
                out.push((mid.max(s + 1).min(e - 1).max(s), e, l));
            }
        }
        if rng.chance(15) {
            let a = rng.below(len.max(1));
            let b = (a + 1 + rng.below(6)).min(len);
            if a < b {
                out.push((a, b, LABELS[rng.below(LABELS.len())]));
            }
        }
    }
    out.retain(|&(s, e, _)| s < e);
    out.sort();
    let mut kept: Vec<(usize, usize, &'static str)> = Vec::new();
    for sp in out {
        if kept.last().is_none_or(|k| k.1 <= sp.0) {
            kept.push(sp);
        }
    }
    kept
}

fn line(id: &str, text: &str, spans: &[(usize, usize, &str)]) -> Value {
    let spans: Vec<Value> = spans
        .iter()
        .map(|(s, e, l)| json!({"start": s, "end": e, "label": l}))
        .collect();
    json!({"id": id, "text": text, "spans": spans})
}

/// `docs` gold documents and their perturbed predictions; some documents have no prediction
/// record, some have empty text.
pub fn synthetic_pair(seed: u64, docs: usize) -> (Vec<Value>, Vec<Value>) {
    let mut rng = Rng::new(seed);
    let (mut gold, mut pred) = (Vec::new(), Vec::new());
    for i in 0..docs {
        let id = format!("doc-{i:04}");
        let text = random_text(&mut rng);
        let len = text.chars().count();
        let g = random_gold(&mut rng, len);
        let p = perturb(&mut rng, &g, len);
        gold.push(line(&id, &text, &g));
        if !rng.chance(5) {
            pred.push(line(&id, &text, &p));
        }
    }
    (gold, pred)
}
