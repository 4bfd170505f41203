//! Training documents beyond the synthetic generator: annotated corpora (free-form documents
//! written in styles the templates lack) mixed into every epoch. Each copy of a document gets
//! fresh entities — its spans rewritten by keyed surrogates under a per-epoch scope, so the
//! model learns contexts rather than memorising these few hundred names — and delivery noise
//! (capitals, lost accents, OCR swaps, broken lines) like the synthetic documents.

use anyhow::Context;
use sha2::{Digest, Sha256};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use voile_core::corpus::Record;
use voile_core::Span;
use voile_surrogate::{Key, Pseudonymiser, Scope, SurrogateConfig};
use voile_synth::{NoiseOptions, Rng};

/// Annotated records of JSONL files (the corpus contract), in file order.
pub fn read_annotated(paths: &[PathBuf]) -> anyhow::Result<Vec<Record>> {
    let mut out = Vec::new();
    for path in paths {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("{}: line {}", path.display(), i + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let record = voile_core::corpus::parse_line(&line, i + 1)
                .with_context(|| format!("{}: line {}", path.display(), i + 1))?;
            out.push(record);
        }
    }
    Ok(out)
}

/// SHA-256 over the files' bytes (a resumed run must train on the same data).
pub fn fingerprint(paths: &[PathBuf]) -> anyhow::Result<String> {
    let mut h = Sha256::new();
    for p in paths {
        let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    Ok(format!("{:x}", h.finalize()))
}

/// Makes the per-epoch copies of annotated documents.
pub struct Refresher {
    pseudonymiser: Pseudonymiser,
    noise: NoiseOptions,
    seed: u64,
    refresh: f64,
}

impl Refresher {
    /// Surrogates from the shipped gazetteers under `repo_root`, keyed by the run seed (the
    /// copies are reproducible from the configuration).
    pub fn new(repo_root: &Path, seed: u64, refresh: f64) -> anyhow::Result<Self> {
        let lists = voile_gazetteer::lists::Lists::load(&repo_root.join("gazetteers"))?;
        let key = Key::from_bytes(format!("voile-training-surrogates-{seed:020}").as_bytes())?;
        let pseudonymiser = Pseudonymiser::new(&SurrogateConfig::default(), Some(key), &lists)?;
        Ok(Refresher {
            pseudonymiser,
            noise: NoiseOptions::default(),
            seed,
            refresh,
        })
    }

    /// Copy `copy` of `doc` for `epoch`.
    pub fn copy(&self, doc: &Record, epoch: usize, copy: usize) -> Record {
        let mut rng = Rng::from_parts(&[self.seed, epoch as u64, copy as u64, doc_hash(&doc.id)]);
        let scope_id = format!("{}#{epoch}.{copy}", doc.id);
        let (text, spans) = if rng.prob(self.refresh) {
            self.fresh_entities(doc, &scope_id)
        } else {
            (doc.text.clone(), doc.spans.clone())
        };
        let (text, spans, _) = voile_synth::noise::apply(text, spans, &self.noise, &mut rng);
        let mut out = Record::new(scope_id, text);
        out.spans = spans;
        out
    }

    /// The document with every span replaced by its surrogate; a span whose surrogate could
    /// not be made (the rewrite fell back to a tag) keeps its original surface.
    fn fresh_entities(&self, doc: &Record, scope_id: &str) -> (String, Vec<Span>) {
        let scope = Scope {
            document_id: scope_id,
            patient_id: None,
        };
        let p = self
            .pseudonymiser
            .pseudonymise(&doc.text, &doc.spans, &scope);
        let mut text = String::with_capacity(p.text.len());
        let mut spans = Vec::with_capacity(p.replacements.len());
        let mut pos = 0;
        for r in &p.replacements {
            text.push_str(&doc.text[pos..r.original.start]);
            let surface = if r.fallback {
                &doc.text[r.original.clone()]
            } else {
                r.replacement.as_str()
            };
            let start = text.len();
            text.push_str(surface);
            if !surface.is_empty() {
                spans.push(Span::new(start, text.len(), r.label, "gold", 1.0));
            }
            pos = r.original.end;
        }
        text.push_str(&doc.text[pos..]);
        (text, spans)
    }
}

fn doc_hash(id: &str) -> u64 {
    let d = Sha256::digest(id.as_bytes());
    u64::from_le_bytes(d[..8].try_into().expect("8 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use voile_core::Label;

    fn repo_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn letter() -> Record {
        let text = "Je revois Mme Aïcha BENALI, née le 12/03/1961, domiciliée à Roubaix. Tél 06 12 34 56 78.";
        let mut r = Record::new("d1", text);
        for (surface, label) in [
            ("Aïcha", Label::Prenom),
            ("BENALI", Label::Nom),
            ("12/03/1961", Label::DateNaissance),
            ("Roubaix", Label::Ville),
            ("06 12 34 56 78", Label::Tel),
        ] {
            let s = text.find(surface).unwrap();
            r.spans
                .push(Span::new(s, s + surface.len(), label, "gold", 1.0));
        }
        r
    }

    #[test]
    fn refreshed_copies_change_every_entity_and_keep_spans_on_them() {
        let refresher = Refresher::new(&repo_root(), 7, 1.0).unwrap();
        let doc = letter();
        let a = refresher.copy(&doc, 0, 0);
        let b = refresher.copy(&doc, 1, 0);
        assert_eq!(a.spans.len(), doc.spans.len());
        for (new, old) in a.spans.iter().zip(&doc.spans) {
            assert_eq!(new.label, old.label);
            let (n, o) = (new.surface(&a.text), old.surface(&doc.text));
            assert!(
                !n.is_empty() && !n.eq_ignore_ascii_case(o),
                "{:?} kept",
                new.label
            );
        }
        assert_ne!(a.text, b.text, "another epoch must bring other entities");
        assert_eq!(
            refresher.copy(&doc, 0, 0).text,
            a.text,
            "copies are reproducible"
        );
        assert!(a.text.to_lowercase().contains("je revois"));
    }

    #[test]
    fn without_refresh_the_entities_stay_and_spans_stay_valid() {
        let refresher = Refresher::new(&repo_root(), 7, 0.0).unwrap();
        let doc = letter();
        let mut unchanged = 0;
        for epoch in 0..20 {
            let c = refresher.copy(&doc, epoch, 0);
            assert_eq!(c.spans.len(), doc.spans.len(), "epoch {epoch}");
            for s in &c.spans {
                assert!(
                    s.start < s.end
                        && c.text.is_char_boundary(s.start)
                        && c.text.is_char_boundary(s.end)
                );
            }
            unchanged += usize::from(c.text == doc.text);
        }
        // Noise reaches about a third of the copies; the others are the document itself.
        assert!(
            (5..20).contains(&unchanged),
            "{unchanged} of 20 copies unchanged"
        );
    }
}
