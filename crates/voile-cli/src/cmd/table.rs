//! Table mode of `detect` and `pseudo`: a Parquet, CSV or TSV input (`.parquet`/`.pq`,
//! `.csv`, `.tsv`) whose `--text-column`s are processed, row by row, as documents.
//!
//! Each non-null cell of a text column is one record, given to the pipeline exactly as a JSONL
//! record would be (`Pipeline::pseudonymise_batch` / `try_detect_batch`), in row-major order
//! (row 1's text columns, then row 2's…) and in chunks of the JSONL reader's size
//! ([`CHUNK_RECORDS`] records), so the same texts with the same ids, patients and key give the
//! same output as JSONL input:
//! - the row id is the `--id-column` value rendered as text (`17`, `A-12`), or the row number
//!   (1-based, header excluded) without `--id-column` or when the id cell is null;
//! - the document id is the row id with one text column, `{row id}:{column}` with several:
//!   each cell is its own document, and document-scoped surrogates and date shifts depend on
//!   the document id (patient scope, the default, depends on the patient instead);
//! - a repeated row id is warned about, or refused with `--unique-ids` (the row's text cells
//!   are then written null and reported);
//! - `meta.patient_id` is the `--patient-column` value (null = no patient), so patient-scope
//!   surrogates and propagation work as with JSONL.
//!
//! `pseudo` writes the same table (same format, same columns and types, same row order and
//! count) with only the text columns replaced; a null cell stays null, an empty one empty. A
//! cell that fails (a pipeline error, a CSV cell that is not UTF-8) is reported (row, column,
//! id; never text) and written as null — never in clear — and the run exits 1. `detect` writes
//! one row per span: id, column, start, end (code points), label, score, source — as Parquet,
//! CSV or TSV per `--out`'s extension, else JSONL (stdout without `--out`).

use super::input::{BadRecord, IdRegistry, CHUNK_RECORDS};
use super::output::{OutputPlan, Sink};
use super::RecordIssues;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use voile::corpus::{OffsetMap, Record};
use voile::{Audit, Pipeline};
use voile_core::{Error, ErrorKind};
use voile_io::{Batch, Cell, ColumnKind, TableFormat, TableReader};

/// Options of the table mode, shared by `detect` and `pseudo`.
#[derive(clap::Args, Debug, Default)]
pub struct TableArgs {
    /// Table input (.parquet, .pq, .csv, .tsv): a column of text to process (repeat for several).
    #[arg(long = "text-column", value_name = "COL")]
    pub text_columns: Vec<String>,
    /// Table input: the column holding each row's id (default: the row number, 1-based).
    #[arg(long, value_name = "COL")]
    pub id_column: Option<String>,
    /// Table input: the column holding each row's patient id (patient-scope surrogates and
    /// propagation, as `meta.patient_id` in JSONL).
    #[arg(long, value_name = "COL")]
    pub patient_column: Option<String>,
}

impl TableArgs {
    fn any(&self) -> bool {
        !self.text_columns.is_empty() || self.id_column.is_some() || self.patient_column.is_some()
    }
}

/// An opened table input with its columns resolved.
pub struct TableJob {
    reader: TableReader,
    cols: TableColumns,
}

/// The input's path and the columns a run reads.
struct TableColumns {
    path: PathBuf,
    /// (index in the table, name) of each text column, in the order given.
    texts: Vec<(usize, String)>,
    id: Option<usize>,
    patient: Option<usize>,
}

/// Rows per batch so that a batch holds [`CHUNK_RECORDS`] documents, as a JSONL chunk does.
fn rows_per_batch(text_columns: usize) -> usize {
    (CHUNK_RECORDS / text_columns.max(1)).max(1)
}

