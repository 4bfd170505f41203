//! One module per subcommand, plus shared input/output handling.
pub mod bench;
pub mod bench_shapes;
pub mod detect;
pub mod eval;
pub mod input;
pub mod link;
pub mod output;
pub mod progress;
pub mod pseudo;
pub mod resume;
pub mod scan;
pub mod synth;
pub mod table;
pub mod train;
pub mod train_data;

use anyhow::{Context, Result};
use input::{bad_at, BadRecord, IdRegistry, Source};
use std::path::Path;
use std::process::ExitCode;
use voile_core::{Error, ErrorKind};

/// The pipeline from `--config` (or the shipped default), under `--profile` if given.
pub fn pipeline_from(
    config: Option<&Path>,
    profile: Option<voile::Profile>,
) -> Result<voile::Pipeline> {
    let mut cfg = match config {
        Some(p) => voile::Config::from_file(p)?,
        None => voile::Config::default(),
    };
    if let Some(p) = profile {
        cfg = cfg.with_profile(p);
    }
    voile::Pipeline::new(&cfg).with_context(|| {
        format!(
            "cannot build the pipeline (resources read from {}; set {} to a directory holding \
             gazetteers/ and models/, or put them in voile-data/ beside the binary)",
            voile::resources::root(cfg.resources.as_deref()).display(),
            voile::resources::HOME_ENV
        )
    })
}

/// What went wrong with individual records of a run, reported as it happens (origin, line,
/// id — never text) and summarised at the end.
///
/// Exit code policy: 0 = every record processed; 1 = some records were bad or failed (each
/// reported on stderr); fatal errors exit 2 from `main`.
pub struct RecordIssues {
    cmd: &'static str,
    pub written: usize,
    pub bad: usize,
    pub duplicates: usize,
}

impl RecordIssues {
    pub fn new(cmd: &'static str) -> Self {
        RecordIssues {
            cmd,
            written: 0,
            bad: 0,
            duplicates: 0,
        }
    }

    /// Report a bad or failed record; it is not written.
    pub fn bad(&mut self, b: BadRecord) {
        eprintln!("voile {}: {b}", self.cmd);
        self.bad += 1;
    }

    /// Check the record's id against the run's ids: a repeat is warned about, or refused
    /// (reported as bad) when `refuse` is set. `true` = process the record.
    pub fn admit_id(
        &mut self,
        ids: &mut IdRegistry,
        source: &Source,
        line: usize,
        id: &str,
        refuse: bool,
    ) -> bool {
        let here = format!("{} line {line}", source.origin());
        let Some(first) = ids.check(id, here) else {
            return true;
        };
        self.duplicates += 1;
        let msg = format!("duplicate id (first seen at {first})");
        if refuse {
            let e = Error::new(ErrorKind::BadRecord(msg)).in_record(id);
            self.bad(bad_at(source, line, e));
            false
        } else {
            eprintln!(
                "voile {}: warning: {}: line {line}: record {id:?}: {msg}",
                self.cmd,
                source.origin(),
            );
            true
        }
    }

    /// The end-of-run summary and exit code.
    pub fn finish(&self, skipped_paths: usize) -> Result<ExitCode> {
        let mut notes = Vec::new();
        if self.bad > 0 {
            notes.push(format!("{} bad or failed record(s) not written", self.bad));
        }
        if self.duplicates > 0 {
            notes.push(format!("{} duplicate id(s)", self.duplicates));
        }
        if skipped_paths > 0 {
            notes.push(format!("{skipped_paths} path(s) skipped"));
        }
        if !notes.is_empty() {
            eprintln!(
                "voile {}: {} record(s) written; {} (listed above)",
                self.cmd,
                self.written,
                notes.join(", ")
            );
        }
        Ok(if self.bad > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    }
}
