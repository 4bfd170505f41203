//! `voile link`: add keyed linkage pseudonyms to a table of people.
//!
//! `VOILE_KEY=... voile link patients.csv --nom NOM --prenom PRENOM --naissance DDN --sexe SEXE
//! [--nir NIR] --out linked.csv` writes the table with a `pseudonym` column (NIR when valid,
//! else nom + prénom + date of birth + sex; see `voile_surrogate::linkage`), every other
//! column and the row order kept. The identity columns used are dropped unless
//! `--keep-identity`. With a second key (`--new-key-file` or `VOILE_NEW_KEY`) a
//! `pseudonym_new` column is added for key rotation; `--both` adds the NIR-based and the
//! fields-based pseudonyms as their own columns, `--problems` the unusable fields of each row.
//! A summary (rows linked by NIR, by identity fields, incomplete with counts per reason) goes
//! to stderr, never a value.
//!
//! CSV/TSV/JSONL go row by row through the private `table` module; Parquet (`.parquet`/`.pq`,
//! to a Parquet output) goes batch by batch through `voile-io`, every kept column with its
//! type. Both compute a row's pseudonyms with the same function from its identity cells as
//! text, so a person gets the same pseudonym from either.

use super::output::{OutputPlan, Sink};
use anyhow::{bail, Context, Result};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use table::{Format, Row};
use voile::Key;
use voile_io::{Batch, TableReader};
use voile_surrogate::linkage::{self, Basis, Field, LinkInput, Linker, Normalised, Problem};

/// Environment variable holding the new key during a key rotation.
pub const NEW_KEY_ENV: &str = "VOILE_NEW_KEY";

#[derive(clap::Args)]
pub struct Args {
    /// The table: `.csv` (`,` or `;`, whichever the header line has more of), `.tsv`, or
    /// `.jsonl`/`.ndjson` (one object per line); a header row is required in CSV/TSV. Or
    /// Parquet (`.parquet`/`.pq`): the other columns keep their types.
    pub table: PathBuf,
    /// Column holding the surname (birth name preferred in `X épouse Y`, `Y née X`).
    #[arg(long)]
    pub nom: String,
    /// Column holding the first name (the whole compound first name is used).
    #[arg(long)]
    pub prenom: String,
    /// Column holding the date of birth.
    #[arg(long)]
    pub naissance: String,
    /// Column holding the sex (M/H/1/masculin/homme, F/2/féminin/femme).
    #[arg(long)]
    pub sexe: String,
    /// Column holding the NIR: when valid it is used instead of the other fields.
    #[arg(long)]
    pub nir: Option<String>,
    /// Output table: `.csv`, `.tsv` or `.jsonl` (a JSONL input needs a JSONL output);
    /// `.parquet`/`.pq` for a Parquet input.
    #[arg(long)]
    pub out: PathBuf,
    /// File holding the secret key (at least 16 bytes). Default: the VOILE_KEY variable.
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// File holding a new key (rotation): adds `pseudonym_new`. Default: VOILE_NEW_KEY if set.
    #[arg(long)]
    pub new_key_file: Option<PathBuf>,
    /// Keep the identity columns used (by default they are dropped from the output).
    #[arg(long)]
    pub keep_identity: bool,
    /// Also write `pseudonym_nir` and `pseudonym_identity` (each kind on its own), so that a
    /// source without NIR can be linked to one with.
    #[arg(long)]
    pub both: bool,
    /// Add a `link_problems` column: the fields that could not be used and why (e.g.
    /// `naissance: two-digit year; nir: wrong key`), empty when none. Never a value.
    #[arg(long)]
    pub problems: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let linkers = load_linkers(&args)?;
    if is_parquet(&args.table) {
        return run_parquet(&args, &linkers);
    }
    let in_format = Format::of_input(&args.table)?;
    let out_format = Format::of_output(&args.out, in_format)?;
    let mut plan = OutputPlan::default();
    plan.add(&args.out, "--out");
    plan.check(std::slice::from_ref(&args.table), &[])?;