impl TableJob {
    /// The table job of a command line, or `None` when its inputs are not a table. A table is
    /// the only input of its run and needs `--text-column`; table options without a table
    /// input are refused.
    /// `encoding`: of a CSV/TSV export (`--encoding`; UTF-8 when `None`).
    pub fn from_args(
        inputs: &[PathBuf],
        args: &TableArgs,
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> Result<Option<TableJob>> {
        let tables: Vec<&PathBuf> = inputs
            .iter()
            .filter(|p| voile_io::is_table_path(p))
            .collect();
        let Some(&path) = tables.first() else {
            if args.any() {
                bail!("--text-column, --id-column and --patient-column apply to a table input (.parquet, .pq, .csv, .tsv)");
            }
            return Ok(None);
        };
        if inputs.len() > 1 {
            bail!(
                "a table input ({}) must be the only input of its run",
                path.display()
            );
        }
        if args.text_columns.is_empty() {
            bail!(
                "{}: a table input needs --text-column COL (the column(s) holding the text)",
                path.display()
            );
        }
        let at = |e| anyhow::Error::new(e).context(path.display().to_string());
        let rows = rows_per_batch(args.text_columns.len());
        let reader = TableReader::open_decoded(path, rows, encoding).map_err(at)?;
        let mut texts = Vec::new();
        for name in &args.text_columns {
            if texts.iter().any(|(_, n)| n == name) {
                bail!("--text-column {name:?} is given twice");
            }
            texts.push((reader.text_column_index(name).map_err(at)?, name.clone()));
        }
        let column = |name: &Option<String>| -> Result<Option<usize>> {
            name.as_ref()
                .map(|n| reader.column_index(n).map_err(at))
                .transpose()
        };
        let id = column(&args.id_column)?;
        let patient = column(&args.patient_column)?;
        Ok(Some(TableJob {
            reader,
            cols: TableColumns {
                path: path.clone(),
                texts,
                id,
                patient,
            },
        }))
    }
}

impl TableColumns {
    fn origin(&self) -> String {
        self.path.display().to_string()
    }

    /// The documents of a batch in row-major order, and cells that could not be read.
    fn documents(&self, batch: &Batch, seen: &mut RowIds) -> Result<Documents> {
        let columns: Vec<voile_io::TextColumn> = self
            .texts
            .iter()
            .map(|(i, _)| batch.text_column(*i))
            .collect::<Result<_, _>>()?;
        let ids = match self.id {
            Some(i) => batch.display_column(i)?,
            None => vec![None; batch.num_rows()],
        };
        let patients = match self.patient {
            Some(i) => batch.display_column(i)?,
            None => vec![None; batch.num_rows()],
        };
        let mut docs = Documents::default();
        for r in 0..batch.num_rows() {
            let row = batch.first_row + r + 1;
            let row_id = ids[r].clone().unwrap_or_else(|| row.to_string());
            let refused = match self.id {
                Some(_) => seen.check(&self.origin(), row, &row_id),
                None => None,
            };
            for (c, (_, name)) in self.texts.iter().enumerate() {
                let place = CellPlace {
                    batch_row: r,
                    row,
                    column: c,
                    row_id: row_id.clone(),
                };
                if let Some(why) = &refused {
                    let e = Error::new(ErrorKind::BadRecord(why.clone()))
                        .in_record(self.document_id(&row_id, name));
                    docs.unreadable.push((place, e));
                    continue;
                }
                if columns[c].invalid.contains(&r) {
                    let e = Error::new(ErrorKind::BadRecord("text cell is not UTF-8".into()))
                        .in_record(self.document_id(&row_id, name));
                    docs.unreadable.push((place, e));
                    continue;
                }
                let Some(text) = &columns[c].values[r] else {
                    continue;
                };
                let mut record = Record::new(self.document_id(&row_id, name), text.clone());
                if let Some(p) = &patients[r] {
                    record
                        .extra
                        .insert("meta".into(), serde_json::json!({ "patient_id": p }));
                }
                docs.records.push(record);
                docs.places.push(place);
            }
        }
        Ok(docs)
    }

    /// A cell's document id: the row id with one text column, `{row id}:{column}` with several.
    fn document_id(&self, row_id: &str, column: &str) -> String {
        if self.texts.len() == 1 {
            row_id.to_string()
        } else {
            format!("{row_id}:{column}")
        }
    }

    /// Report a failed cell by table, row, column and id (never its text).
    fn bad(&self, place: &CellPlace, error: Error) -> BadRecord {
        BadRecord {
            origin: format!(
                "{}: row {}, column {:?}",
                self.origin(),
                place.row,
                self.texts[place.column].1
            ),
            error,
        }
    }
}

/// Row ids seen in a run (with `--id-column`): a repeat is warned about, or refused with
/// `--unique-ids` (its text cells are then written null and reported), as JSONL ids are.
struct RowIds {
    cmd: &'static str,
    refuse: bool,
    seen: IdRegistry,
    duplicates: usize,
}

impl RowIds {
    fn new(cmd: &'static str, refuse: bool) -> Self {
        RowIds {
            cmd,
            refuse,
            seen: IdRegistry::default(),
            duplicates: 0,
        }
    }

