//! The secret key as Python sees it: an opaque `voile.Key` that never shows its bytes
//! (`repr` is `Key(***)`, it cannot be pickled) and is read with the CLI's exact rules, so
//! `Key.from_file(f)` == `--key-file f` and `Key.from_env()` == `VOILE_KEY`.

use crate::errors::{to_py, ConfigError, InputError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use std::path::PathBuf;

/// Default environment variable, as in `voile pseudo`.
pub const KEY_ENV: &str = "VOILE_KEY";

/// Key bytes, already trimmed and length-checked; wiped on drop like `voile::Key`.
/// Kept (rather than a `voile::Key`) because `anonymize` with other operators builds
/// further pseudonymisers, each taking a `Key` by value.
pub struct KeyBytes(Vec<u8>);

impl KeyBytes {
    /// Surrounding ASCII whitespace is ignored, as `voile::Key::from_env`/`from_file` do
    /// (a trailing newline in a key file must not change the surrogates).
    pub fn new(raw: &[u8]) -> Result<KeyBytes, voile::Error> {
        let trimmed = raw.trim_ascii();
        voile::Key::from_bytes(trimmed)?;
        Ok(KeyBytes(trimmed.to_vec()))
    }

    pub fn key(&self) -> voile::Key {
        voile::Key::from_bytes(&self.0).expect("length checked in KeyBytes::new")
    }

    pub fn clone_bytes(&self) -> KeyBytes {
        KeyBytes(self.0.clone())
    }

    /// The key in environment variable `var`; `None` when unset or blank (as the CLI).
    pub fn from_env(var: &str) -> PyResult<Option<KeyBytes>> {
        let Some(v) = std::env::var_os(var) else {
            return Ok(None);
        };
        let bytes = v.into_encoded_bytes();
        if bytes.trim_ascii().is_empty() {
            return Ok(None);
        }
        KeyBytes::new(&bytes)
            .map(Some)
            .map_err(|e| ConfigError::new_err(format!("environment variable {var}: {e}")))
    }

    /// The whole content of a key file.
    pub fn from_file(path: &std::path::Path) -> PyResult<KeyBytes> {
        let bytes = std::fs::read(path).map_err(|e| {
            ConfigError::new_err(format!("cannot read key file {}: {e}", path.display()))
        })?;
        KeyBytes::new(&bytes)
            .map_err(|e| ConfigError::new_err(format!("key file {}: {e}", path.display())))
    }

    /// `bytes`, `str` (UTF-8) or a `voile.Key`.
    pub fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<KeyBytes> {
        if let Ok(k) = obj.cast::<PyKey>() {
            return Ok(k.get().bytes.clone_bytes());
        }
        if let Ok(b) = obj.cast::<PyBytes>() {
            return KeyBytes::new(b.as_bytes()).map_err(to_py);
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return KeyBytes::new(s.extract::<String>()?.as_bytes()).map_err(to_py);
        }
        Err(InputError::new_err("key must be bytes, str or voile.Key"))
    }
}

impl Drop for KeyBytes {
    fn drop(&mut self) {
        for b in self.0.iter_mut() {
            // Volatile so the wipe is not optimised away.
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

/// A secret key for keyed surrogates. Build it from bytes, a file or an environment
/// variable; it never prints its bytes and cannot be pickled (read it where it is used,
/// e.g. on each Spark executor, rather than shipping it).
#[pyclass(frozen, module = "voile", name = "Key")]
pub struct PyKey {
    pub bytes: KeyBytes,
}

#[pymethods]
impl PyKey {
    /// `Key(b"...")`: at least 16 bytes once surrounding ASCII whitespace is removed.
    #[new]
    fn new(key: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyKey {
            bytes: KeyBytes::from_py(key)?,
        })
    }

    /// The key stored in a file (as `voile pseudo --key-file`).
    #[staticmethod]
    fn from_file(path: PathBuf) -> PyResult<Self> {
        Ok(PyKey {
            bytes: KeyBytes::from_file(&path)?,
        })
    }

    /// The key in an environment variable (default `VOILE_KEY`), or `None` if unset/blank.
    #[staticmethod]
    #[pyo3(signature = (var = KEY_ENV))]
    fn from_env(var: &str) -> PyResult<Option<Self>> {
        Ok(KeyBytes::from_env(var)?.map(|bytes| PyKey { bytes }))
    }

    /// A random one-off key (64 hex characters from Python's `secrets`): surrogates made
    /// with it cannot be reproduced by any other run, as `voile pseudo --random-key`.
    #[staticmethod]
    fn random(py: Python<'_>) -> PyResult<Self> {
        let hex = py.import("secrets")?.call_method1("token_hex", (32,))?;
        Ok(PyKey {
            bytes: KeyBytes::from_py(&hex)?,
        })
    }

    fn __repr__(&self) -> &'static str {
        "Key(***)"
    }

    fn __str__(&self) -> &'static str {
        "Key(***)"
    }
}
