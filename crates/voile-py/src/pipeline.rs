//! `voile.Pipeline`: a `voile::Pipeline` built once, used from Python. Batches release the
//! GIL and run on rayon's threads through the facade's own batch methods.

use crate::convert::{config_from_py, id_string, to_json, RecordMeta};
use crate::errors::{to_py, ConfigError, InputError, MissingKeyError};
use crate::key::{KeyBytes, KEY_ENV};
use crate::offsets::{cp_range_to_bytes, replacements_to_py, spans_to_py};
use crate::types::{PyPseudoResult, PySpan};
use pyo3::prelude::*;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Once};
use voile::corpus::{OffsetMap, Record};
use voile::{Config, Label, Span};

/// The detection and pseudonymisation engine.
#[pyclass(frozen, module = "voile", name = "Pipeline")]
pub struct PyPipeline {
    engine: Arc<voile::Pipeline>,
    /// Kept for `anonymize` with other operators (each pseudonymiser takes a key by value).
    key: Option<KeyBytes>,
    /// Whether `engine` can pseudonymise (it has a key, or its operators need none).
    can_pseudonymise: bool,
    /// Detector-less pipelines for `anonymize(operators=...)`, by operator set.
    rewriters: Mutex<BTreeMap<String, Arc<voile::Pipeline>>>,
}

/// As `voile` (CLI main.rs): candle's kernel thread settings fixed once, before the first
/// model is built (see `voile::threads`: its own pool would fight rayon's for the cores,
/// and unset it re-reads `/proc/cpuinfo` at every matmul).
fn keep_candle_on_calling_thread() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        voile::threads::settle_kernel_threads(None);
    });
}

/// Build the facade pipeline, with a pseudonymiser when it can have one.
fn build(cfg: &Config, key: Option<&KeyBytes>) -> Result<(voile::Pipeline, bool), voile::Error> {
    let p = voile::Pipeline::new(cfg)?;
    if key.is_none() && cfg.surrogate.needs_key() {
        return Ok((p, false));
    }
    Ok((p.with_key(key.map(KeyBytes::key))?, true))
}

/// The key from at most one of `key`, `key_file`, `key_env`.
fn key_from_args(
    key: Option<&Bound<'_, PyAny>>,
    key_file: Option<PathBuf>,
    key_env: Option<&str>,
) -> PyResult<Option<KeyBytes>> {
    let key = key.filter(|k| !k.is_none());
    let given = key.is_some() as u8 + key_file.is_some() as u8 + key_env.is_some() as u8;
    if given > 1 {
        return Err(ConfigError::new_err(
            "give at most one of key, key_file and key_env",
        ));
    }
    if let Some(k) = key {
        return KeyBytes::from_py(k).map(Some);
    }
    if let Some(p) = key_file {
        return KeyBytes::from_file(&p).map(Some);
    }
    key_env.map_or(Ok(None), KeyBytes::from_env)
}

const NEEDS_KEY: &str = "pseudonymisation with the surrogate or hash operators needs a key: \
     Pipeline(key=...), Pipeline(key_file=...) or Pipeline.from_env() (VOILE_KEY)";

/// Optional per-item arguments of a batch: absent, or one value (possibly None) per text.
fn per_item<'py>(
    items: Option<Vec<Bound<'py, PyAny>>>,
    n: usize,
    what: &str,
) -> PyResult<Vec<Option<Bound<'py, PyAny>>>> {
    match items {
        None => Ok(vec![None; n]),
        Some(v) if v.len() == n => Ok(v.into_iter().map(Some).collect()),
        Some(v) => Err(InputError::new_err(format!(
            "{what} has {} items for {n} texts",
            v.len()
        ))),
    }
}

impl PyPipeline {
    fn pseudonymiser(&self) -> PyResult<&voile::Pipeline> {
        if self.can_pseudonymise {
            Ok(&self.engine)
        } else {
            Err(MissingKeyError::new_err(NEEDS_KEY))
        }
    }

