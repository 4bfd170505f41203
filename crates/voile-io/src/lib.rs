//! voile-io: tables in and out — Parquet (arrow-rs) and CSV/TSV (the `csv` crate), read and
//! written in streamed batches so memory follows the batch (and the largest cell), never the
//! file. This is the only voile crate that depends on arrow, parquet or csv.
//!
//! - [`TableReader::open`] picks the format from the extension (`.parquet`/`.pq`, `.csv`,
//!   `.tsv`) and yields [`Batch`]es of at most `batch_rows` rows, in file order.
//! - A [`Batch`] hands out text columns as `Vec<Option<String>>` (null stays null) and any
//!   other scalar column rendered as text (ids, patient ids), and builds its copy with text
//!   columns replaced: every other column passes through untouched, with its type (Parquet:
//!   same schema, same arrays; CSV: same cells, same header).
//!   [`Batch::reshaped`] drops columns and appends nullable text ones (written with
//!   [`TableReader::reshaped_writer`]), the kept columns again untouched.
//! - [`TableWriter`] writes batches (or plain rows, for a new table such as detected spans) to
//!   any `std::io::Write`; making the file appear atomically is the caller's job (the CLI
//!   writes to a temporary sibling and renames).
//!
//! Parquet output keeps the input's Arrow schema (types, nullability, metadata), is
//! Snappy-compressed and flushes a row group every 64 MiB of encoded data. CSV output keeps
//! the header and every untouched cell's value byte for byte (quoting is redone: only where
//! needed) and ends lines with `\n`.
//!
//! CSV has no null: an empty cell reads as `Some("")`, and a `None` is written as an empty
//! cell. A CSV cell that is not UTF-8 is returned as `None` and listed in
//! [`TextColumn::invalid`] (the caller reports it; the bytes are never guessed at).
//! Errors name columns, row numbers and types — never cell values.

use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use csv::ByteRecord;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;
use std::sync::Arc;

/// A Parquet row group is flushed once its encoded size reaches this, so a writer's memory
/// stays bounded whatever the number of rows.
const ROW_GROUP_BYTES: usize = 64 << 20;

/// What went wrong, with column names, row numbers and types; never a cell value.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("unsupported table type (expected .parquet, .pq, .csv or .tsv)")]
    UnsupportedType,
    #[error("cannot read the table: {0}")]
    Unreadable(String),
    #[error("no column {name:?}; available columns: {available}")]
    MissingColumn { name: String, available: String },
    #[error(
        "column {name:?} has type {data_type}, not a string type: a text column must hold strings"
    )]
    NotText { name: String, data_type: String },
    #[error("row {row} (line {line}) has {fields} fields where the header has {expected}")]
    Ragged {
        row: usize,
        line: u64,
        fields: usize,
        expected: usize,
    },
    #[error("cannot write the table: {0}")]
    Write(String),
}

fn unreadable(e: impl std::fmt::Display) -> TableError {
    TableError::Unreadable(e.to_string())
}

fn write_error(e: impl std::fmt::Display) -> TableError {
    TableError::Write(e.to_string())
}

/// The file formats handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Parquet,
    Csv,
    Tsv,
}

impl TableFormat {
    /// The format of `path` from its extension, case-insensitively; `None` if not a table.
    pub fn of_path(path: &Path) -> Option<TableFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "parquet" | "pq" => Some(TableFormat::Parquet),
            "csv" => Some(TableFormat::Csv),
            "tsv" => Some(TableFormat::Tsv),
            _ => None,
        }
    }

    fn delimiter(self) -> u8 {
        if self == TableFormat::Tsv {
            b'\t'
        } else {
            b','
        }
    }
}

/// True when `path` names a table by its extension.
pub fn is_table_path(path: &Path) -> bool {
    TableFormat::of_path(path).is_some()
}

/// A column of the table: its name and type (`csv` columns are all text).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    /// The Arrow type (Parquet) or `Utf8` (CSV, every cell is text).
    pub data_type: DataType,
}

/// Whether a column of this type can be a text column (read and replaced as strings).
fn is_string_type(t: &DataType) -> bool {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, value) => is_string_type(value),
        _ => false,
    }
}

