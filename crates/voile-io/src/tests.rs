use super::*;
use arrow_array::types::Int32Type;
use arrow_array::{
    BooleanArray, Date32Array, DictionaryArray, LargeStringArray, TimestampMillisecondArray,
};
use arrow_schema::TimeUnit;
use std::path::PathBuf;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("voile-io-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A batch with one column of each type the pass-through must keep, and three text columns
/// (plain, large, dictionary-encoded), nulls included.
fn mixed_batch() -> RecordBatch {
    let fields = vec![
        Field::new("id", DataType::Int64, false),
        Field::new("dose", DataType::Float64, true),
        Field::new("urgent", DataType::Boolean, true),
        Field::new("jour", DataType::Date32, true),
        Field::new(
            "heure",
            DataType::Timestamp(TimeUnit::Millisecond, Some("Europe/Paris".into())),
            true,
        ),
        Field::new("cr", DataType::Utf8, true),
        Field::new("note", DataType::LargeUtf8, true),
        Field::new(
            "service",
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            true,
        ),
    ];
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(vec![10, 11, 12])),
        Arc::new(Float64Array::from(vec![Some(2.5), None, Some(0.125)])),
        Arc::new(BooleanArray::from(vec![Some(true), Some(false), None])),
        Arc::new(Date32Array::from(vec![Some(18_700), None, Some(19_000)])),
        Arc::new(
            TimestampMillisecondArray::from(vec![Some(1_600_000_000_000), None, Some(0)])
                .with_timezone("Europe/Paris"),
        ),
        Arc::new(StringArray::from(vec![
            Some("Vu par le Dr Martin."),
            None,
            Some(""),
        ])),
        Arc::new(LargeStringArray::from(vec![Some("a"), Some("é"), None])),
        Arc::new(
            vec![Some("cardio"), None, Some("cardio")]
                .into_iter()
                .collect::<DictionaryArray<Int32Type>>(),
        ),
    ];
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
}

fn write_parquet(path: &Path, batches: &[RecordBatch]) {
    let mut w =
        ArrowWriter::try_new(File::create(path).unwrap(), batches[0].schema(), None).unwrap();
    for b in batches {
        w.write(b).unwrap();
    }
    w.close().unwrap();
}

fn read_parquet(path: &Path) -> Vec<RecordBatch> {
    ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap()
        .map(|b| b.unwrap())
        .collect()
}