    /// A pipeline that only rewrites given spans with `operators` over this config's.
    fn rewriter(
        &self,
        py: Python<'_>,
        operators: &Bound<'_, PyAny>,
    ) -> PyResult<Arc<voile::Pipeline>> {
        let ops = to_json(operators, "operators")?;
        let Value::Object(ops) = ops else {
            return Err(InputError::new_err(
                "operators must be a dict {label: operator}",
            ));
        };
        let cache_key = Value::Object(ops.clone()).to_string();
        if let Some(p) = self.rewriters.lock().expect("not poisoned").get(&cache_key) {
            return Ok(p.clone());
        }
        let mut cfg: Value = serde_json::from_str(&self.engine.config().to_json())
            .expect("a config serialises to JSON");
        for stage in ["use_rules", "use_gazetteer", "use_ner"] {
            cfg[stage] = Value::Bool(false);
        }
        for (label, op) in ops {
            cfg["surrogate"]["operators"][label] = op;
        }
        let cfg = Config::from_json(&cfg.to_string())
            .map_err(|e| ConfigError::new_err(format!("operators: {e}")))?;
        let key = self.key.as_ref();
        let (p, ok) = py.detach(|| build(&cfg, key)).map_err(to_py)?;
        if !ok {
            return Err(MissingKeyError::new_err(NEEDS_KEY));
        }
        let p = Arc::new(p);
        self.rewriters
            .lock()
            .expect("not poisoned")
            .insert(cache_key, p.clone());
        Ok(p)
    }
}

/// Python spans (or any objects with `start`, `end` and `label`/`entity_type`) in code
/// points → sorted, non-overlapping byte spans.
fn spans_from_py(text: &str, results: Vec<Bound<'_, PyAny>>) -> PyResult<Vec<Span>> {
    let map = OffsetMap::new(text);
    let mut spans = Vec::with_capacity(results.len());
    for (i, r) in results.iter().enumerate() {
        let start: usize = r.getattr("start")?.extract()?;
        let end: usize = r.getattr("end")?.extract()?;
        let label: String = match r.getattr("label") {
            Ok(l) => l.extract()?,
            Err(_) => r.getattr("entity_type")?.extract()?,
        };
        let label: Label = label
            .parse()
            .map_err(|_| InputError::new_err(format!("result {i}: unknown label {label:?}")))?;
        let (b0, b1) = cp_range_to_bytes(&map, start, end).ok_or_else(|| {
            InputError::new_err(format!(
                "result {i}: {start}..{end} is empty or outside the text ({} code points)",
                map.len_cp()
            ))
        })?;
        let score: f32 = r.getattr("score").and_then(|s| s.extract()).unwrap_or(1.0);
        spans.push(Span::new(b0, b1, label, "user", score));
    }
    spans.sort_by_key(|s| (s.start, s.end));
    if spans.windows(2).any(|w| w[0].overlaps(&w[1])) {
        return Err(InputError::new_err(
            "results overlap: give non-overlapping spans",
        ));
    }
    Ok(spans)
}

fn pseudo_result(record: &Record, out: voile::PseudoOutput) -> PyPseudoResult {
    let spans = replacements_to_py(&record.text, &out);
    let detected = spans_to_py(&record.text, &out.spans);
    PyPseudoResult {
        text: out.text,
        spans,
        detected,
    }
}

#[pymethods]
impl PyPipeline {
    /// Build the pipeline once (loads gazetteers and the NER model); reuse it.
    ///
    /// `config`: None (the shipped default), a dict, or the path of a JSON config file (the
    /// CLI's `--config`). `key`: bytes, str or `voile.Key`; or `key_file`: a path (as
    /// `--key-file`); or `key_env`: an environment variable name (as `VOILE_KEY`).
    /// Surrounding ASCII whitespace of a key is ignored, exactly as in the CLI.
    #[new]
    #[pyo3(signature = (config = None, key = None, *, key_file = None, key_env = None))]
    fn new(
        py: Python<'_>,
        config: Option<&Bound<'_, PyAny>>,
        key: Option<&Bound<'_, PyAny>>,
        key_file: Option<PathBuf>,
        key_env: Option<&str>,
    ) -> PyResult<Self> {
        let cfg = config_from_py(config)?;
        let key = key_from_args(key, key_file, key_env)?;
        keep_candle_on_calling_thread();
        let k = key.as_ref();
        let (engine, can_pseudonymise) = py.detach(|| build(&cfg, k)).map_err(to_py)?;
        Ok(PyPipeline {
            engine: Arc::new(engine),
            key,
            can_pseudonymise,
            rewriters: Mutex::new(BTreeMap::new()),
        })
    }