    /// `Some(reason)` when the row is refused.
    fn check(&mut self, origin: &str, row: usize, id: &str) -> Option<String> {
        let first = self.seen.check(id, format!("row {row}"))?;
        self.duplicates += 1;
        let msg = format!("duplicate id (first seen at {first})");
        if self.refuse {
            return Some(msg);
        }
        eprintln!(
            "voile {}: warning: {origin}: row {row}: record {id:?}: {msg}",
            self.cmd
        );
        None
    }

    fn report(&self) {
        if self.duplicates > 0 && !self.refuse {
            eprintln!(
                "voile {}: {} duplicate id(s) (listed above)",
                self.cmd, self.duplicates
            );
        }
    }
}

/// Where a document of a batch came from.
#[derive(Debug, Clone)]
struct CellPlace {
    /// Row index in the batch.
    batch_row: usize,
    /// Row number in the table, 1-based.
    row: usize,
    /// Index into the job's text columns.
    column: usize,
    row_id: String,
}

#[derive(Default)]
struct Documents {
    records: Vec<Record>,
    places: Vec<CellPlace>,
    unreadable: Vec<(CellPlace, Error)>,
}

/// Cells whose document failed, with the error (ids, never text).
type FailedCells = Vec<(CellPlace, Error)>;

/// The new text columns of a batch: each document's result in its cell; null where the input
/// was null and where the document failed (reported in `failed`, never written in clear).
fn replaced_columns(
    rows: usize,
    columns: usize,
    places: &[CellPlace],
    texts: Vec<Result<String, Error>>,
) -> (Vec<Vec<Option<String>>>, FailedCells) {
    let mut out = vec![vec![None; rows]; columns];
    let mut failed = Vec::new();
    for (place, text) in places.iter().zip(texts) {
        match text {
            Ok(t) => out[place.column][place.batch_row] = Some(t),
            Err(e) => failed.push((place.clone(), e)),
        }
    }
    (out, failed)
}

/// The output format of `--out` for a table run: the input's own (pseudo) or any table
/// format or JSONL (detect spans).
fn table_format_of_out(out: &Path) -> Option<TableFormat> {
    TableFormat::of_path(out)
}

fn plan_outputs(job: &TableColumns, outs: &[(&Path, &str)]) -> Result<()> {
    let mut plan = OutputPlan::default();
    for (p, what) in outs {
        plan.add(p, *what);
    }
    plan.check(std::slice::from_ref(&job.path), &[])
}

/// `voile pseudo TABLE --text-column COL … --out OUT` (same format as the input).
pub fn pseudo(job: TableJob, pipeline: &Pipeline, args: &super::pseudo::Args) -> Result<ExitCode> {
    let Some(out) = &args.out else {
        bail!(
            "a table input needs --out OUT.{} (tables are not written to stdout)",
            ext_of(job.reader.format())
        );
    };
    if table_format_of_out(out) != Some(job.reader.format()) {
        bail!(
            "--out {}: a {} input is written as the same format (.{})",
            out.display(),
            ext_of(job.reader.format()),
            ext_of(job.reader.format())
        );
    }
    let mut outs = vec![(out.as_path(), "--out")];
    if let Some(p) = &args.audit {
        outs.push((p.as_path(), "--audit"));
    }
    if let Some(p) = &args.mapping {
        outs.push((p.as_path(), "--mapping"));
    }
    plan_outputs(&job.cols, &outs)?;

    let mut mapping = match &args.mapping {
        Some(p) => {
            eprintln!(
                "voile pseudo: writing a re-identification mapping to {} (mode 0600) — protect it",
                p.display()
            );
            let mut s = Sink::private_file(p)?;
            s.write_line("id\tlabel\toriginal\treplacement")?;
            Some(s)
        }
        None => None,
    };
    let mut audit = Audit::default();
    let mut issues = RecordIssues::new("pseudo");
    let mut sink = Sink::file(out)?;
    let TableJob { reader, cols: job } = job;
    let mut seen = RowIds::new("pseudo", args.unique_ids);
    let mut writer = reader.writer_like(&mut sink)?;
    for batch in reader {
        let batch = batch.with_context(|| job.origin())?;
        let docs = job.documents(&batch, &mut seen)?;
        for (place, e) in &docs.unreadable {
            issues.bad(job.bad(place, e.clone()));
        }
        let results = pipeline.pseudonymise_batch(&docs.records);
        let mut texts = Vec::with_capacity(results.len());
        for (rec, result) in docs.records.iter().zip(results) {
            texts.push(match result {
                Ok(out) => {
                    audit.add_output(&out.replacements);
                    if let Some(m) = &mut mapping {
                        super::pseudo::write_mapping(m, rec, &out)?;
                    }
                    Ok(out.text)
                }
                Err(e) => Err(e),
            });
        }
        let (columns, failed) =
            replaced_columns(batch.num_rows(), job.texts.len(), &docs.places, texts);
        issues.written += docs.records.len() - failed.len();
        for (place, e) in failed {
            issues.bad(job.bad(&place, e));
        }
        let replacements: Vec<(usize, Vec<Option<String>>)> =
            job.texts.iter().map(|(i, _)| *i).zip(columns).collect();
        writer.write(&batch.with_text_columns(&replacements)?)?;
    }
    writer.finish()?;
    sink.finish()?;
    if let Some(m) = mapping {
        m.finish()?;
    }
    if let Some(p) = &args.audit {
        let mut s = Sink::file(p)?;
        s.write_all(&serde_json::to_string_pretty(&audit)?)?;
        s.finish()?;
    }
    seen.report();
    issues.finish(0)
}

fn ext_of(format: TableFormat) -> &'static str {
    match format {
        TableFormat::Parquet => "parquet",
        TableFormat::Csv => "csv",
        TableFormat::Tsv => "tsv",
    }
}