    let mut reader = table::open_reader(&args.table, in_format)?;
    let roles = Roles::new(&args)?;
    let added = added_columns(&linkers, args.both, args.problems);
    let out_columns = match reader.columns() {
        Some(cols) => Some(output_columns(cols, &roles, &added, args.keep_identity)?),
        None => None,
    };
    let mut writer = table::open_writer(&args.out, out_format, out_columns)?;
    let mut summary = Summary::default();
    let mut seen_columns = [false; 5];
    let origin = args.table.display().to_string();
    while let Some((line, row)) = reader.next_row()? {
        let row = match row {
            Ok(r) => r,
            Err(msg) => {
                eprintln!("voile link: {origin}: line {line}: {msg}; row not written");
                summary.unreadable += 1;
                continue;
            }
        };
        for (seen, (_, col)) in seen_columns.iter_mut().zip(&roles.columns) {
            *seen |= row.contains_key(col.as_str());
        }
        let out = link_row(
            row,
            &roles,
            &linkers,
            &added,
            &mut summary,
            args.keep_identity,
        )
        .with_context(|| format!("{origin}: line {line}"))?;
        writer.write_row(&out)?;
    }
    writer.finish()?;
    for (seen, (field, col)) in seen_columns.iter().zip(&roles.columns) {
        if !seen && summary.rows > 0 {
            eprintln!(
                "voile link: warning: column {col:?} (--{}) is in no row",
                field.as_str()
            );
        }
    }
    summary.print();
    Ok(if summary.unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The current key's linker, and the new key's during a rotation.
struct Linkers {
    current: Linker,
    new: Option<Linker>,
}

fn load_linkers(args: &Args) -> Result<Linkers> {
    let key = match &args.key_file {
        Some(p) => Key::from_file(p)?,
        None => Key::from_env(super::pseudo::KEY_ENV)?.with_context(|| {
            format!(
                "no key: set {} or give --key-file (linkage pseudonyms need the registry's key)",
                super::pseudo::KEY_ENV
            )
        })?,
    };
    let new_key = match &args.new_key_file {
        Some(p) => Some(Key::from_file(p)?),
        None => Key::from_env(NEW_KEY_ENV)?,
    };
    let current = Linker::new(&key);
    let new = new_key.map(|k| Linker::new(&k));
    if new.as_ref().is_some_and(|n| n.same_key(&current)) {
        bail!(
            "the new key (--new-key-file or {NEW_KEY_ENV}) is the current key: nothing to rotate"
        );
    }
    Ok(Linkers { current, new })
}

/// The columns named on the command line, by field.
struct Roles {
    columns: Vec<(Field, String)>,
}

impl Roles {
    fn new(args: &Args) -> Result<Roles> {
        let mut columns = vec![
            (Field::Nom, args.nom.clone()),
            (Field::Prenom, args.prenom.clone()),
            (Field::Naissance, args.naissance.clone()),
            (Field::Sexe, args.sexe.clone()),
        ];
        if let Some(n) = &args.nir {
            columns.push((Field::Nir, n.clone()));
        }
        for (i, (field, col)) in columns.iter().enumerate() {
            if let Some((other, _)) = columns[..i].iter().find(|(_, c)| c == col) {
                bail!(
                    "--{} and --{} both name column {col:?}",
                    other.as_str(),
                    field.as_str()
                );
            }
        }
        Ok(Roles { columns })
    }

    fn column(&self, field: Field) -> Option<&str> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.as_str())
    }

    fn is_identity(&self, column: &str) -> bool {
        self.columns.iter().any(|(_, c)| c == column)
    }
}

/// What an added column holds.
#[derive(Clone, Copy)]
enum Kind {
    Preferred,
    Nir,
    Identity,
    Problems,
}

/// The columns added to every row: name, kind, and whether the new key computes it.
fn added_columns(linkers: &Linkers, both: bool, problems: bool) -> Vec<(String, Kind, bool)> {
    let kinds: &[(&str, Kind)] = if both {
        &[
            ("pseudonym", Kind::Preferred),
            ("pseudonym_nir", Kind::Nir),
            ("pseudonym_identity", Kind::Identity),
        ]
    } else {
        &[("pseudonym", Kind::Preferred)]
    };
    let mut out: Vec<(String, Kind, bool)> = kinds
        .iter()
        .map(|(n, k)| (n.to_string(), *k, false))
        .collect();
    if linkers.new.is_some() {
        out.extend(kinds.iter().map(|(n, k)| (format!("{n}_new"), *k, true)));
    }
    if problems {
        out.push(("link_problems".to_string(), Kind::Problems, false));
    }
    out
}

