//! `voile detect`: spans for every input document, written as the JSONL contract.
//!
//! `voile detect < in.jsonl > out.jsonl` is the evaluators' interface: stdin to stdout with the
//! default pipeline. Inputs may also be JSONL, JSON or `.txt` files or directories; all records
//! go to one JSONL stream (stdout or `--out FILE`) in input order. A record that fails is
//! reported (origin, line, id) and the others go on.

use super::input::{bad_at, collect_sources, read_chunks, BadRecord, IdRegistry};
use super::output::{OutputPlan, Sink};
use super::{pipeline_from, RecordIssues};
use anyhow::Result;
use rayon::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// JSONL files, .json files, .txt files or directories; none or `-` = JSONL on stdin; or
    /// one table (.parquet, .pq, .csv, .tsv) with --text-column.
    pub inputs: Vec<PathBuf>,
    /// Write to this JSONL file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Pipeline config (JSON); default = the shipped default pipeline.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Privacy profile (`default`, `recall`): replaces the config's model policy.
    #[arg(long)]
    pub profile: Option<voile::Profile>,
    /// Omit each span's `source` and `score`.
    #[arg(long)]
    pub no_provenance: bool,
    /// Refuse records whose id was already seen in this run (default: warn and process).
    #[arg(long)]
    pub unique_ids: bool,
    #[command(flatten)]
    pub table: super::table::TableArgs,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let table = super::table::TableJob::from_args(&args.inputs, &args.table)?;
    let pipeline = pipeline_from(args.config.as_deref(), args.profile)?;
    if let Some(job) = table {
        return super::table::detect(
            job,
            &pipeline,
            args.out.as_deref(),
            !args.no_provenance,
            args.unique_ids,
        );
    }
    let inputs = collect_sources(&args.inputs)?;
    inputs.report_skipped("detect");
    if let Some(p) = &args.out {
        let mut plan = OutputPlan::default();
        plan.add(p, "--out");
        let files: Vec<PathBuf> = inputs
            .sources
            .iter()
            .filter_map(|s| s.path.clone())
            .collect();
        plan.check(&files, &[])?;
    }
    let mut sink = match &args.out {
        Some(p) => Sink::file(p)?,
        None => Sink::stdout(),
    };
    let mut issues = RecordIssues::new("detect");
    let mut ids = IdRegistry::default();
    for source in &inputs.sources {
        let mut bad: Vec<BadRecord> = Vec::new();
        read_chunks(
            source,
            |mut chunk| {
                let results = pipeline.try_detect_batch(&chunk.records);
                let lines: Vec<Result<String, voile::Error>> = chunk
                    .records
                    .par_iter_mut()
                    .zip(results)
                    .map(|(r, spans)| {
                        r.spans = spans?;
                        Ok(r.to_json_line(!args.no_provenance))
                    })
                    .collect();
                for ((rec, &line_no), line) in chunk.records.iter().zip(&chunk.lines).zip(lines) {
                    if !issues.admit_id(&mut ids, source, line_no, &rec.id, args.unique_ids) {
                        continue;
                    }
                    match line {
                        Ok(l) => {
                            sink.write_line(&l)?;
                            issues.written += 1;
                        }
                        Err(e) => issues.bad(bad_at(source, line_no, e)),
                    }
                }
                Ok(())
            },
            |b| bad.push(b),
        )?;
        for b in bad {
            issues.bad(b);
        }
    }
    sink.finish()?;
    issues.finish(inputs.skipped.len())
}