/// Where detected spans go.
enum SpanSink<'a> {
    Jsonl(&'a mut Sink),
    Table(Box<voile_io::TableWriter<&'a mut Sink>>),
}

/// `voile detect TABLE --text-column COL … [--out SPANS.parquet|.csv|.tsv|.jsonl]`.
pub fn detect(
    job: TableJob,
    pipeline: &Pipeline,
    out: Option<&Path>,
    provenance: bool,
    unique_ids: bool,
) -> Result<ExitCode> {
    let format = match out {
        None => None,
        Some(p)
            if p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("jsonl")) =>
        {
            None
        }
        Some(p) => match table_format_of_out(p) {
            Some(f) => Some(f),
            None => bail!(
                "--out {}: spans of a table are written as .parquet, .csv, .tsv or .jsonl",
                p.display()
            ),
        },
    };
    if let Some(p) = out {
        plan_outputs(&job.cols, &[(p, "--out")])?;
    }
    let mut sink = match out {
        Some(p) => Sink::file(p)?,
        None => Sink::stdout(),
    };
    let mut issues = RecordIssues::new("detect");
    {
        let mut spans_out = match format {
            Some(f) => SpanSink::Table(Box::new(voile_io::TableWriter::with_columns(
                f,
                &mut sink,
                span_columns(provenance),
            )?)),
            None => SpanSink::Jsonl(&mut sink),
        };
        let TableJob { reader, cols: job } = job;
        let mut seen = RowIds::new("detect", unique_ids);
        for batch in reader {
            let batch = batch.with_context(|| job.origin())?;
            let docs = job.documents(&batch, &mut seen)?;
            for (place, e) in &docs.unreadable {
                issues.bad(job.bad(place, e.clone()));
            }
            let results = pipeline.try_detect_batch(&docs.records);
            let mut rows = Vec::new();
            for ((rec, place), spans) in docs.records.iter().zip(&docs.places).zip(results) {
                match spans {
                    Ok(spans) => {
                        rows.extend(span_rows(
                            rec,
                            place,
                            &job.texts[place.column].1,
                            &spans,
                            provenance,
                        ));
                        issues.written += 1;
                    }
                    Err(e) => issues.bad(job.bad(place, e)),
                }
            }
            match &mut spans_out {
                SpanSink::Table(w) => w.write_rows(&rows)?,
                SpanSink::Jsonl(s) => {
                    for row in &rows {
                        s.write_line(&span_json(row, provenance))?;
                    }
                }
            }
        }
        if let SpanSink::Table(w) = spans_out {
            w.finish()?;
        }
        seen.report();
    }
    sink.finish()?;
    issues.finish(0)
}

