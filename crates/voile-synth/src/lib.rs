//! voile-synth: deterministic generator of annotated synthetic French clinical documents from
//! hand-written templates and the shipped gazetteers.
//!
//! Templates (`templates/<doctype>/*.txt`, language in `crates/voile-synth/TEMPLATES.md`) are parsed once by
//! [`Generator::new`] and assigned to a split **by template** (never by document), so test
//! templates are never seen in training. [`Generator::generate`] draws fresh entities for each
//! document from a ChaCha8 stream seeded by `(seed, split, index)`: the same call gives the same
//! records on any machine and thread count, and any slice of a corpus can be generated alone.
//! Spans are byte offsets into the final text (after noise) with source `gold`.

mod gaz;
pub mod gen;
pub mod noise;
mod rng;
pub mod template;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use voile_core::corpus::Record;
use voile_core::{Error, Label};

pub use noise::NoiseOptions;
pub use rng::Rng;
pub use template::Template;

/// Which part of the corpus a template (and so a document) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    Train,
    Dev,
    Test,
}

impl Split {
    pub const ALL: [Split; 3] = [Split::Train, Split::Dev, Split::Test];

    pub fn as_str(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Dev => "dev",
            Split::Test => "test",
        }
    }

    fn tag(self) -> u64 {
        match self {
            Split::Train => 0x0074_7261_696e,
            Split::Dev => 0x0064_6576,
            Split::Test => 0x7465_7374,
        }
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Split {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Split::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| format!("unknown split {s:?} (train, dev, test)"))
    }
}

/// Generator settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SynthOptions {
    pub noise: NoiseOptions,
}

/// Parsed templates, their split assignment and the sampling tables. `Send + Sync`: share it
/// across threads and call [`Generator::generate`] concurrently.
pub struct Generator {
    gaz: gaz::Gazetteers,
    templates: Vec<Template>,
    /// Per split: doc type → indices into `templates`, sorted.
    by_split: BTreeMap<Split, BTreeMap<String, Vec<usize>>>,
    splits: Vec<Split>,
    options: SynthOptions,
}

impl Generator {
    /// `templates_dir`: `crates/voile-synth/templates`; `gazetteers_dir`: `gazetteers/`.
    pub fn new(templates_dir: &Path, gazetteers_dir: &Path) -> Result<Generator, Error> {
        let templates = template::load_dir(templates_dir)?;
        let gaz = gaz::Gazetteers::load(gazetteers_dir)?;
        Ok(Self::from_parts(templates, gaz))
    }

    /// Use the repository layout under `repo_root`.
    pub fn from_repo(repo_root: &Path) -> Result<Generator, Error> {
        Self::new(
            &repo_root.join("crates/voile-synth/templates"),
            &repo_root.join("gazetteers"),
        )
    }

    fn from_parts(templates: Vec<Template>, gaz: gaz::Gazetteers) -> Generator {
        let splits = template::assign_splits(&templates);
        let mut by_split: BTreeMap<Split, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
        for (i, (t, s)) in templates.iter().zip(&splits).enumerate() {
            by_split
                .entry(*s)
                .or_default()
                .entry(t.doc_type.clone())
                .or_default()
                .push(i);
        }
        Generator {
            gaz,
            templates,
            by_split,
            splits,
            options: SynthOptions::default(),
        }
    }

    pub fn with_options(mut self, options: SynthOptions) -> Generator {
        self.options = options;
        self
    }

    pub fn options(&self) -> &SynthOptions {
        &self.options
    }

    /// Number of templates assigned to `split` (all doc types).
    pub fn template_count(&self, split: Split) -> usize {
        self.by_split
            .get(&split)
            .map_or(0, |m| m.values().map(Vec::len).sum())
    }