/// A table opened for streamed reading.
pub struct TableReader {
    format: TableFormat,
    columns: Vec<Column>,
    /// Parquet: the Arrow schema, given back to the writer unchanged.
    schema: Option<SchemaRef>,
    source: Source,
    batch_rows: usize,
    rows_read: usize,
}

enum Source {
    Parquet(ParquetRecordBatchReader),
    Csv {
        reader: csv::Reader<Box<dyn Read + Send>>,
        header: ByteRecord,
    },
}

impl TableReader {
    /// Open `path` (format from the extension) to be read `batch_rows` rows at a time.
    pub fn open(path: &Path, batch_rows: usize) -> Result<TableReader, TableError> {
        Self::open_decoded(path, batch_rows, None)
    }

    /// [`TableReader::open`] for a CSV/TSV export in another encoding than UTF-8 (e.g.
    /// `windows-1252`): its bytes are decoded on the fly, so cells and offsets are those of the
    /// decoded text. Parquet strings are UTF-8 by definition: an encoding other than UTF-8 is
    /// refused for them.
    pub fn open_decoded(
        path: &Path,
        batch_rows: usize,
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> Result<TableReader, TableError> {
        let format = TableFormat::of_path(path).ok_or(TableError::UnsupportedType)?;
        let encoding = encoding.filter(|e| *e != encoding_rs::UTF_8);
        if format == TableFormat::Parquet && encoding.is_some() {
            return Err(TableError::Unreadable(
                "Parquet text is UTF-8: an --encoding applies to CSV/TSV and .txt inputs".into(),
            ));
        }
        let file = File::open(path).map_err(unreadable)?;
        let batch_rows = batch_rows.max(1);
        let (columns, schema, source) = match format {
            TableFormat::Parquet => {
                let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(unreadable)?;
                let schema = builder.schema().clone();
                let reader = builder
                    .with_batch_size(batch_rows)
                    .build()
                    .map_err(unreadable)?;
                let columns = schema
                    .fields()
                    .iter()
                    .map(|f| Column {
                        name: f.name().clone(),
                        data_type: f.data_type().clone(),
                    })
                    .collect();
                (columns, Some(schema), Source::Parquet(reader))
            }
            TableFormat::Csv | TableFormat::Tsv => {
                let bytes = BufReader::with_capacity(1 << 20, file);
                let input: Box<dyn Read + Send> = match encoding {
                    None => Box::new(bytes),
                    Some(e) => Box::new(
                        encoding_rs_io::DecodeReaderBytesBuilder::new()
                            .encoding(Some(e))
                            .build(bytes),
                    ),
                };
                let mut reader = csv::ReaderBuilder::new()
                    .delimiter(format.delimiter())
                    .has_headers(true)
                    .from_reader(input);
                let mut header = reader.byte_headers().map_err(csv_error)?.clone();
                strip_bom(&mut header);
                let columns = header
                    .iter()
                    .map(|name| Column {
                        name: String::from_utf8_lossy(name).into_owned(),
                        data_type: DataType::Utf8,
                    })
                    .collect();
                (columns, None, Source::Csv { reader, header })
            }
        };
        Ok(TableReader {
            format,
            columns,
            schema,
            source,
            batch_rows,
            rows_read: 0,
        })
    }

    pub fn format(&self) -> TableFormat {
        self.format
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The index of column `name`, or an error listing the available columns.
    pub fn column_index(&self, name: &str) -> Result<usize, TableError> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| TableError::MissingColumn {
                name: name.to_string(),
                available: self
                    .columns
                    .iter()
                    .map(|c| format!("{:?}", c.name))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The index of text column `name`: it must exist and hold strings.
    pub fn text_column_index(&self, name: &str) -> Result<usize, TableError> {
        let i = self.column_index(name)?;
        let t = &self.columns[i].data_type;
        if !is_string_type(t) {
            return Err(TableError::NotText {
                name: name.to_string(),
                data_type: t.to_string(),
            });
        }
        Ok(i)
    }

    /// A writer of the same format and columns as this table, over `out`.
    pub fn writer_like<W: Write + Send>(&self, out: W) -> Result<TableWriter<W>, TableError> {
        match (&self.source, &self.schema) {
            (Source::Parquet(_), Some(schema)) => TableWriter::parquet(out, schema.clone()),
            (Source::Csv { header, .. }, _) => TableWriter::csv(out, self.format, header),
            (Source::Parquet(_), None) => unreachable!("a Parquet reader keeps its schema"),
        }
    }

    fn next_csv_batch(&mut self) -> Option<Result<Batch, TableError>> {
        let Source::Csv { reader, header } = &mut self.source else {
            unreachable!("called on a CSV source")
        };
        let first_row = self.rows_read;
        let mut rows = Vec::new();
        while rows.len() < self.batch_rows {
            let mut record = ByteRecord::new();
            match reader.read_byte_record(&mut record) {
                Ok(true) => {
                    self.rows_read += 1;
                    rows.push(record);
                }
                Ok(false) => break,
                Err(e) => {
                    return Some(Err(ragged_or_unreadable(
                        e,
                        self.rows_read + 1,
                        header.len(),
                    )))
                }
            }
        }
        if rows.is_empty() {
            return None;
        }
        Some(Ok(Batch {
            first_row,
            data: Data::Csv(rows),
        }))
    }
}

impl Iterator for TableReader {
    type Item = Result<Batch, TableError>;

    /// The next batch of rows, in file order; `None` at the end.
    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.source {
            Source::Parquet(reader) => {
                let first_row = self.rows_read;
                let batch = reader.next()?.map_err(unreadable);
                Some(batch.map(|b| {
                    self.rows_read += b.num_rows();
                    Batch {
                        first_row,
                        data: Data::Arrow(b),
                    }
                }))
            }
            Source::Csv { .. } => self.next_csv_batch(),
        }
    }
}

fn strip_bom(header: &mut ByteRecord) {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if header.get(0).is_some_and(|f| f.starts_with(BOM)) {
        let fixed: ByteRecord = header
            .iter()
            .enumerate()
            .map(|(i, f)| if i == 0 { &f[BOM.len()..] } else { f })
            .collect();
        *header = fixed;
    }
}

fn csv_error(e: csv::Error) -> TableError {
    match e.kind() {
        csv::ErrorKind::Io(io) => TableError::Unreadable(io.to_string()),
        _ => TableError::Unreadable("malformed CSV header".into()),
    }
}

/// A CSV reading error as a row-numbered message (the csv crate's own messages are kept out:
/// they may quote the data).
fn ragged_or_unreadable(e: csv::Error, row: usize, expected: usize) -> TableError {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { pos, len, .. } => TableError::Ragged {
            row,
            line: pos.as_ref().map_or(0, |p| p.line()),
            fields: *len as usize,
            expected,
        },
        csv::ErrorKind::Io(io) => TableError::Unreadable(format!("row {row}: {io}")),
        _ => TableError::Unreadable(format!("row {row}: malformed CSV")),
    }
}

/// Rows read together: `first_row` is the 0-based index of the first one in the table.
pub struct Batch {
    pub first_row: usize,
    data: Data,
}

enum Data {
    Arrow(RecordBatch),
    Csv(Vec<ByteRecord>),
}

/// A text column of a batch: one value per row (`None` = null, or not UTF-8 in a CSV).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextColumn {
    pub values: Vec<Option<String>>,
    /// Rows (0-based, in the batch) whose cell is not UTF-8 (CSV only); their value is `None`.
    pub invalid: Vec<usize>,
}