fn span_columns(provenance: bool) -> &'static [(&'static str, ColumnKind)] {
    const ALL: &[(&str, ColumnKind)] = &[
        ("id", ColumnKind::Text),
        ("column", ColumnKind::Text),
        ("start", ColumnKind::Int),
        ("end", ColumnKind::Int),
        ("label", ColumnKind::Text),
        ("score", ColumnKind::Float),
        ("source", ColumnKind::Text),
    ];
    if provenance {
        ALL
    } else {
        &ALL[..5]
    }
}

/// One row per span: row id, column, code-point offsets, label (and score, source).
fn span_rows(
    rec: &Record,
    place: &CellPlace,
    column: &str,
    spans: &[voile::Span],
    provenance: bool,
) -> Vec<Vec<Cell>> {
    let map = OffsetMap::new(&rec.text);
    spans
        .iter()
        .map(|s| {
            let mut row = vec![
                Cell::Text(place.row_id.clone()),
                Cell::Text(column.to_string()),
                Cell::Int(map.byte_to_cp(s.start) as i64),
                Cell::Int(map.byte_to_cp(s.end) as i64),
                Cell::Text(s.label.as_str().to_string()),
            ];
            if provenance {
                row.push(Cell::Float(score_as_written(s.score)));
                row.push(Cell::Text(s.source.as_str().to_string()));
            }
            row
        })
        .collect()
}

/// The f64 whose shortest form is the f32 score's (`0.9`, not `0.8999999761581421`), as the
/// JSONL contract writes it.
fn score_as_written(score: f32) -> f64 {
    score.to_string().parse().unwrap_or(f64::from(score))
}

fn span_json(row: &[Cell], provenance: bool) -> String {
    let names = span_columns(provenance);
    let obj: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .zip(row)
        .map(|((name, _), cell)| {
            let v = match cell {
                Cell::Null => serde_json::Value::Null,
                Cell::Text(s) => serde_json::Value::String(s.clone()),
                Cell::Int(i) => serde_json::json!(i),
                Cell::Float(f) => serde_json::json!(f),
            };
            (name.to_string(), v)
        })
        .collect();
    serde_json::to_string(&obj).expect("JSON values always serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(batch_row: usize, column: usize) -> CellPlace {
        CellPlace {
            batch_row,
            row: batch_row + 1,
            column,
            row_id: (batch_row + 1).to_string(),
        }
    }

    #[test]
    fn a_failed_cell_is_null_never_clear_text_and_is_reported() {
        let places = [place(0, 0), place(0, 1), place(2, 0)];
        let texts = vec![
            Ok("Mme [NOM]".to_string()),
            Err(Error::new(ErrorKind::Internal("boom".into()))),
            Ok(String::new()),
        ];
        let (columns, failed) = replaced_columns(3, 2, &places, texts);
        assert_eq!(
            columns[0],
            [Some("Mme [NOM]".into()), None, Some(String::new())]
        );
        assert_eq!(
            columns[1],
            [None, None, None],
            "the failed cell and the null ones"
        );
        assert_eq!(failed.len(), 1);
        assert_eq!((failed[0].0.row, failed[0].0.column), (1, 1));
    }

    #[test]
    fn batches_hold_as_many_documents_as_a_jsonl_chunk() {
        assert_eq!(rows_per_batch(1), CHUNK_RECORDS);
        assert_eq!(rows_per_batch(2) * 2, CHUNK_RECORDS);
        assert_eq!(rows_per_batch(10_000), 1);
    }

    #[test]
    fn table_options_need_a_table_and_a_table_needs_a_text_column() {
        let with_text = TableArgs {
            text_columns: vec!["cr".into()],
            ..Default::default()
        };
        let e = TableJob::from_args(&[PathBuf::from("a.jsonl")], &with_text, None)
            .err()
            .unwrap();
        assert!(e.to_string().contains("apply to a table input"), "{e}");
        assert!(
            TableJob::from_args(&[PathBuf::from("a.jsonl")], &TableArgs::default(), None)
                .unwrap()
                .is_none()
        );
        let e = TableJob::from_args(&[PathBuf::from("t.parquet")], &TableArgs::default(), None)
            .err()
            .unwrap();
        assert!(e.to_string().contains("needs --text-column"), "{e}");
        let e = TableJob::from_args(
            &[PathBuf::from("t.csv"), PathBuf::from("b.csv")],
            &with_text,
            None,
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("only input"), "{e}");
    }
}