    /// A pipeline whose key comes from environment variable `var` (default `VOILE_KEY`),
    /// as `voile pseudo` reads it. Unset or blank: no key.
    #[staticmethod]
    #[pyo3(signature = (config = None, var = KEY_ENV))]
    fn from_env(py: Python<'_>, config: Option<&Bound<'_, PyAny>>, var: &str) -> PyResult<Self> {
        Self::new(py, config, None, None, Some(var))
    }

    /// Spans of `text` (code-point offsets, sorted, non-overlapping). `patient`: the
    /// patient's known identity, like JSONL `meta.patient` (`nom`, `prenom`,
    /// `date_naissance`, `ipp`…); `meta`: a whole JSONL `meta` object.
    #[pyo3(signature = (text, patient = None, *, meta = None))]
    fn detect(
        &self,
        py: Python<'_>,
        text: String,
        patient: Option<&Bound<'_, PyAny>>,
        meta: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<PySpan>> {
        let record = RecordMeta::from_py(None, patient, meta)?.record(String::new(), text);
        Ok(py.detach(|| spans_to_py(&record.text, &self.engine.detect_record(&record))))
    }

    /// `detect` over many texts in parallel (GIL released); output order = input order.
    #[pyo3(signature = (texts, patients = None, *, metas = None))]
    fn detect_batch(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        patients: Option<Vec<Bound<'_, PyAny>>>,
        metas: Option<Vec<Bound<'_, PyAny>>>,
    ) -> PyResult<Vec<Vec<PySpan>>> {
        let n = texts.len();
        let patients = per_item(patients, n, "patients")?;
        let metas = per_item(metas, n, "metas")?;
        let records = texts
            .into_iter()
            .zip(patients.iter().zip(&metas))
            .map(|(t, (p, m))| {
                Ok(RecordMeta::from_py(None, p.as_ref(), m.as_ref())?.record(String::new(), t))
            })
            .collect::<PyResult<Vec<Record>>>()?;
        Ok(py.detach(|| {
            let spans = self.engine.detect_batch(&records);
            records
                .par_iter()
                .zip(spans)
                .map(|(r, s)| spans_to_py(&r.text, &s))
                .collect()
        }))
    }

    /// Detect then pseudonymise one document. `id` keys document-scope surrogates (the
    /// JSONL `id`); `patient_id` (JSONL `meta.patient_id`) keys patient-scope ones, the
    /// default scope; `patient` is the known identity, as in `detect`.
    #[pyo3(signature = (text, id, patient_id = None, *, patient = None, meta = None))]
    fn pseudonymise(
        &self,
        py: Python<'_>,
        text: String,
        id: &Bound<'_, PyAny>,
        patient_id: Option<&Bound<'_, PyAny>>,
        patient: Option<&Bound<'_, PyAny>>,
        meta: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyPseudoResult> {
        let engine = self.pseudonymiser()?;
        let id = id_string(id, "id")?;
        let record = RecordMeta::from_py(patient_id, patient, meta)?.record(id, text);
        let out = py.detach(|| {
            engine
                .pseudonymise_record(&record)
                .map(|o| pseudo_result(&record, o))
        });
        out.map_err(to_py)
    }

    /// `pseudonymise` over many documents in parallel (GIL released); order kept.
    #[pyo3(signature = (texts, ids, patient_ids = None, *, patients = None, metas = None))]
    fn pseudonymise_batch(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        ids: Vec<Bound<'_, PyAny>>,
        patient_ids: Option<Vec<Bound<'_, PyAny>>>,
        patients: Option<Vec<Bound<'_, PyAny>>>,
        metas: Option<Vec<Bound<'_, PyAny>>>,
    ) -> PyResult<Vec<PyPseudoResult>> {
        let engine = self.pseudonymiser()?;
        let n = texts.len();
        if ids.len() != n {
            return Err(InputError::new_err(format!(
                "ids has {} items for {n} texts",
                ids.len()
            )));
        }
        let patient_ids = per_item(patient_ids, n, "patient_ids")?;
        let patients = per_item(patients, n, "patients")?;
        let metas = per_item(metas, n, "metas")?;
        let mut records = Vec::with_capacity(n);
        for (i, t) in texts.into_iter().enumerate() {
            let meta = RecordMeta::from_py(
                patient_ids[i].as_ref(),
                patients[i].as_ref(),
                metas[i].as_ref(),
            )?;
            records.push(meta.record(id_string(&ids[i], "id")?, t));
        }
        // The facade's batch, as the CLI runs it (same detection and scope per batch).
        let out = py.detach(|| {
            engine
                .pseudonymise_batch(&records)
                .into_iter()
                .zip(&records)
                .map(|(o, r)| o.map(|o| pseudo_result(r, o)))
                .collect::<Result<Vec<_>, _>>()
        });
        out.map_err(to_py)
    }

    /// Presidio-style name for `detect`.
    #[pyo3(signature = (text, patient = None, *, meta = None))]
    fn analyze(
        &self,
        py: Python<'_>,
        text: String,
        patient: Option<&Bound<'_, PyAny>>,
        meta: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<PySpan>> {
        self.detect(py, text, patient, meta)
    }

    /// Replace the given spans (e.g. from `analyze`, possibly edited) without detecting.
    /// `operators` (`{label: "surrogate"|"tag"|"redact"|"hash"|"keep"}`) override the
    /// config's `surrogate.operators`; the rewriting itself is voile's. `id`/`patient_id`
    /// key the surrogates as in `pseudonymise`.
    #[pyo3(signature = (text, results, operators = None, *, id = None, patient_id = None))]
    fn anonymize(
        &self,
        py: Python<'_>,
        text: String,
        results: Vec<Bound<'_, PyAny>>,
        operators: Option<&Bound<'_, PyAny>>,
        id: Option<&Bound<'_, PyAny>>,
        patient_id: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyPseudoResult> {
        let engine = match operators.filter(|o| !o.is_none()) {
            Some(ops) => self.rewriter(py, ops)?,
            None => {
                self.pseudonymiser()?;
                self.engine.clone()
            }
        };
        let spans = spans_from_py(&text, results)?;
        let id = id
            .map(|i| id_string(i, "id"))
            .transpose()?
            .unwrap_or_default();
        let record = RecordMeta::from_py(patient_id, None, None)?.record(id, text);
        let out = py.detach(|| {
            engine
                .pseudonymise_spans(&record, spans)
                .map(|o| pseudo_result(&record, o))
        });
        out.map_err(to_py)
    }

    /// The effective configuration, as the JSON `--config` would hold it.
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?
            .call_method1("loads", (self.engine.config().to_json(),))
    }

    /// Active detectors, in the order they run.
    #[getter]
    fn detectors(&self) -> Vec<String> {
        self.engine
            .detector_names()
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// Whether a key was given (never the key itself).
    #[getter]
    fn has_key(&self) -> bool {
        self.key.is_some()
    }

    fn __repr__(&self) -> String {
        format!(
            "Pipeline(detectors={:?}, key={})",
            self.engine.detector_names(),
            if self.key.is_some() { "<set>" } else { "None" }
        )
    }
}

/// Dict helper for the module: labels in their fixed order.
pub fn labels() -> Vec<&'static str> {
    Label::ALL.iter().map(|l| l.as_str()).collect()
}