impl Batch {
    pub fn num_rows(&self) -> usize {
        match &self.data {
            Data::Arrow(b) => b.num_rows(),
            Data::Csv(rows) => rows.len(),
        }
    }

    /// The strings of text column `index` (checked with [`TableReader::text_column_index`]).
    pub fn text_column(&self, index: usize) -> Result<TextColumn, TableError> {
        match &self.data {
            Data::Arrow(b) => {
                let utf8 =
                    arrow_cast::cast(b.column(index), &DataType::Utf8).map_err(unreadable)?;
                let strings = utf8
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .expect("a cast to Utf8 gives a StringArray");
                Ok(TextColumn {
                    values: strings.iter().map(|v| v.map(str::to_string)).collect(),
                    invalid: Vec::new(),
                })
            }
            Data::Csv(rows) => {
                let mut out = TextColumn::default();
                for (i, row) in rows.iter().enumerate() {
                    let cell = row.get(index).unwrap_or_default();
                    match std::str::from_utf8(cell) {
                        Ok(s) => out.values.push(Some(s.to_string())),
                        Err(_) => {
                            out.values.push(None);
                            out.invalid.push(i);
                        }
                    }
                }
                Ok(out)
            }
        }
    }

    /// Column `index` of any scalar type rendered as text (`17`, `2021-03-12`, `true`);
    /// null stays `None`. CSV bytes that are not UTF-8 are shown with replacement characters.
    pub fn display_column(&self, index: usize) -> Result<Vec<Option<String>>, TableError> {
        match &self.data {
            Data::Arrow(b) => {
                let array = b.column(index);
                let formatter = ArrayFormatter::try_new(array.as_ref(), &FormatOptions::default())
                    .map_err(unreadable)?;
                Ok((0..array.len())
                    .map(|i| (!array.is_null(i)).then(|| formatter.value(i).to_string()))
                    .collect())
            }
            Data::Csv(rows) => Ok(rows
                .iter()
                .map(|r| Some(String::from_utf8_lossy(r.get(index).unwrap_or_default()).into()))
                .collect()),
        }
    }