    /// `(doc type, template name)` of every template in `split`, sorted.
    pub fn template_names(&self, split: Split) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .templates
            .iter()
            .zip(&self.splits)
            .filter(|(_, s)| **s == split)
            .map(|(t, _)| (t.doc_type.clone(), t.name.clone()))
            .collect();
        v.sort();
        v
    }

    /// Doc types present (sorted) with their template count.
    pub fn doc_types(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for t in &self.templates {
            *m.entry(t.doc_type.clone()).or_insert(0) += 1;
        }
        m
    }

    /// `n` documents of `split`, indices `0..n`. Empty when the split has no template.
    pub fn generate(&self, split: Split, n: usize, seed: u64) -> Vec<Record> {
        self.generate_range(split, 0..n, seed)
    }

    /// Documents `range` of the stream `(split, seed)`: `generate_range(s, a..b, seed)` equals
    /// `generate(s, b, seed)[a..b]`.
    pub fn generate_range(
        &self,
        split: Split,
        range: std::ops::Range<usize>,
        seed: u64,
    ) -> Vec<Record> {
        range
            .into_par_iter()
            .filter_map(|i| self.generate_one(split, seed, i))
            .collect()
    }

    /// Document `index` of the stream `(split, seed)`.
    pub fn generate_one(&self, split: Split, seed: u64, index: usize) -> Option<Record> {
        let types = self.by_split.get(&split)?;
        let mut rng = rng::Rng::from_parts(&[seed, split.tag(), index as u64]);
        let type_list: Vec<&Vec<usize>> = types.values().collect();
        let pool = rng.pick(&type_list);
        let ti = *rng.pick(pool.as_slice());
        let tpl = &self.templates[ti];
        let doc_rng = rng::Rng::from_parts(&[rng.next_u64(), ti as u64]);
        let rendered = gen::render(&self.gaz, tpl, doc_rng);
        let (text, spans, noise) =
            noise::apply(rendered.text, rendered.spans, &self.options.noise, &mut rng);
        let mut meta = Map::new();
        meta.insert("doc_type".into(), json!(tpl.doc_type));
        meta.insert("template".into(), json!(tpl.name));
        meta.insert("split".into(), json!(split.as_str()));
        meta.insert("noise".into(), json!(noise));
        meta.insert(
            "patient_id".into(),
            json!(format!("synth-pat-{:016x}", rng.next_u64())),
        );
        if let Some(p) = rendered.patient {
            meta.insert("patient".into(), p);
        }
        let mut record = Record::new(format!("synth-{split}-{seed}-{index}"), text);
        record.spans = spans;
        record.extra.insert("meta".into(), Value::Object(meta));
        Some(record)
    }
}

/// Span count per label (every label listed, zeros included), in [`Label::ALL`] order.
pub fn label_counts(records: &[Record]) -> BTreeMap<Label, usize> {
    let mut m: BTreeMap<Label, usize> = Label::ALL.iter().map(|&l| (l, 0)).collect();
    for r in records {
        for s in &r.spans {
            *m.entry(s.label).or_insert(0) += 1;
        }
    }
    m
}

/// Markdown table of span counts per label (rows) and split (columns), with totals and the
/// number of documents.
pub fn stats_markdown(by_split: &[(Split, Vec<Record>)]) -> String {
    let counts: Vec<BTreeMap<Label, usize>> =
        by_split.iter().map(|(_, r)| label_counts(r)).collect();
    let mut s = String::from("| label |");
    for (split, _) in by_split {
        s.push_str(&format!(" {split} |"));
    }
    s.push_str(" total |\n|---|");
    s.push_str(&"---:|".repeat(by_split.len() + 1));
    s.push('\n');
    let mut row = |name: &str, values: Vec<usize>| {
        s.push_str(&format!("| {name} |"));
        for v in &values {
            s.push_str(&format!(" {v} |"));
        }
        s.push_str(&format!(" {} |\n", values.iter().sum::<usize>()));
    };
    for label in Label::ALL {
        row(label.as_str(), counts.iter().map(|c| c[&label]).collect());
    }
    row(
        "(all spans)",
        by_split
            .iter()
            .map(|(_, r)| r.iter().map(|d| d.spans.len()).sum())
            .collect(),
    );
    row(
        "(documents)",
        by_split.iter().map(|(_, r)| r.len()).collect(),
    );
    s
}

/// Check the generator's invariants on one record: spans sorted, non-overlapping, non-empty,
/// on char boundaries, never crossing a line break, no surrounding whitespace.
pub fn check_record(r: &Record) -> Result<(), String> {
    let mut prev_end = 0;
    for (i, s) in r.spans.iter().enumerate() {
        if s.start >= s.end || s.end > r.text.len() {
            return Err(format!(
                "{}: span {i} has bad offsets {}..{}",
                r.id, s.start, s.end
            ));
        }
        if !r.text.is_char_boundary(s.start) || !r.text.is_char_boundary(s.end) {
            return Err(format!("{}: span {i} not on char boundaries", r.id));
        }
        if s.start < prev_end {
            return Err(format!("{}: span {i} overlaps or is out of order", r.id));
        }
        let surface = &r.text[s.range()];
        if surface.contains('\n') {
            return Err(format!("{}: span {i} crosses a line break", r.id));
        }
        if surface.trim() != surface {
            return Err(format!("{}: span {i} has surrounding whitespace", r.id));
        }
        prev_end = s.end;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Generator>();
    }

    #[test]
    fn split_round_trips_through_strings_and_serde() {
        for s in Split::ALL {
            assert_eq!(s.as_str().parse::<Split>().unwrap(), s);
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{s}\""));
        }
        let o: SynthOptions = serde_json::from_str("{}").unwrap();
        assert_eq!(o, SynthOptions::default());
    }
}
