//! One module per subcommand, plus shared input/output handling.
pub mod bench;
pub mod detect;
pub mod eval;
pub mod input;
pub mod output;
pub mod pseudo;
pub mod synth;
pub mod train;

use anyhow::{Context, Result};
use input::BadRecord;
use std::path::Path;
use std::process::ExitCode;

/// The pipeline from `--config`, or the shipped default.
pub fn pipeline_from(config: Option<&Path>) -> Result<voile::Pipeline> {
    let cfg = match config {
        Some(p) => voile::Config::from_file(p)?,
        None => voile::Config::default(),
    };
    voile::Pipeline::new(&cfg).context("cannot build the pipeline")
}

/// Exit code policy: 0 = every record processed; 1 = some records were bad (each already
/// reported on stderr with its origin and line); fatal errors exit 2 from `main`.
pub fn report_bad(cmd: &str, written: usize, bad: &[BadRecord]) -> Result<ExitCode> {
    if bad.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "voile {cmd}: {written} record(s) written, {} bad record(s) skipped (listed above)",
            bad.len()
        );
        Ok(ExitCode::from(1))
    }
}