/// The output header of a table with a header: kept input columns, then the added ones.
fn output_columns(
    input: &[String],
    roles: &Roles,
    added: &[(String, Kind, bool)],
    keep_identity: bool,
) -> Result<Vec<String>> {
    for (field, col) in &roles.columns {
        if !input.contains(col) {
            bail!(
                "--{} {col:?}: no such column (columns: {})",
                field.as_str(),
                input.join(", ")
            );
        }
    }
    let mut out: Vec<String> = input
        .iter()
        .filter(|c| keep_identity || !roles.is_identity(c))
        .cloned()
        .collect();
    for (name, _, _) in added {
        if out.contains(name) {
            bail!("the input already has a column {name:?}: rename it first");
        }
        out.push(name.clone());
    }
    Ok(out)
}

/// A cell as text: strings as they are, numbers as written, null/absent as `None`.
fn cell_text<'a>(row: &'a Row, column: Option<&str>) -> Option<Cow<'a, str>> {
    match row.get(column?)? {
        Value::Null => None,
        Value::String(s) => Some(Cow::Borrowed(s)),
        other => Some(Cow::Owned(other.to_string())),
    }
}

fn link_row(
    row: Row,
    roles: &Roles,
    linkers: &Linkers,
    added: &[(String, Kind, bool)],
    summary: &mut Summary,
    keep_identity: bool,
) -> Result<Row> {
    let normalised = normalise_cells(|f| cell_text(&row, roles.column(f)).map(Cow::into_owned));
    summary.add(&normalised);
    let mut out: Map<String, Value> = row
        .iter()
        .filter(|(k, _)| keep_identity || !roles.is_identity(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for ((name, _, _), p) in added.iter().zip(added_values(&normalised, linkers, added)) {
        if out.contains_key(name) {
            bail!("the input already has a field {name:?}: rename it first");
        }
        out.insert(name.clone(), p.map_or(Value::Null, Value::String));
    }
    Ok(out)
}

/// The identity fields of one row (cells as text, `None` when null or absent), normalised.
fn normalise_cells(cell: impl Fn(Field) -> Option<String>) -> Normalised {
    let (nom, prenom, naissance, sexe, nir) = (
        cell(Field::Nom),
        cell(Field::Prenom),
        cell(Field::Naissance),
        cell(Field::Sexe),
        cell(Field::Nir),
    );
    linkage::normalise(&LinkInput {
        nom: nom.as_deref(),
        prenom: prenom.as_deref(),
        naissance: naissance.as_deref(),
        sexe: sexe.as_deref(),
        nir: nir.as_deref(),
    })
}

/// The values of the added columns for one row, in `added`'s order: the one place
/// pseudonyms are computed, for every input format.
fn added_values(
    normalised: &Normalised,
    linkers: &Linkers,
    added: &[(String, Kind, bool)],
) -> Vec<Option<String>> {
    added
        .iter()
        .map(|(_, kind, new)| {
            let linker = match (new, &linkers.new) {
                (true, Some(l)) => l,
                _ => &linkers.current,
            };
            match kind {
                Kind::Preferred => linker.pseudonym(normalised),
                Kind::Nir => linker.nir_pseudonym(normalised),
                Kind::Identity => linker.identity_pseudonym(normalised),
                Kind::Problems => Some(
                    normalised
                        .problems
                        .iter()
                        .map(Problem::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            }
        })
        .collect()
}

/// Rows read per Parquet batch: memory follows the batch, not the file.
const PARQUET_BATCH_ROWS: usize = 8192;

fn is_parquet(p: &Path) -> bool {
    voile_io::TableFormat::of_path(p) == Some(voile_io::TableFormat::Parquet)
}

/// `link` on a Parquet table: batch by batch, the identity columns read as text (any scalar
/// type: a `Date32` date of birth reads `1946-12-30`), every kept column passed through with
/// its type, the added columns appended as nullable strings.
fn run_parquet(args: &Args, linkers: &Linkers) -> Result<ExitCode> {
    if !is_parquet(&args.out) {
        bail!(
            "--out {}: a Parquet input needs a .parquet or .pq output",
            args.out.display()
        );
    }
    let mut plan = OutputPlan::default();
    plan.add(&args.out, "--out");
    plan.check(std::slice::from_ref(&args.table), &[])?;
    let origin = args.table.display().to_string();
    let reader = TableReader::open(&args.table, PARQUET_BATCH_ROWS)
        .with_context(|| format!("cannot open {origin}"))?;
    let roles = Roles::new(args)?;
    let added = added_columns(linkers, args.both, args.problems);
    let names: Vec<String> = reader.columns().iter().map(|c| c.name.clone()).collect();
    output_columns(&names, &roles, &added, args.keep_identity)?;
    let role_columns: Vec<(Field, usize)> = roles
        .columns
        .iter()
        .map(|(f, c)| Ok((*f, reader.column_index(c)?)))
        .collect::<Result<_, voile_io::TableError>>()?;
    let mut drop: Vec<usize> = match args.keep_identity {
        true => Vec::new(),
        false => role_columns.iter().map(|(_, i)| *i).collect(),
    };
    drop.sort_unstable();
    let added_names: Vec<&str> = added.iter().map(|(n, _, _)| n.as_str()).collect();

    let mut sink = Sink::file(&args.out)?;
    let mut summary = Summary::default();
    {
        let mut writer = reader.reshaped_writer(&mut sink, &drop, &added_names)?;
        for batch in reader {
            let batch = batch.with_context(|| format!("cannot read {origin}"))?;
            let linked = link_batch(&batch, &role_columns, linkers, &added, &mut summary)
                .with_context(|| format!("{origin}: rows from {}", batch.first_row + 1))?;
            let appended: Vec<(&str, Vec<Option<String>>)> =
                added_names.iter().copied().zip(linked).collect();
            writer.write(&batch.reshaped(&drop, &appended)?)?;
        }
        writer.finish()?;
    }
    sink.finish()?;
    summary.print();
    Ok(ExitCode::SUCCESS)
}

/// The added columns of a batch (one `Vec` per added column, one value per row).
fn link_batch(
    batch: &Batch,
    role_columns: &[(Field, usize)],
    linkers: &Linkers,
    added: &[(String, Kind, bool)],
    summary: &mut Summary,
) -> Result<Vec<Vec<Option<String>>>> {
    let cells: Vec<(Field, Vec<Option<String>>)> = role_columns
        .iter()
        .map(|(f, i)| Ok((*f, batch.display_column(*i)?)))
        .collect::<Result<_, voile_io::TableError>>()?;
    let mut columns = vec![Vec::with_capacity(batch.num_rows()); added.len()];
    for row in 0..batch.num_rows() {
        let normalised = normalise_cells(|field| {
            let (_, values) = cells.iter().find(|(f, _)| *f == field)?;
            values[row].clone()
        });
        summary.add(&normalised);
        for (column, value) in columns
            .iter_mut()
            .zip(added_values(&normalised, linkers, added))
        {
            column.push(value);
        }
    }
    Ok(columns)
}

/// Counts for the end-of-run summary (no values).
#[derive(Default)]
struct Summary {
    rows: usize,
    by_nir: usize,
    by_identity: usize,
    incomplete: usize,
    /// Field problems of the incomplete rows.
    reasons: BTreeMap<Problem, usize>,
    /// NIR problems of every row (the fields were used instead where complete).
    nir_problems: BTreeMap<Problem, usize>,
    unreadable: usize,
}

impl Summary {
    fn add(&mut self, n: &Normalised) {
        self.rows += 1;
        match n.basis() {
            Some(Basis::Nir) => self.by_nir += 1,
            Some(Basis::Identity) => self.by_identity += 1,
            None => self.incomplete += 1,
        }
        for p in &n.problems {
            if p.field == Field::Nir {
                *self.nir_problems.entry(*p).or_default() += 1;
            } else if n.basis().is_none() {
                *self.reasons.entry(*p).or_default() += 1;
            }
        }
    }

    fn print(&self) {
        let share = if self.rows == 0 {
            0.0
        } else {
            100.0 * self.incomplete as f64 / self.rows as f64
        };
        eprintln!(
            "voile link: {} row(s): {} linked by NIR, {} by identity fields, {} incomplete ({share:.1}%)",
            self.rows, self.by_nir, self.by_identity, self.incomplete
        );
        if !self.reasons.is_empty() {
            eprintln!("voile link: incomplete rows: {}", counts(&self.reasons));
        }
        if !self.nir_problems.is_empty() {
            eprintln!(
                "voile link: unusable NIR (identity fields used where complete): {}",
                counts(&self.nir_problems)
            );
        }
        if self.unreadable > 0 {
            eprintln!(
                "voile link: {} unreadable row(s) not written (listed above)",
                self.unreadable
            );
        }
    }
}

fn counts(m: &BTreeMap<Problem, usize>) -> String {
    m.iter()
        .map(|(p, n)| format!("{p} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Table reading and writing for `link`: CSV/TSV (header row) and JSONL, row by row, each row
/// an ordered map column → JSON value (CSV cells are strings).
///
/// Kept apart from `voile-io` because JSONL rows have no fixed header and a `;` CSV is
/// sniffed and written back with its delimiter; Parquet goes through `voile-io` (`run_parquet`).
mod table {
    use super::Sink;
    use anyhow::{bail, Context, Result};
    use serde_json::{Map, Value};
    use std::fs::File;
    use std::io::{BufRead, BufReader, Read};
    use std::path::Path;

    /// One row: column → value, in column order.
    pub type Row = Map<String, Value>;

    /// A row read, or why it could not be (never its content), with its 1-based line.
    pub type ReadRow = (u64, std::result::Result<Row, String>);

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Format {
        /// CSV/TSV with this delimiter.
        Delimited(u8),
        Jsonl,
    }

    fn ext(p: &Path) -> String {
        p.extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase()
    }

    impl Format {
        pub fn of_input(p: &Path) -> Result<Format> {
            match ext(p).as_str() {
                "csv" => Ok(Format::Delimited(sniff_delimiter(p)?)),
                "tsv" | "tab" => Ok(Format::Delimited(b'\t')),
                "jsonl" | "ndjson" => Ok(Format::Jsonl),
                _ => bail!(
                    "{}: expected a .csv, .tsv, .jsonl or .parquet table",
                    p.display()
                ),
            }
        }

        /// `.csv` keeps a CSV input's delimiter (`;` stays `;`), `.tsv` is tab-separated.
        pub fn of_output(p: &Path, input: Format) -> Result<Format> {
            let out = match (ext(p).as_str(), input) {
                ("csv", Format::Delimited(d)) if d != b'\t' => Format::Delimited(d),
                ("csv", _) => Format::Delimited(b','),
                ("tsv" | "tab", _) => Format::Delimited(b'\t'),
                ("jsonl" | "ndjson", _) => Format::Jsonl,
                ("parquet" | "pq", _) => bail!(
                    "--out {}: a Parquet output needs a Parquet input",
                    p.display()
                ),
                _ => bail!(
                    "--out {}: expected a .csv, .tsv or .jsonl file",
                    p.display()
                ),
            };
            if input == Format::Jsonl && out != Format::Jsonl {
                bail!(
                    "--out {}: a JSONL input (rows without a fixed header) needs a .jsonl output",
                    p.display()
                );
            }
            Ok(out)
        }
    }

    /// `;` when the header line has more semicolons than commas (French spreadsheet
    /// exports), else `,`.
    fn sniff_delimiter(p: &Path) -> Result<u8> {
        let f = File::open(p).with_context(|| format!("cannot read {}", p.display()))?;
        let mut first = Vec::new();
        BufReader::new(f)
            .take(1 << 16)
            .read_until(b'\n', &mut first)
            .with_context(|| format!("cannot read {}", p.display()))?;
        let count = |c: u8| first.iter().filter(|&&b| b == c).count();
        Ok(if count(b';') > count(b',') {
            b';'
        } else {
            b','
        })
    }

    pub trait RowReader {
        /// The header, for formats that have one.
        fn columns(&self) -> Option<&[String]>;
        /// The next row; `Err` only for failures that end the run (IO).
        fn next_row(&mut self) -> Result<Option<ReadRow>>;
    }

    pub trait RowWriter {
        fn write_row(&mut self, row: &Row) -> Result<()>;
        /// Complete the output (renamed into place only now).
        fn finish(self: Box<Self>) -> Result<()>;
    }

    pub fn open_reader(p: &Path, format: Format) -> Result<Box<dyn RowReader>> {
        let f = File::open(p).with_context(|| format!("cannot read {}", p.display()))?;
        Ok(match format {
            Format::Delimited(d) => Box::new(CsvReader::new(f, d, p)?),
            Format::Jsonl => Box::new(JsonlReader {
                input: BufReader::new(f),
                line: 0,
                origin: p.display().to_string(),
            }),
        })
    }

    /// `columns` is the output header (required for CSV/TSV).
    pub fn open_writer(
        p: &Path,
        format: Format,
        columns: Option<Vec<String>>,
    ) -> Result<Box<dyn RowWriter>> {
        let sink = Sink::file(p)?;
        Ok(match format {
            Format::Delimited(delimiter) => {
                let columns = columns.context("a CSV output needs a header")?;
                let mut w = CsvWriter {
                    sink,
                    delimiter,
                    columns,
                };
                let header: Vec<&str> = w.columns.iter().map(String::as_str).collect();
                let line = w.line(header.into_iter());
                w.sink.write_line(&line)?;
                Box::new(w)
            }
            Format::Jsonl => Box::new(JsonlWriter { sink }),
        })
    }

    struct CsvReader {
        reader: csv::Reader<File>,
        columns: Vec<String>,
        record: csv::StringRecord,
        origin: String,
    }

    impl CsvReader {
        fn new(f: File, delimiter: u8, p: &Path) -> Result<CsvReader> {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .has_headers(true)
                .from_reader(f);
            let columns: Vec<String> = reader
                .headers()
                .map_err(|e| anyhow::anyhow!("{}: header row: {}", p.display(), csv_problem(&e)))?
                .iter()
                .map(|c| c.trim_start_matches('\u{feff}').to_string())
                .collect();
            if columns.iter().all(|c| c.is_empty()) {
                bail!("{}: no header row", p.display());
            }
            for (i, c) in columns.iter().enumerate() {
                if columns[..i].contains(c) {
                    bail!("{}: column {c:?} appears twice in the header", p.display());
                }
            }
            Ok(CsvReader {
                reader,
                columns,
                record: csv::StringRecord::new(),
                origin: p.display().to_string(),
            })
        }
    }

    /// What is wrong with a CSV row, without any of its content.
    fn csv_problem(e: &csv::Error) -> String {
        match e.kind() {
            csv::ErrorKind::Utf8 { err, .. } => {
                format!("field {} is not valid UTF-8", err.field() + 1)
            }
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("{len} fields where the header has {expected_len}"),
            _ => "malformed CSV".to_string(),
        }
    }

    impl RowReader for CsvReader {
        fn columns(&self) -> Option<&[String]> {
            Some(&self.columns)
        }

        fn next_row(&mut self) -> Result<Option<ReadRow>> {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => Ok(None),
                Ok(true) => {
                    let line = self.record.position().map_or(0, |p| p.line());
                    let row = self
                        .columns
                        .iter()
                        .zip(self.record.iter())
                        .map(|(c, v)| (c.clone(), Value::String(v.to_string())))
                        .collect();
                    Ok(Some((line, Ok(row))))
                }
                Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                    Err(anyhow::anyhow!("cannot read {}: {e}", self.origin))
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    Ok(Some((line, Err(csv_problem(&e)))))
                }
            }
        }
    }

    struct JsonlReader {
        input: BufReader<File>,
        line: u64,
        origin: String,
    }

    impl RowReader for JsonlReader {
        fn columns(&self) -> Option<&[String]> {
            None
        }

        fn next_row(&mut self) -> Result<Option<ReadRow>> {
            let mut buf = Vec::new();
            loop {
                buf.clear();
                let n = self
                    .input
                    .read_until(b'\n', &mut buf)
                    .with_context(|| format!("cannot read {}", self.origin))?;
                if n == 0 {
                    return Ok(None);
                }
                self.line += 1;
                if !buf.trim_ascii().is_empty() {
                    break;
                }
            }
            let text = match (self.line, buf.strip_prefix("\u{feff}".as_bytes())) {
                (1, Some(rest)) => rest,
                _ => &buf[..],
            };
            let row = match serde_json::from_slice::<Value>(text) {
                Ok(Value::Object(m)) => Ok(m),
                Ok(_) => Err("not a JSON object".to_string()),
                Err(e) if e.is_syntax() || e.is_eof() => {
                    Err(format!("invalid JSON at column {}", e.column()))
                }
                Err(_) => Err("not valid UTF-8 JSON".to_string()),
            };
            Ok(Some((self.line, row)))
        }
    }

    struct CsvWriter {
        sink: Sink,
        delimiter: u8,
        columns: Vec<String>,
    }

    impl CsvWriter {
        /// One CSV line: fields quoted when they hold the delimiter, a quote or a line break
        /// (and a lone empty field, which would be a blank line), so they read back unchanged.
        fn line<'a>(&self, fields: impl Iterator<Item = &'a str>) -> String {
            let d = self.delimiter as char;
            let lone = self.columns.len() == 1;
            let mut out = String::new();
            for (i, f) in fields.enumerate() {
                if i > 0 {
                    out.push(d);
                }
                let quote = f.contains([d, '"', '\n', '\r']) || (lone && f.is_empty());
                if quote {
                    out.push('"');
                    out.push_str(&f.replace('"', "\"\""));
                    out.push('"');
                } else {
                    out.push_str(f);
                }
            }
            out
        }
    }

    impl RowWriter for CsvWriter {
        fn write_row(&mut self, row: &Row) -> Result<()> {
            let cells: Vec<String> = self
                .columns
                .iter()
                .map(|c| match row.get(c) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                })
                .collect();
            let line = self.line(cells.iter().map(String::as_str));
            self.sink.write_line(&line)
        }

        fn finish(self: Box<Self>) -> Result<()> {
            self.sink.finish()
        }
    }

    struct JsonlWriter {
        sink: Sink,
    }

    impl RowWriter for JsonlWriter {
        fn write_row(&mut self, row: &Row) -> Result<()> {
            let line = serde_json::to_string(row).expect("JSON values always serialise");
            self.sink.write_line(&line)
        }

        fn finish(self: Box<Self>) -> Result<()> {
            self.sink.finish()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn output_formats_follow_the_extension_and_keep_a_semicolon() {
        let semi = Format::Delimited(b';');
        assert_eq!(Format::of_output(Path::new("o.csv"), semi).unwrap(), semi);
        assert_eq!(
            Format::of_output(Path::new("o.TSV"), semi).unwrap(),
            Format::Delimited(b'\t')
        );
        assert_eq!(
            Format::of_output(Path::new("o.csv"), Format::Delimited(b'\t')).unwrap(),
            Format::Delimited(b',')
        );
        assert!(Format::of_output(Path::new("o.csv"), Format::Jsonl).is_err());
        assert!(Format::of_output(Path::new("o.parquet"), semi).is_err());
    }

    #[test]
    fn cells_as_text() {
        let row: Row = serde_json::from_str(r#"{"a":"x","n":19461230,"z":null}"#).unwrap();
        assert_eq!(cell_text(&row, Some("a")).as_deref(), Some("x"));
        assert_eq!(cell_text(&row, Some("n")).as_deref(), Some("19461230"));
        assert_eq!(cell_text(&row, Some("z")), None);
        assert_eq!(cell_text(&row, Some("absent")), None);
        assert_eq!(cell_text(&row, None), None);
    }
}