    /// A copy of this batch with each `(column index, values)` replacing that text column;
    /// every other column is passed through untouched. A replaced column keeps its type
    /// (`Utf8`, `LargeUtf8`, `Utf8View`, dictionary); a `None` in a column declared
    /// non-nullable is written as an empty string, so the schema is kept.
    pub fn with_text_columns(
        &self,
        replacements: &[(usize, Vec<Option<String>>)],
    ) -> Result<Batch, TableError> {
        for (_, values) in replacements {
            if values.len() != self.num_rows() {
                return Err(write_error(format!(
                    "{} replacement values for {} rows",
                    values.len(),
                    self.num_rows()
                )));
            }
        }
        let data = match &self.data {
            Data::Arrow(b) => Data::Arrow(replace_arrow(b, replacements)?),
            Data::Csv(rows) => Data::Csv(replace_csv(rows, replacements)),
        };
        Ok(Batch {
            first_row: self.first_row,
            data,
        })
    }
}

fn replace_arrow(
    batch: &RecordBatch,
    replacements: &[(usize, Vec<Option<String>>)],
) -> Result<RecordBatch, TableError> {
    let schema = batch.schema();
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    for (index, values) in replacements {
        let field = schema.field(*index);
        let strings: StringArray = if field.is_nullable() {
            values.iter().map(|v| v.as_deref()).collect()
        } else {
            values
                .iter()
                .map(|v| Some(v.as_deref().unwrap_or("")))
                .collect()
        };
        columns[*index] = arrow_cast::cast(&strings, field.data_type()).map_err(write_error)?;
    }
    RecordBatch::try_new(schema, columns).map_err(write_error)
}

fn replace_csv(
    rows: &[ByteRecord],
    replacements: &[(usize, Vec<Option<String>>)],
) -> Vec<ByteRecord> {
    rows.iter()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(
                    |(c, cell)| match replacements.iter().find(|(i, _)| *i == c) {
                        Some((_, values)) => values[r].as_deref().unwrap_or("").as_bytes(),
                        None => cell,
                    },
                )
                .collect()
        })
        .collect()
}

/// The type of a column of a new table written with [`TableWriter::with_columns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Int,
    Float,
}

/// A cell of a new table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
}

/// Writes a table to `W`, batch by batch. Call [`TableWriter::finish`] at the end (Parquet
/// writes its footer there); a writer dropped before that leaves an incomplete file, which
/// the caller's temporary-file handling throws away.
pub struct TableWriter<W: Write + Send> {
    sink: Writer<W>,
}

enum Writer<W: Write + Send> {
    Parquet {
        writer: ArrowWriter<W>,
        schema: SchemaRef,
    },
    Csv(csv::Writer<W>),
}

impl<W: Write + Send> TableWriter<W> {
    fn parquet(out: W, schema: SchemaRef) -> Result<Self, TableError> {
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(write_error)?;
        Ok(TableWriter {
            sink: Writer::Parquet { writer, schema },
        })
    }

