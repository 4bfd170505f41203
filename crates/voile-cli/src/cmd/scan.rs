//! `voile scan TABLE`: which columns of a Parquet, CSV or TSV table look identifying.
//!
//! Reads the first `--sample` rows (default 1000: deterministic, no random sampling), renders
//! every cell as text (`17`, `2021-03-12`) and profiles each column with
//! [`voile::scan::ColumnScanner`] (rules, name lists, the pipeline on free text; the column
//! name as a weak hint; thresholds documented there). Prints a table, or JSON with `--json`:
//! `{"columns": [{"name": …, "sensitive": true, "labels": {"NOM": 0.93, …}}]}`.
//! Never prints a value. Exit code 0 whatever is found.

use super::pipeline_from;
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;
use voile::scan::{ColumnReport, ColumnScanner};
use voile_io::TableReader;

#[derive(clap::Args)]
pub struct Args {
    /// The table (.parquet, .pq, .csv, .tsv).
    pub input: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Rows read from the start of the table.
    #[arg(long, default_value_t = 1000)]
    pub sample: usize,
    /// Scan only these columns (repeat); default every column.
    #[arg(long = "text-column", value_name = "COL")]
    pub columns: Vec<String>,
    /// Pipeline config (JSON); default = the shipped default pipeline.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Privacy profile (`default`, `recall`): replaces the config's model policy.
    #[arg(long)]
    pub profile: Option<voile::Profile>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    if args.sample == 0 {
        bail!("--sample must be at least 1");
    }
    let origin = args.input.display().to_string();
    let reader = TableReader::open(&args.input, args.sample.min(4096)).context(origin.clone())?;
    let indices: Vec<usize> = if args.columns.is_empty() {
        (0..reader.columns().len()).collect()
    } else {
        args.columns
            .iter()
            .map(|c| reader.column_index(c).context(origin.clone()))
            .collect::<Result<_>>()?
    };
    let names: Vec<String> = indices
        .iter()
        .map(|&i| reader.columns()[i].name.clone())
        .collect();
    let samples = sample_columns(reader, &indices, args.sample).context(origin)?;
    let pipeline = pipeline_from(args.config.as_deref(), args.profile)?;
    let scanner = ColumnScanner::new(&pipeline);
    let reports: Vec<ColumnReport> = names
        .iter()
        .zip(&samples)
        .map(|(name, values)| scanner.scan(name, values))
        .collect();
    let text = if args.json {
        to_json(&reports)
    } else {
        to_table(&reports)
    };
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// The first `sample` values of each column, rendered as text (null = `None`).
fn sample_columns(
    reader: TableReader,
    indices: &[usize],
    sample: usize,
) -> Result<Vec<Vec<Option<String>>>> {
    let mut out = vec![Vec::new(); indices.len()];
    let mut rows = 0;
    for batch in reader {
        let batch = batch?;
        let take = (sample - rows).min(batch.num_rows());
        for (col, &i) in out.iter_mut().zip(indices) {
            col.extend(batch.display_column(i)?.into_iter().take(take));
        }
        rows += take;
        if rows >= sample {
            break;
        }
    }
    Ok(out)
}

fn to_json(reports: &[ColumnReport]) -> String {
    let columns: Vec<serde_json::Value> = reports
        .iter()
        .map(|r| {
            serde_json::json!({
                "name": r.name,
                "sensitive": r.sensitive,
                "values": r.values,
                "labels": r.labels,
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "columns": columns }))
        .expect("JSON values always serialise")
}

/// One line per column: name, verdict, values sampled, labels by decreasing share.
fn to_table(reports: &[ColumnReport]) -> String {
    let width = reports
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(0)
        .max("column".len());
    let mut lines = vec![format!(
        "{:width$}  {:9}  {:>6}  labels (share of sampled values)",
        "column", "sensitive", "values"
    )];
    for r in reports {
        let mut labels: Vec<(&String, &f64)> = r.labels.iter().collect();
        labels.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
        let shown: Vec<String> = labels
            .iter()
            .map(|(l, s)| match **s {
                s if s < 0.01 => format!("{l} <1%"),
                s => format!("{l} {:.0}%", s * 100.0),
            })
            .collect();
        lines.push(format!(
            "{:width$}  {:9}  {:>6}  {}",
            r.name,
            if r.sensitive { "YES" } else { "no" },
            r.values,
            shown.join(", ")
        ));
    }
    lines.join("\n")
}
