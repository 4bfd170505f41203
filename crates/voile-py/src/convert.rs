//! Python values → the JSONL record the CLI would have read, so that the same text and the
//! same `meta` give the same spans and surrogates from Python and from `voile`.

use crate::errors::{ConfigError, InputError};
use pyo3::prelude::*;
use pyo3::types::{PyInt, PyString};
use serde_json::{Map, Value};
use voile::corpus::Record;

/// A JSON-compatible Python value (dict of str/int…) as serde JSON, through Python's own
/// `json` module. Non-JSON values (dates, timestamps) are written as `str(value)`. The
/// message names the argument, never its content.
pub fn to_json(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    let py = obj.py();
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("default", py.get_type::<PyString>())?;
    kwargs.set_item("allow_nan", false)?;
    let text: String = py
        .import("json")?
        .call_method("dumps", (obj,), Some(&kwargs))
        .and_then(|s| s.extract())
        .map_err(|_| InputError::new_err(format!("{what} must be JSON-compatible")))?;
    serde_json::from_str(&text)
        .map_err(|_| InputError::new_err(format!("{what} must be JSON-compatible")))
}

/// A document or patient id: `str`, or `int` (written in decimal, as the CLI does for a
/// numeric JSON `id`).
pub fn id_string(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return s.extract::<String>();
    }
    if obj.cast::<PyInt>().is_ok() && !obj.is_instance_of::<pyo3::types::PyBool>() {
        return obj.str()?.extract::<String>();
    }
    Err(InputError::new_err(format!("{what} must be str or int")))
}

/// What a record carries besides its text.
#[derive(Default)]
pub struct RecordMeta {
    /// `meta.patient_id`: the surrogate scope (with the default `patient` scope).
    pub patient_id: Option<String>,
    /// `meta.patient`: the patient's known identity, matched everywhere in the text.
    pub patient: Option<Value>,
    /// A whole JSONL `meta` object; `patient` and `patient_id` above override its fields.
    pub meta: Option<Map<String, Value>>,
}

impl RecordMeta {
    pub fn from_py(
        patient_id: Option<&Bound<'_, PyAny>>,
        patient: Option<&Bound<'_, PyAny>>,
        meta: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<RecordMeta> {
        let meta = match meta.filter(|m| !m.is_none()) {
            None => None,
            Some(m) => match to_json(m, "meta")? {
                Value::Object(o) => Some(o),
                _ => return Err(InputError::new_err("meta must be a dict")),
            },
        };
        let patient = match patient.filter(|p| !p.is_none()) {
            None => None,
            Some(p) => match to_json(p, "patient")? {
                v @ Value::Object(_) => Some(v),
                _ => return Err(InputError::new_err("patient must be a dict")),
            },
        };
        let patient_id = patient_id
            .filter(|p| !p.is_none())
            .map(|p| id_string(p, "patient_id"))
            .transpose()?;
        Ok(RecordMeta {
            patient_id,
            patient,
            meta,
        })
    }

    /// The record `{"id", "text", "meta": {...}}` as the CLI parses it from JSONL.
    pub fn record(self, id: String, text: String) -> Record {
        let mut r = Record::new(id, text);
        let mut meta = self.meta.unwrap_or_default();
        if let Some(p) = self.patient {
            meta.insert("patient".into(), p);
        }
        if let Some(p) = self.patient_id {
            meta.insert("patient_id".into(), Value::String(p));
        }
        if !meta.is_empty() {
            r.extra.insert("meta".into(), Value::Object(meta));
        }
        r
    }
}

/// `None` → the default config; `dict` → its JSON; `str`/`os.PathLike` → a JSON file.
pub fn config_from_py(config: Option<&Bound<'_, PyAny>>) -> PyResult<voile::Config> {
    let Some(c) = config.filter(|c| !c.is_none()) else {
        return Ok(voile::Config::default());
    };
    if c.is_instance_of::<pyo3::types::PyDict>() {
        let json = to_json(c, "config")?.to_string();
        return voile::Config::from_json(&json)
            .map_err(|e| ConfigError::new_err(format!("config: {e}")));
    }
    let path: std::path::PathBuf = c
        .extract()
        .map_err(|_| InputError::new_err("config must be None, a dict or a path"))?;
    voile::Config::from_file(&path).map_err(crate::errors::to_py)
}