    fn csv(out: W, format: TableFormat, header: &ByteRecord) -> Result<Self, TableError> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(format.delimiter())
            .from_writer(out);
        w.write_byte_record(header).map_err(write_error)?;
        Ok(TableWriter {
            sink: Writer::Csv(w),
        })
    }

    /// A writer of a new table with these columns, in `format`.
    pub fn with_columns(
        format: TableFormat,
        out: W,
        columns: &[(&str, ColumnKind)],
    ) -> Result<Self, TableError> {
        match format {
            TableFormat::Parquet => {
                let fields: Vec<Field> = columns
                    .iter()
                    .map(|(name, kind)| {
                        let t = match kind {
                            ColumnKind::Text => DataType::Utf8,
                            ColumnKind::Int => DataType::Int64,
                            ColumnKind::Float => DataType::Float64,
                        };
                        Field::new(*name, t, true)
                    })
                    .collect();
                Self::parquet(out, Arc::new(Schema::new(fields)))
            }
            TableFormat::Csv | TableFormat::Tsv => {
                let header: ByteRecord = columns.iter().map(|(n, _)| n.as_bytes()).collect();
                Self::csv(out, format, &header)
            }
        }
    }

    /// Append a batch (from a reader's batches, possibly with replaced text columns).
    pub fn write(&mut self, batch: &Batch) -> Result<(), TableError> {
        match (&mut self.sink, &batch.data) {
            (Writer::Parquet { writer, .. }, Data::Arrow(b)) => {
                writer.write(b).map_err(write_error)?;
                if writer.in_progress_size() >= ROW_GROUP_BYTES {
                    writer.flush().map_err(write_error)?;
                }
                Ok(())
            }
            (Writer::Csv(w), Data::Csv(rows)) => {
                for row in rows {
                    w.write_byte_record(row).map_err(write_error)?;
                }
                Ok(())
            }
            _ => Err(write_error("a batch goes to a writer of its own format")),
        }
    }

    /// Append rows of a table made with [`TableWriter::with_columns`]; each row has one cell
    /// per column, of the column's kind (or null).
    pub fn write_rows(&mut self, rows: &[Vec<Cell>]) -> Result<(), TableError> {
        match &mut self.sink {
            Writer::Parquet { schema, .. } => {
                let schema = schema.clone();
                let columns: Vec<ArrayRef> = schema
                    .fields()
                    .iter()
                    .enumerate()
                    .map(|(c, f)| cells_to_array(rows, c, f.data_type()))
                    .collect::<Result<_, _>>()?;
                let batch = RecordBatch::try_new(schema, columns).map_err(write_error)?;
                self.write(&Batch {
                    first_row: 0,
                    data: Data::Arrow(batch),
                })
            }
            Writer::Csv(w) => {
                for row in rows {
                    let fields: Vec<String> = row.iter().map(cell_text).collect();
                    w.write_record(&fields).map_err(write_error)?;
                }
                Ok(())
            }
        }
    }

    /// Finish the table (Parquet footer, buffers flushed) and give back the writer.
    pub fn finish(self) -> Result<W, TableError> {
        match self.sink {
            Writer::Parquet { writer, .. } => writer.into_inner().map_err(write_error),
            Writer::Csv(w) => w.into_inner().map_err(|e| write_error(e.error())),
        }
    }
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Null => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) => f.to_string(),
    }
}

fn cells_to_array(rows: &[Vec<Cell>], c: usize, t: &DataType) -> Result<ArrayRef, TableError> {
    let cell = |r: &Vec<Cell>| r.get(c).cloned().unwrap_or(Cell::Null);
    let wrong = || write_error(format!("column {c}: a cell does not match the column type"));
    Ok(match t {
        DataType::Utf8 => Arc::new(
            rows.iter()
                .map(|r| match cell(r) {
                    Cell::Text(s) => Ok(Some(s)),
                    Cell::Null => Ok(None),
                    _ => Err(wrong()),
                })
                .collect::<Result<StringArray, _>>()?,
        ),
        DataType::Int64 => Arc::new(
            rows.iter()
                .map(|r| match cell(r) {
                    Cell::Int(i) => Ok(Some(i)),
                    Cell::Null => Ok(None),
                    _ => Err(wrong()),
                })
                .collect::<Result<Int64Array, _>>()?,
        ),
        _ => Arc::new(
            rows.iter()
                .map(|r| match cell(r) {
                    Cell::Float(f) => Ok(Some(f)),
                    Cell::Null => Ok(None),
                    _ => Err(wrong()),
                })
                .collect::<Result<Float64Array, _>>()?,
        ),
    })
}

