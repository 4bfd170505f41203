//! `voile eval`: score the engine, or any system's predictions, against a gold corpus.
//!
//! GOLD (and PRED) is a JSONL file or a BRAT folder. Without `--pred` the engine runs on the
//! gold texts (in parallel; its throughput goes into the report). Prints a table, or the JSON
//! report with `--json`; `--html FILE` writes a self-contained page. Definitions and the JSON
//! schema: `crates/voile-eval/SCHEMA.md`. Exit 0 on success, 2 on bad input (every bad line
//! listed on stderr by origin and line number, never with document text).

use super::pipeline_from;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use voile_core::corpus::Record;
use voile_eval::{evaluate, read_corpus, EvalOptions, LabelMap, Report, Throughput};

#[derive(clap::Args)]
pub struct Args {
    /// Reference corpus: a JSONL file or a BRAT folder (.txt + .ann).
    #[arg(long)]
    pub gold: PathBuf,
    /// Predictions (JSONL file or BRAT folder); without it the engine runs on the gold texts.
    #[arg(long)]
    pub pred: Option<PathBuf>,
    /// Label map (JSON object or TSV) applied to gold, predictions and engine output.
    #[arg(long)]
    pub label_map: Option<PathBuf>,
    /// Pipeline config (JSON) for the engine run.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Privacy profile (`default`, `recall`): replaces the config's model policy.
    #[arg(long)]
    pub profile: Option<voile::Profile>,
    /// Print the JSON report to stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Also write the JSON report to this file.
    #[arg(long, value_name = "FILE")]
    pub json_out: Option<PathBuf>,
    /// Write a self-contained HTML report (shows document text) to this file.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Bootstrap resamples for the 95% intervals (0 disables them).
    #[arg(long, default_value_t = EvalOptions::default().bootstrap_samples)]
    pub bootstrap: usize,
    /// Bootstrap seed.
    #[arg(long, default_value_t = EvalOptions::default().seed)]
    pub seed: u64,
    /// Include the text of residual (leaked) tokens in the JSON report.
    #[arg(long)]
    pub show_text: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let label_map = match &args.label_map {
        Some(p) => LabelMap::from_file(p)?,
        None => LabelMap::identity(),
    };
    let Some(gold) = load(&args.gold, &label_map) else {
        return Ok(ExitCode::from(2));
    };
    let (pred, throughput) = match &args.pred {
        Some(p) => match load(p, &label_map) {
            Some(pred) => (pred, None),
            None => return Ok(ExitCode::from(2)),
        },
        None => {
            let (pred, t) = run_engine(&gold, &label_map, args.config.as_deref(), args.profile)?;
            (pred, Some(t))
        }
    };
    let opts = EvalOptions {
        bootstrap_samples: args.bootstrap,
        seed: args.seed,
        show_text: args.show_text,
    };
    let mut report = match evaluate(&gold, &pred, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("voile eval: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    if let Some(t) = throughput {
        report = report.with_throughput(t);
    }
    write_outputs(&args, &report, &gold, &pred)?;
    Ok(ExitCode::SUCCESS)
}

/// Read a corpus, listing every bad line on stderr; `None` when there was any.
fn load(path: &Path, label_map: &LabelMap) -> Option<Vec<Record>> {
    match read_corpus(path, label_map) {
        Ok(records) => Some(records),
        Err(errors) => {
            for e in &errors {
                eprintln!("voile eval: {}: {e}", path.display());
            }
            eprintln!(
                "voile eval: {}: {} error(s), nothing scored",
                path.display(),
                errors.len()
            );
            None
        }
    }
}

/// Detect on every gold text in parallel; only detection is timed.
fn run_engine(
    gold: &[Record],
    label_map: &LabelMap,
    config: Option<&Path>,
    profile: Option<voile::Profile>,
) -> Result<(Vec<Record>, Throughput)> {
    let pipeline = pipeline_from(config, profile)?;
    let started = Instant::now();
    let spans: Vec<_> = gold.par_iter().map(|r| pipeline.detect_record(r)).collect();
    let seconds = started.elapsed().as_secs_f64();
    let bytes = gold.iter().map(|r| r.text.len()).sum();
    let pred = gold
        .iter()
        .zip(spans)
        .map(|(g, spans)| {
            let mut p = Record::new(g.id.clone(), g.text.clone());
            p.spans = spans
                .into_iter()
                .filter_map(|mut s| {
                    s.label = label_map.map_label(s.label)?;
                    Some(s)
                })
                .collect();
            p
        })
        .collect();
    let t = Throughput::new(gold.len(), bytes, seconds, rayon::current_num_threads());
    Ok((pred, t))
}

fn write_outputs(args: &Args, report: &Report, gold: &[Record], pred: &[Record]) -> Result<()> {
    let json = report.to_json();
    if let Some(p) = &args.json_out {
        std::fs::write(p, format!("{json}\n"))
            .with_context(|| format!("cannot write {}", p.display()))?;
    }
    if let Some(p) = &args.html {
        std::fs::write(p, report.to_html(gold, pred))
            .with_context(|| format!("cannot write {}", p.display()))?;
    }
    if args.json {
        println!("{json}");
    } else {
        print!("{}", report.to_table());
    }
    Ok(())
}
