//! Convert a CSV table to Parquet with every column as text (for benchmarks and manual tests):
//! `cargo run --release -p voile-io --example csv_to_parquet -- in.csv out.parquet`.

use std::fs::File;
use std::path::Path;
use voile_io::{Cell, ColumnKind, TableFormat, TableReader, TableWriter};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        return Err("usage: csv_to_parquet IN.csv OUT.parquet".into());
    };
    let reader = TableReader::open(Path::new(input), 4096)?;
    let names: Vec<String> = reader.columns().iter().map(|c| c.name.clone()).collect();
    let columns: Vec<(&str, ColumnKind)> = names
        .iter()
        .map(|n| (n.as_str(), ColumnKind::Text))
        .collect();
    let mut writer =
        TableWriter::with_columns(TableFormat::Parquet, File::create(output)?, &columns)?;
    for batch in reader {
        let batch = batch?;
        let cols: Vec<Vec<Option<String>>> = (0..names.len())
            .map(|i| batch.display_column(i))
            .collect::<Result<_, _>>()?;
        let rows: Vec<Vec<Cell>> = (0..batch.num_rows())
            .map(|r| {
                cols.iter()
                    .map(|c| c[r].clone().map_or(Cell::Null, Cell::Text))
                    .collect()
            })
            .collect();
        writer.write_rows(&rows)?;
    }
    writer.finish()?;
    Ok(())
}
