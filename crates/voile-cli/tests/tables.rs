//! Tables in, tables out: `voile pseudo|detect TABLE --text-column …` on Parquet and CSV, and
//! `voile scan`. Test tables are generated here (no binary fixtures).

mod common;
use common::{column_names, read_parquet, s, stderr, strings};

use arrow_array::types::Int32Type;
use arrow_array::DictionaryArray;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
    TimestampMillisecondArray,
};
use parquet::arrow::ArrowWriter;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

const KEY: &str = "test-key-0123456789abcdef";
const FAST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../eval/configs/rules-gazetteer.json"
);

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("voile-tables-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn voile(args: &[&str], stdin: &str) -> Output {
    common::run(args, stdin, Some(KEY))
}

/// Clinical texts with identities; `None` is a null cell, `""` an empty one. More rows than
/// one chunk of documents (256), so chunking and patient propagation across rows are covered.
fn texts() -> Vec<Option<String>> {
    let base = [
        "Mme Josiane LEFEVRE, née le 04/07/1957, vue le 12/03/2021. IPP : 80012345.",
        "Revue le 22/03/2021 par le Dr Paul MARCHAND à Nantes. Tél : 06 12 34 56 78.",
        "Mme LEFEVRE va mieux ; prochain contrôle en mai 2021.",
        "Patient adressé par le Dr Claire DUBOIS (CHU de Bordeaux), mail claire.dubois@chu-bordeaux.fr.",
        "Pas d'identifiant : HTA, diabète de type 2, score de Glasgow à 15.",
    ];
    let mut out: Vec<Option<String>> = (0..600)
        .map(|i| Some(base[i % base.len()].to_string()))
        .collect();
    out[3] = None;
    out[7] = Some(String::new());
    out
}

fn patients(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("P{}", i % 4)).collect()
}

