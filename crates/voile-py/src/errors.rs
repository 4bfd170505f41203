//! Python exceptions. Every message comes from a `voile::Error` (which names records, lines,
//! paths and offsets, never document text) or from this crate (lengths, types, field names).

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use voile::{Error, ErrorKind};

create_exception!(
    voile,
    VoileError,
    PyException,
    "Base class of every error raised by voile."
);
create_exception!(
    voile,
    ConfigError,
    VoileError,
    "Invalid configuration, unreadable config or key file, or a key that is too short."
);
create_exception!(
    voile,
    MissingKeyError,
    ConfigError,
    "Pseudonymisation with the `surrogate` or `hash` operators was asked for without a key."
);
create_exception!(
    voile,
    ResourceError,
    VoileError,
    "A shipped resource (gazetteer list, NER model) is missing or corrupt; see VOILE_HOME."
);
create_exception!(
    voile,
    InputError,
    VoileError,
    "Bad input: wrong types, mismatched batch lengths, spans outside the text."
);

/// Map a library error onto the exception hierarchy. Files that cannot be read at build
/// time are the config or key file, hence `ConfigError`.
pub fn to_py(e: Error) -> PyErr {
    let msg = e.to_string();
    match e.kind {
        ErrorKind::Resource(_) => ResourceError::new_err(format!(
            "{msg} (set VOILE_HOME to a directory holding gazetteers/ and models/)"
        )),
        ErrorKind::BadRecord(_) | ErrorKind::BadOffsets(_) | ErrorKind::BadLabel(_) => {
            InputError::new_err(msg)
        }
        _ => ConfigError::new_err(msg),
    }
}

/// Register the exception types on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("VoileError", py.get_type::<VoileError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("MissingKeyError", py.get_type::<MissingKeyError>())?;
    m.add("ResourceError", py.get_type::<ResourceError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    Ok(())
}