/// Read `input` in batches of `rows`, replace the text columns `texts` by `f(old)`, write `output`.
fn rewrite(input: &Path, output: &Path, texts: &[&str], rows: usize, f: impl Fn(&str) -> String) {
    let mut reader = TableReader::open(input, rows).unwrap();
    let indices: Vec<usize> = texts
        .iter()
        .map(|t| reader.text_column_index(t).unwrap())
        .collect();
    let mut writer = reader.writer_like(File::create(output).unwrap()).unwrap();
    for batch in reader.by_ref() {
        let batch = batch.unwrap();
        let replaced: Vec<(usize, Vec<Option<String>>)> = indices
            .iter()
            .map(|&i| {
                let col = batch.text_column(i).unwrap();
                (i, col.values.iter().map(|v| v.as_deref().map(&f)).collect())
            })
            .collect();
        writer
            .write(&batch.with_text_columns(&replaced).unwrap())
            .unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn parquet_round_trip_keeps_types_nulls_and_other_columns() {
    let d = tmp("pq");
    let (input, output) = (d.join("in.parquet"), d.join("out.parquet"));
    let original = mixed_batch();
    write_parquet(&input, &[original.clone(), original.clone()]);
    rewrite(&input, &output, &["cr", "note", "service"], 2, |s| {
        s.to_uppercase()
    });
    let out = arrow_select_concat(&read_parquet(&output));
    assert_eq!(
        out.schema(),
        original.schema(),
        "schema kept, types included"
    );
    assert_eq!(out.num_rows(), 6);
    for name in ["id", "dose", "urgent", "jour", "heure"] {
        let i = original.schema().index_of(name).unwrap();
        for half in 0..2 {
            assert_eq!(
                out.column(i).slice(half * 3, 3).to_data(),
                original.column(i).to_data(),
                "{name} passes through"
            );
        }
    }
    let cr = text_of(&out, "cr");
    assert_eq!(
        cr[..3],
        [
            Some("VU PAR LE DR MARTIN.".to_string()),
            None,
            Some(String::new())
        ],
        "null stays null, empty stays empty"
    );
    assert_eq!(
        text_of(&out, "note")[..3],
        [Some("A".into()), Some("É".into()), None]
    );
    assert_eq!(
        text_of(&out, "service")[..3],
        [Some("CARDIO".into()), None, Some("CARDIO".into())]
    );
    std::fs::remove_dir_all(&d).unwrap();
}

/// All batches as one (they share the schema).
fn arrow_select_concat(batches: &[RecordBatch]) -> RecordBatch {
    arrow_select::concat::concat_batches(&batches[0].schema(), batches).unwrap()
}

fn text_of(batch: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let i = batch.schema().index_of(name).unwrap();
    Batch {
        first_row: 0,
        data: Data::Arrow(batch.clone()),
    }
    .text_column(i)
    .unwrap()
    .values
}

#[test]
fn non_nullable_text_columns_get_an_empty_string_for_none() {
    let schema = Arc::new(Schema::new(vec![Field::new("t", DataType::Utf8, false)]));
    let b =
        RecordBatch::try_new(schema, vec![Arc::new(StringArray::from(vec!["x", "y"]))]).unwrap();
    let batch = Batch {
        first_row: 0,
        data: Data::Arrow(b),
    };
    let out = batch
        .with_text_columns(&[(0, vec![None, Some("z".into())])])
        .unwrap();
    assert_eq!(
        out.text_column(0).unwrap().values,
        [Some(String::new()), Some("z".into())]
    );
}

#[test]
fn ids_of_any_scalar_type_are_rendered_as_text() {
    let batch = Batch {
        first_row: 0,
        data: Data::Arrow(mixed_batch()),
    };
    let shown = |i| batch.display_column(i).unwrap();
    assert_eq!(
        shown(0),
        [Some("10".into()), Some("11".into()), Some("12".into())]
    );
    assert_eq!(shown(2), [Some("true".into()), Some("false".into()), None]);
    assert_eq!(shown(3)[0].as_deref(), Some("2021-03-14"));
}

#[test]
fn csv_round_trip_changes_only_the_text_column() {
    let d = tmp("csv");
    let (input, output) = (d.join("in.csv"), d.join("out.csv"));
    let text = "\u{FEFF}id,cr,dose\n1,\"Vu, revu\",2.50\n2,,007\n3,\"dit \"\"oui\"\"\nfin\",x\n";
    std::fs::write(&input, text).unwrap();
    rewrite(&input, &output, &["cr"], 2, |s| format!("[{s}]"));
    let got = std::fs::read_to_string(&output).unwrap();
    assert_eq!(
        got, "id,cr,dose\n1,\"[Vu, revu]\",2.50\n2,[],007\n3,\"[dit \"\"oui\"\"\nfin]\",x\n",
        "same header and cells, quoting where needed, numbers untouched"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn tsv_uses_tabs() {
    let d = tmp("tsv");
    let (input, output) = (d.join("in.tsv"), d.join("out.tsv"));
    std::fs::write(&input, "id\tcr\n1\ta b\n").unwrap();
    rewrite(&input, &output, &["cr"], 10, |s| s.replace(' ', "\t"));
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        "id\tcr\n1\t\"a\tb\"\n"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn csv_batches_follow_the_batch_size_and_number_rows() {
    let d = tmp("batches");
    let input = d.join("in.csv");
    let body: String = (1..=5).map(|i| format!("{i},t{i}\n")).collect();
    std::fs::write(&input, format!("id,cr\n{body}")).unwrap();
    let firsts: Vec<(usize, usize)> = TableReader::open(&input, 2)
        .unwrap()
        .map(|b| {
            let b = b.unwrap();
            (b.first_row, b.num_rows())
        })
        .collect();
    assert_eq!(firsts, [(0, 2), (2, 2), (4, 1)]);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_non_utf8_csv_cell_is_listed_not_guessed() {
    let d = tmp("utf8");
    let input = d.join("in.csv");
    std::fs::write(&input, b"id,cr\n1,ok\n2,caf\xe9\n").unwrap();
    let mut reader = TableReader::open(&input, 10).unwrap();
    let batch = reader.next().unwrap().unwrap();
    let col = batch.text_column(1).unwrap();
    assert_eq!(col.values, [Some("ok".to_string()), None]);
    assert_eq!(col.invalid, [1]);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn errors_name_the_column_row_and_type_never_a_value() {
    let d = tmp("errors");
    let csv = d.join("in.csv");
    std::fs::write(&csv, "id,cr\n1,Dupont\n2,Martin,extra\n").unwrap();
    let mut reader = TableReader::open(&csv, 10).unwrap();
    let e = reader.column_index("texte").unwrap_err().to_string();
    assert!(
        e.contains("\"texte\"") && e.contains("\"id\", \"cr\""),
        "{e}"
    );
    let e = match reader.next().unwrap() {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a ragged row is an error"),
    };
    assert!(
        e.contains("row 2") && e.contains("3 fields") && e.contains("has 2"),
        "{e}"
    );
    assert!(!e.contains("Martin"), "{e}");

    let pq = d.join("in.parquet");
    write_parquet(&pq, &[mixed_batch()]);
    let reader = TableReader::open(&pq, 10).unwrap();
    let e = reader.text_column_index("dose").unwrap_err().to_string();
    assert!(e.contains("\"dose\"") && e.contains("Float64"), "{e}");
    assert!(reader.text_column_index("service").is_ok());

    std::fs::write(d.join("bad.parquet"), "not parquet").unwrap();
    assert!(matches!(
        TableReader::open(&d.join("bad.parquet"), 10),
        Err(TableError::Unreadable(_))
    ));
    assert!(matches!(
        TableReader::open(&d.join("x.xlsx"), 10),
        Err(TableError::UnsupportedType)
    ));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn new_tables_are_written_with_their_column_kinds() {
    let d = tmp("new");
    let cols = [
        ("id", ColumnKind::Text),
        ("start", ColumnKind::Int),
        ("score", ColumnKind::Float),
    ];
    let rows = vec![
        vec![Cell::Text("a".into()), Cell::Int(3), Cell::Float(0.5)],
        vec![Cell::Text("b, c".into()), Cell::Int(7), Cell::Null],
    ];
    let pq = d.join("spans.parquet");
    let mut w =
        TableWriter::with_columns(TableFormat::Parquet, File::create(&pq).unwrap(), &cols).unwrap();
    w.write_rows(&rows).unwrap();
    w.finish().unwrap();
    let b = &read_parquet(&pq)[0];
    assert_eq!(b.schema().field(1).data_type(), &DataType::Int64);
    assert_eq!(b.schema().field(2).data_type(), &DataType::Float64);
    assert_eq!(b.num_rows(), 2);
    assert!(b.column(2).is_null(1));

    let mut w = TableWriter::with_columns(TableFormat::Csv, Vec::new(), &cols).unwrap();
    w.write_rows(&rows).unwrap();
    let text = String::from_utf8(w.finish().unwrap()).unwrap();
    assert_eq!(text, "id,start,score\na,3,0.5\n\"b, c\",7,\n");
    std::fs::remove_dir_all(&d).unwrap();
}

/// Read `input`, drop columns `drop`, append `pseudonym` = `P<row>` (null on row 1), write
/// `output` with the reshaped writer.
fn reshape(input: &Path, output: &Path, drop: &[usize]) {
    let reader = TableReader::open(input, 2).unwrap();
    let mut writer = reader
        .reshaped_writer(File::create(output).unwrap(), drop, &["pseudonym"])
        .unwrap();
    for batch in reader {
        let batch = batch.unwrap();
        let values = (0..batch.num_rows())
            .map(|r| r + batch.first_row)
            .map(|r| (r != 1).then(|| format!("P{r}")))
            .collect();
        writer
            .write(&batch.reshaped(drop, &[("pseudonym", values)]).unwrap())
            .unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn reshaping_drops_columns_appends_text_and_keeps_the_other_types() {
    let d = tmp("reshape");
    let (input, output) = (d.join("in.parquet"), d.join("out.parquet"));
    let original = mixed_batch();
    write_parquet(&input, std::slice::from_ref(&original));
    // Drop dose, urgent, cr and note: keep id (int64), jour (date32), heure, service (dict).
    reshape(&input, &output, &[1, 2, 5, 6]);
    let got = arrow_select_concat(&read_parquet(&output));
    let names: Vec<String> = got
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(names, ["id", "jour", "heure", "service", "pseudonym"]);
    for (name, kept) in [("id", 0), ("jour", 3), ("heure", 4), ("service", 7)] {
        let field = got.schema().field_with_name(name).unwrap().clone();
        assert_eq!(&field, original.schema().field(kept), "{name}: same field");
        assert_eq!(
            got.column_by_name(name).unwrap().as_ref(),
            original.column(kept).as_ref(),
            "{name}: same values"
        );
    }
    let pseudonym = got.schema().field_with_name("pseudonym").unwrap().clone();
    assert_eq!(pseudonym.data_type(), &DataType::Utf8);
    assert!(pseudonym.is_nullable());
    assert_eq!(
        text_of(&got, "pseudonym"),
        [Some("P0".into()), None, Some("P2".into())],
        "rows in order across batches, null kept"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn reshaping_a_csv_drops_cells_and_appends_text() {
    let d = tmp("reshape-csv");
    let (input, output) = (d.join("in.csv"), d.join("out.csv"));
    std::fs::write(
        &input,
        "id,nom,cr\n1,Dupont,\"a, b\"\n2,Martin,c\n3,Durand,\n",
    )
    .unwrap();
    reshape(&input, &output, &[1]);
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        "id,cr,pseudonym\n1,\"a, b\",P0\n2,c,\n3,,P2\n"
    );
    let reader = TableReader::open(&input, 10).unwrap();
    let batch = reader.into_iter().next().unwrap().unwrap();
    assert!(
        batch.reshaped(&[], &[("p", vec![None])]).is_err(),
        "one value per row is required"
    );
    std::fs::remove_dir_all(&d).unwrap();
}