/// Reshaping a table: some columns dropped, new nullable text columns appended (e.g.
/// `voile link` drops the identity columns and adds its pseudonyms). Kept columns pass through
/// with their type and order; the new ones are `Utf8`, nullable (CSV: a `None` is empty).
impl Batch {
    /// A copy of this batch without the columns at `drop` and with `added` (name, one value
    /// per row) appended in order.
    pub fn reshaped(
        &self,
        drop: &[usize],
        added: &[(&str, Vec<Option<String>>)],
    ) -> Result<Batch, TableError> {
        for (name, values) in added {
            if values.len() != self.num_rows() {
                return Err(write_error(format!(
                    "column {name:?}: {} values for {} rows",
                    values.len(),
                    self.num_rows()
                )));
            }
        }
        let data = match &self.data {
            Data::Arrow(b) => Data::Arrow(reshape_arrow(b, drop, added)?),
            Data::Csv(rows) => Data::Csv(reshape_csv(rows, drop, added)),
        };
        Ok(Batch {
            first_row: self.first_row,
            data,
        })
    }
}

impl TableReader {
    /// A writer of this table's format for batches made with [`Batch::reshaped`] with the same
    /// `drop` and added column names.
    pub fn reshaped_writer<W: Write + Send>(
        &self,
        out: W,
        drop: &[usize],
        added: &[&str],
    ) -> Result<TableWriter<W>, TableError> {
        match (&self.source, &self.schema) {
            (Source::Parquet(_), Some(schema)) => {
                TableWriter::parquet(out, reshaped_schema(schema, drop, added))
            }
            (Source::Csv { header, .. }, _) => {
                let kept = header.iter().enumerate().filter(|(i, _)| !drop.contains(i));
                let header: ByteRecord = kept
                    .map(|(_, name)| name)
                    .chain(added.iter().map(|n| n.as_bytes()))
                    .collect();
                TableWriter::csv(out, self.format, &header)
            }
            (Source::Parquet(_), None) => unreachable!("a Parquet reader keeps its schema"),
        }
    }
}

/// `schema` without the fields at `drop`, with nullable `Utf8` fields `added` appended; the
/// schema's metadata is kept.
fn reshaped_schema(schema: &Schema, drop: &[usize], added: &[&str]) -> SchemaRef {
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .enumerate()
        .filter(|(i, _)| !drop.contains(i))
        .map(|(_, f)| f.as_ref().clone())
        .chain(added.iter().map(|n| Field::new(*n, DataType::Utf8, true)))
        .collect();
    Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()))
}

fn reshape_arrow(
    batch: &RecordBatch,
    drop: &[usize],
    added: &[(&str, Vec<Option<String>>)],
) -> Result<RecordBatch, TableError> {
    let names: Vec<&str> = added.iter().map(|(n, _)| *n).collect();
    let schema = reshaped_schema(&batch.schema(), drop, &names);
    let columns: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .enumerate()
        .filter(|(i, _)| !drop.contains(i))
        .map(|(_, c)| c.clone())
        .chain(added.iter().map(|(_, values)| {
            let strings: StringArray = values.iter().map(|v| v.as_deref()).collect();
            Arc::new(strings) as ArrayRef
        }))
        .collect();
    RecordBatch::try_new(schema, columns).map_err(write_error)
}

fn reshape_csv(
    rows: &[ByteRecord],
    drop: &[usize],
    added: &[(&str, Vec<Option<String>>)],
) -> Vec<ByteRecord> {
    rows.iter()
        .enumerate()
        .map(|(r, row)| {
            let kept = row.iter().enumerate().filter(|(c, _)| !drop.contains(c));
            kept.map(|(_, cell)| cell)
                .chain(
                    added
                        .iter()
                        .map(|(_, values)| values[r].as_deref().unwrap_or("").as_bytes()),
                )
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests;