/// A Parquet table: typed pass-through columns around one text column.
fn write_parquet_table(path: &Path, texts: &[Option<String>]) -> RecordBatch {
    let n = texts.len();
    let patients = patients(n);
    let service: DictionaryArray<Int32Type> = (0..n).map(|i| ["cardio", "neuro"][i % 2]).collect();
    let columns: Vec<(&str, ArrayRef)> = vec![
        (
            "id",
            Arc::new(Int64Array::from_iter_values(
                (0..n as i64).map(|i| 1000 + i),
            )),
        ),
        (
            "patient",
            Arc::new(StringArray::from_iter_values(&patients)),
        ),
        (
            "cr",
            Arc::new(texts.iter().map(|t| t.as_deref()).collect::<StringArray>()),
        ),
        (
            "dose",
            Arc::new(Float64Array::from_iter(
                (0..n).map(|i| (i % 3 != 0).then_some(i as f64 * 0.5)),
            )),
        ),
        (
            "urgent",
            Arc::new(BooleanArray::from_iter((0..n).map(|i| Some(i % 2 == 0)))),
        ),
        (
            "jour",
            Arc::new(Date32Array::from_iter_values(
                (0..n as i32).map(|i| 18_000 + i),
            )),
        ),
        (
            "heure",
            Arc::new(TimestampMillisecondArray::from_iter_values(
                (0..n as i64).map(|i| 1_600_000_000_000 + i * 60_000),
            )),
        ),
        ("service", Arc::new(service)),
    ];
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let mut w = ArrowWriter::try_new(File::create(path).unwrap(), batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    batch
}

/// `voile pseudo` of JSONL records `(id, text, patient)` on stdin: output text by id.
fn pseudo_jsonl(config: &str, records: &[(String, String, String)]) -> BTreeMap<String, String> {
    let input: String = records
        .iter()
        .map(|(id, text, p)| {
            serde_json::json!({"id": id, "text": text, "meta": {"patient_id": p}}).to_string()
                + "\n"
        })
        .collect();
    let out = voile(&["pseudo", "--config", config], &input);
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_parquet_table_round_trips_through_pseudo_like_jsonl_input() {
    let d = tmp("pq");
    let (input, output, audit, mapping) = (
        d.join("in.parquet"),
        d.join("out/pseudo.parquet"),
        d.join("audit.json"),
        d.join("mapping.tsv"),
    );
    let texts = texts();
    let original = write_parquet_table(&input, &texts);
    let out = voile(
        &[
            "pseudo",
            "--config",
            FAST,
            s(&input),
            "--text-column",
            "cr",
            "--id-column",
            "id",
            "--patient-column",
            "patient",
            "--out",
            s(&output),
            "--audit",
            s(&audit),
            "--mapping",
            s(&mapping),
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let got = read_parquet(&output);
    assert_eq!(
        got.schema(),
        original.schema(),
        "same schema, types included"
    );
    assert_eq!(got.num_rows(), original.num_rows());
    for (i, field) in original.schema().fields().iter().enumerate() {
        if field.name() != "cr" {
            assert_eq!(
                got.column(i).to_data(),
                original.column(i).to_data(),
                "{} passes through",
                field.name()
            );
        }
    }
    // The same texts, ids and patients as JSONL, with the same key.
    let patients = patients(texts.len());
    let records: Vec<(String, String, String)> = texts
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            t.clone()
                .map(|t| ((1000 + i).to_string(), t, patients[i].clone()))
        })
        .collect();
    let jsonl = pseudo_jsonl(FAST, &records);
    let expected: Vec<Option<String>> = (0..texts.len())
        .map(|i| {
            texts[i]
                .as_ref()
                .map(|_| jsonl[&(1000 + i).to_string()].clone())
        })
        .collect();
    let cr = strings(got.column(2));
    assert_eq!(
        cr, expected,
        "each text equals JSONL's for the same text and key"
    );
    assert_eq!(cr[3], None, "null stays null");
    assert_eq!(cr[7].as_deref(), Some(""), "empty stays empty");
    assert!(
        !cr[0].as_ref().unwrap().contains("LEFEVRE"),
        "a name was replaced"
    );

    let audit: Value = serde_json::from_str(&std::fs::read_to_string(&audit).unwrap()).unwrap();
    assert!(audit.to_string().contains("NOM"), "{audit}");
    let map = std::fs::read_to_string(&mapping).unwrap();
    assert!(
        map.lines().any(|l| l.starts_with("1000\tNOM\tLEFEVRE\t")),
        "mapping ids are document ids"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

/// A CSV cell, quoted.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[test]
fn a_csv_table_with_two_text_columns_round_trips_like_jsonl_input() {
    let d = tmp("csv");
    let (input, output) = (d.join("in.csv"), d.join("out.csv"));
    let texts = texts();
    let n = texts.len();
    let conclusions: Vec<String> = (0..n)
        .map(|i| format!("Contrôle le {:02}/05/2021 avec le Dr MARCHAND.", 1 + i % 28))
        .collect();
    let patients = patients(n);
    let mut csv = String::from("ref,patient,cr,dose,conclusion\n");
    for i in 0..n {
        let cr = texts[i].as_deref().map(q).unwrap_or_default();
        csv += &format!(
            "R{i},{},{cr},{}.50,{}\n",
            patients[i],
            i * 10,
            q(&conclusions[i])
        );
    }
    std::fs::write(&input, &csv).unwrap();
    // Patient propagation on: documents of a patient share surfaces within a chunk, so the
    // table's chunks must be JSONL's.
    let config = d.join("config.json");
    std::fs::write(
        &config,
        r#"{"use_ner": false, "propagation": {"patient": true}}"#,
    )
    .unwrap();
    let out = voile(
        &[
            "pseudo",
            "--config",
            s(&config),
            s(&input),
            "--text-column",
            "cr",
            "--text-column",
            "conclusion",
            "--id-column",
            "ref",
            "--patient-column",
            "patient",
            "--out",
            s(&output),
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));

    // Row-major documents `{id}:{column}`, as the table mode documents them.
    let mut records = Vec::new();
    for i in 0..n {
        if let Some(t) = &texts[i] {
            records.push((format!("R{i}:cr"), t.clone(), patients[i].clone()));
        }
        records.push((
            format!("R{i}:conclusion"),
            conclusions[i].clone(),
            patients[i].clone(),
        ));
    }
    let jsonl = pseudo_jsonl(s(&config), &records);

    let mut reader = voile_io::TableReader::open(&output, 1000).unwrap();
    let names: Vec<String> = reader.columns().iter().map(|c| c.name.clone()).collect();
    assert_eq!(
        names,
        ["ref", "patient", "cr", "dose", "conclusion"],
        "same header"
    );
    let batch = reader.next().unwrap().unwrap();
    assert!(reader.next().is_none());
    assert_eq!(batch.num_rows(), n, "same row count");
    let col = |i: usize| batch.display_column(i).unwrap();
    for i in 0..n {
        assert_eq!(col(0)[i].as_deref(), Some(format!("R{i}").as_str()));
        assert_eq!(col(1)[i].as_deref(), Some(patients[i].as_str()));
        assert_eq!(
            col(3)[i].as_deref(),
            Some(format!("{}.50", i * 10).as_str()),
            "numbers kept as written"
        );
        let cr = col(2)[i].clone().unwrap();
        match &texts[i] {
            Some(_) => assert_eq!(cr, jsonl[&format!("R{i}:cr")]),
            None => assert_eq!(cr, "", "a null (empty) CSV cell stays empty"),
        }
        assert_eq!(
            col(4)[i].clone().unwrap(),
            jsonl[&format!("R{i}:conclusion")]
        );
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn detect_writes_one_row_per_span_like_jsonl_detect() {
    let d = tmp("detect");
    let input = d.join("in.parquet");
    let texts = texts();
    write_parquet_table(&input, &texts);
    // JSONL detect of the same texts: (id, start, end, label) per span.
    let jsonl_in: String = texts
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            t.as_ref().map(|t| {
                serde_json::json!({"id": (1000 + i).to_string(), "text": t}).to_string() + "\n"
            })
        })
        .collect();
    let out = voile(&["detect", "--config", FAST], &jsonl_in);
    assert!(out.status.success());
    let mut expected = Vec::new();
    for l in String::from_utf8(out.stdout).unwrap().lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        for sp in v["spans"].as_array().unwrap() {
            expected.push((
                v["id"].as_str().unwrap().to_string(),
                sp["start"].as_i64().unwrap(),
                sp["end"].as_i64().unwrap(),
                sp["label"].as_str().unwrap().to_string(),
            ));
        }
    }
    assert!(expected.len() > 20);

    let spans_pq = d.join("spans.parquet");
    let out = voile(
        &[
            "detect",
            "--config",
            FAST,
            s(&input),
            "--text-column",
            "cr",
            "--id-column",
            "id",
            "--out",
            s(&spans_pq),
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let got = read_parquet(&spans_pq);
    let names = column_names(&got);
    assert_eq!(
        names,
        ["id", "column", "start", "end", "label", "score", "source"]
    );
    let ids = strings(got.column(0));
    let starts = got.column(2).as_any().downcast_ref::<Int64Array>().unwrap();
    let ends = got.column(3).as_any().downcast_ref::<Int64Array>().unwrap();
    let labels = strings(got.column(4));
    let rows: Vec<(String, i64, i64, String)> = (0..got.num_rows())
        .map(|r| {
            (
                ids[r].clone().unwrap(),
                starts.value(r),
                ends.value(r),
                labels[r].clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows, expected,
        "code-point offsets and labels as JSONL detect"
    );
    assert!(strings(got.column(1))
        .iter()
        .all(|c| c.as_deref() == Some("cr")));

    // Without --out: JSONL rows on stdout; with .csv: the same rows as CSV.
    let out = voile(
        &[
            "detect",
            "--config",
            FAST,
            s(&input),
            "--text-column",
            "cr",
            "--id-column",
            "id",
        ],
        "",
    );
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), expected.len());
    assert_eq!(lines[0]["id"], expected[0].0.as_str());
    assert_eq!(lines[0]["start"], expected[0].1);
    let spans_csv = d.join("spans.csv");
    let out = voile(
        &[
            "detect",
            "--config",
            FAST,
            s(&input),
            "--text-column",
            "cr",
            "--out",
            s(&spans_csv),
            "--no-provenance",
        ],
        "",
    );
    assert!(out.status.success());
    let csv = std::fs::read_to_string(&spans_csv).unwrap();
    assert_eq!(csv.lines().next(), Some("id,column,start,end,label"));
    assert_eq!(csv.lines().count(), expected.len() + 1);
    assert!(
        csv.lines().nth(1).unwrap().starts_with("1,cr,"),
        "row numbers as ids: {csv}"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn bad_columns_and_ragged_rows_are_clear_errors_and_write_nothing() {
    let d = tmp("errors");
    let pq = d.join("in.parquet");
    write_parquet_table(&pq, &texts());
    let out_path = d.join("out.parquet");
    let run = |args: &[&str]| voile(&[&["pseudo", "--config", FAST], args].concat(), "");

    let o = run(&[
        s(&pq),
        "--text-column",
        "compte_rendu",
        "--out",
        s(&out_path),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("no column \"compte_rendu\"") && e.contains("\"cr\", \"dose\""),
        "{e}"
    );
    let o = run(&[s(&pq), "--text-column", "dose", "--out", s(&out_path)]);
    let e = stderr(&o);
    assert!(
        e.contains("\"dose\"") && e.contains("Float64") && e.contains("not a string"),
        "{e}"
    );
    let o = run(&[
        s(&pq),
        "--text-column",
        "cr",
        "--id-column",
        "ident",
        "--out",
        s(&out_path),
    ]);
    assert!(stderr(&o).contains("no column \"ident\""), "{}", stderr(&o));
    let o = run(&[s(&pq), "--out", s(&out_path)]);
    assert!(stderr(&o).contains("needs --text-column"), "{}", stderr(&o));
    let o = run(&[
        s(&pq),
        "--text-column",
        "cr",
        "--out",
        s(&d.join("out.csv")),
    ]);
    assert!(stderr(&o).contains("same format"), "{}", stderr(&o));
    let o = run(&[s(&pq), "--text-column", "cr", "--out", s(&pq)]);
    assert!(stderr(&o).contains("overwrite the input"), "{}", stderr(&o));

    let csv = d.join("ragged.csv");
    let rows: String = (1..=300)
        .map(|i| format!("{i},Vu par le Dr MARTIN\n"))
        .collect();
    std::fs::write(&csv, format!("id,cr\n{rows}301,Dr MARTIN,extra\n")).unwrap();
    let out_csv = d.join("out.csv");
    let o = run(&[s(&csv), "--text-column", "cr", "--out", s(&out_csv)]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("row 301") && e.contains("3 fields"), "{e}");
    assert!(!e.contains("MARTIN"), "no text in errors: {e}");
    let left: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "no output nor temporary file: {left:?}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_bad_cell_is_reported_and_written_null_while_the_run_goes_on() {
    let d = tmp("badcell");
    let (input, output) = (d.join("in.csv"), d.join("out.csv"));
    let mut bytes =
        b"id,cr,dose\n1,Vu par le Dr Paul MARCHAND,1\n2,\"Mme LEF\xc8VRE\",2\n".to_vec();
    bytes.extend_from_slice(b"3,Mme Josiane LEFEVRE,3\n");
    std::fs::write(&input, &bytes).unwrap();
    let o = voile(
        &[
            "pseudo",
            "--config",
            FAST,
            s(&input),
            "--text-column",
            "cr",
            "--out",
            s(&output),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1), "some record bad: exit 1");
    let e = stderr(&o);
    assert!(
        e.contains("row 2") && e.contains("\"cr\"") && e.contains("not UTF-8"),
        "{e}"
    );
    assert!(!e.contains("LEF"), "{e}");
    let out = std::fs::read_to_string(&output).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "every row written: {out}");
    assert_eq!(lines[2], "2,,2", "the bad cell is empty, never in clear");
    assert!(lines[1].starts_with("1,Vu par le Dr ") && !lines[1].contains("MARCHAND"));
    assert!(!lines[3].contains("LEFEVRE"));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn scan_flags_the_identifying_columns_and_no_clinical_one() {
    let d = tmp("scan");
    let input = d.join("extract.csv");
    let header = "nom,prenom,date_naissance,nir,telephone,mail,adresse,ville,code_postal,ipp,date_prelevement,code_cim10,libelle_diagnostic,dose_mg,resultat,compte_rendu";
    let noms = ["DUPONT", "Martin", "LEFEVRE", "Bernard", "Moreau"];
    let prenoms = ["Josiane", "Jean-Pierre", "Claire", "Mohamed", "Léa"];
    let villes = [
        ("Nantes", "44000"),
        ("Lyon", "69003"),
        ("Bordeaux", "33000"),
        ("Cholet", "49300"),
    ];
    let nirs = ["2 57 07 75 112 045 46", "1 85 05 78 006 084 36"];
    let cim = [
        ("I10", "Hypertension essentielle"),
        ("E11.9", "Diabète de type 2 sans complication"),
        ("J45.0", "Asthme allergique"),
    ];
    let mut csv = format!("{header}\n");
    for i in 0..60 {
        let (ville, cp) = villes[i % villes.len()];
        let (code, libelle) = cim[i % cim.len()];
        csv += &format!(
            "{},{},{:02}/{:02}/19{},{},06 12 34 {:02} {:02},p{i}@orange.fr,{} rue des Lilas,{ville},{cp},800{:05},2021-03-{:02},{code},{libelle},{},{}.{},{}\n",
            noms[i % 5], prenoms[i % 5], 1 + i % 28, 1 + i % 12, 40 + i % 50, nirs[i % 2], i, 99 - i, i + 1,
            12345 + i, 1 + i % 28, [500, 1000, 250][i % 3], 3 + i % 7, i % 10,
            q(&format!("Vue le {:02}/04/2021 par le Dr Paul MARCHAND ; Mme {} va mieux.", 1 + i % 28, noms[i % 5])),
        );
    }
    std::fs::write(&input, csv).unwrap();
    let o = voile(&["scan", "--config", FAST, "--json", s(&input)], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8(o.stdout).unwrap();
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let flagged: Vec<&str> = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["sensitive"] == true)
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        flagged,
        ["nom", "prenom", "date_naissance", "nir", "telephone", "mail", "adresse", "ville", "code_postal", "ipp", "date_prelevement", "compte_rendu"],
        "dates of care are DATE per the label contract; codes, labels, doses, results are not flagged"
    );
    assert!(
        v["columns"][2]["labels"]["DATE_NAISSANCE"]
            .as_f64()
            .unwrap()
            > 0.9
    );
    for value in [
        "DUPONT",
        "Josiane",
        "orange.fr",
        "rue des Lilas",
        "80012345",
    ] {
        assert!(!stdout.contains(value), "scan never prints values: {value}");
    }
    // The plain table view names every column with its verdict.
    let o = voile(&["scan", "--config", FAST, "--sample", "10", s(&input)], "");
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("nom ") && l.contains("YES") && l.contains("10")),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("dose_mg ") && l.contains(" no ")),
        "{table}"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn repeated_row_ids_are_warned_about_or_refused() {
    let d = tmp("dupes");
    let input = d.join("in.csv");
    std::fs::write(
        &input,
        "id,cr\n1,Vu par le Dr MARTIN\n2,RAS\n1,Mme Josiane LEFEVRE\n",
    )
    .unwrap();
    let out = d.join("out.csv");
    let args = [
        "pseudo",
        "--config",
        FAST,
        s(&input),
        "--text-column",
        "cr",
        "--id-column",
        "id",
        "--out",
        s(&out),
    ];
    let o = voile(&args, "");
    assert!(
        o.status.success(),
        "a repeat is only a warning: {}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("row 3") && stderr(&o).contains("duplicate id (first seen at row 1)"),
        "{}",
        stderr(&o)
    );
    let o = voile(&[&args[..], &["--unique-ids"]].concat(), "");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        written.lines().nth(3),
        Some("1,"),
        "the refused row is written without its text: {written}"
    );
    std::fs::remove_dir_all(&d).unwrap();
}
