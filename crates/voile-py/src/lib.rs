//! voile-py: Python bindings of the `voile` facade (module `voile._voile`, wrapped by the
//! pure-Python package `voile`). No detection logic lives here: only argument conversion,
//! code-point offsets, GIL release around the facade's batch methods, and exceptions.

mod convert;
mod errors;
mod key;
mod offsets;
mod pipeline;
mod types;

use pyo3::prelude::*;

#[pymodule]
fn _voile(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add_class::<pipeline::PyPipeline>()?;
    m.add_class::<key::PyKey>()?;
    m.add_class::<types::PySpan>()?;
    m.add_class::<types::PyReplacement>()?;
    m.add_class::<types::PyPseudoResult>()?;
    m.add("LABELS", pipeline::labels())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
