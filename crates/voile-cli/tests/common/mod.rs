//! Running the `voile` binary from integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The `voile` command with piped standard streams and `VOILE_KEY` set to `key` (or unset).
pub fn cmd(args: &[&str], key: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_voile"));
    c.args(args)
        .env_remove("VOILE_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(k) = key {
        c.env("VOILE_KEY", k);
    }
    c
}

/// Run `voile args` with `stdin` as input and wait for it.
pub fn run(args: &[&str], stdin: &str, key: Option<&str>) -> Output {
    let mut child = cmd(args, key).spawn().expect("voile runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A path as the `&str` argument of a command line.
pub fn s(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

/// A finished run's standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A small Parquet table written by a run (small tables come back as one batch).
pub fn read_parquet(path: &std::path::Path) -> arrow_array::RecordBatch {
    let file = std::fs::File::open(path).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .with_batch_size(1 << 20)
        .build()
        .unwrap();
    let mut batches: Vec<arrow_array::RecordBatch> = reader.map(|b| b.unwrap()).collect();
    assert_eq!(batches.len(), 1, "a small table reads back as one batch");
    batches.pop().unwrap()
}

/// The values of a Utf8 column (nulls as `None`).
pub fn strings(a: &arrow_array::ArrayRef) -> Vec<Option<String>> {
    let a = a
        .as_any()
        .downcast_ref::<arrow_array::StringArray>()
        .expect("a Utf8 column");
    a.iter().map(|v| v.map(String::from)).collect()
}

/// The column names of a table, in order.
pub fn column_names(batch: &arrow_array::RecordBatch) -> Vec<String> {
    batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect()
}
