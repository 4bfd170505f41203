//! `voile link` end to end: two sources spelling the same people differently get the same
//! pseudonyms, different people different ones; incomplete rows are counted; identity
//! columns are dropped; the input is never touched; keys from VOILE_KEY or a file; rotation.

mod common;

use common::{cmd, column_names, read_parquet, s, stderr, strings};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

const KEY: &str = "registry-key-0123456789abcdef";
const NEW_KEY: &str = "registry-key-2026-fedcba9876543210";

/// Source A: a hospital export (comma CSV). Person ids are test-only ground truth.
const SOURCE_A: &str = "\
person,NOM,PRENOM,DDN,SEXE,NIR,diag
p1,Le Goff,Jean-Pierre,30/12/1946,M,,C34
p2,N'Diaye,Zoé,1950-02-01,F,,I21
p3,DUPONT épouse MARTIN,Claire,17/05/1980,F,,E11
p4,Dupont,Paul,17/05/1980,M,,J45
p5,Martin,Louis,30/12/46,M,,Z00
p6,Durand,Luc,1960-01-01,M,NIR_P6,K35
p7,Petit,Anne,03/03/1970,F,,\"N18, stade 3\"
";

/// Source B: a registry export (semicolon CSV, French spreadsheet style), other spellings.
const SOURCE_B: &str = "\
person;nom;prenom;naissance;sexe;nir;stade
p1;LEGOFF;JEAN PIERRE;19461230;1;;II
p2;NDIAYE;ZOE;01.02.1950;Féminin;;I
p3;Martin née Dupont;CLAIRE;1980-05-17T00:00:00;2;;III
p4;DUPONT;Paul;17 mai 1980;H;;I
p4b;DUPONT;Pierre;17 mai 1980;H;;I
p6;DURAND;Luc;01/01/1960;1;NIR_P6_SPACED;IV
p7;PETIT;Anne;03/03/1970;2;;II
p8;Petit;Anne;04/03/1970;2;;II
";

/// A fresh temporary directory, removed when the test ends.
struct TmpDir(PathBuf);

impl std::ops::Deref for TmpDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TmpDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tmp(name: &str) -> TmpDir {
    let d = std::env::temp_dir().join(format!("voile-link-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    TmpDir(d)
}

/// A valid NIR for p6 (with its key), plain and spaced.
fn nir_p6() -> (String, String) {
    let body = "1600175123456";
    let n: u64 = body.parse().unwrap();
    let key = 97 - n % 97;
    (
        format!("{body}{key:02}"),
        format!("1 60 01 75 123 456 {key:02}"),
    )
}

fn write_sources(dir: &Path) -> (PathBuf, PathBuf) {
    let (plain, spaced) = nir_p6();
    let a = dir.join("a.csv");
    let b = dir.join("b.csv");
    std::fs::write(&a, SOURCE_A.replace("NIR_P6", &plain)).unwrap();
    std::fs::write(&b, SOURCE_B.replace("NIR_P6_SPACED", &spaced)).unwrap();
    (a, b)
}

/// Run `voile link` on source A's column names (`upper`) or source B's.
fn link(table: &Path, out: &Path, upper: bool, extra: &[&str], key: Option<&str>) -> Output {
    let cols: [&str; 5] = if upper {
        ["NOM", "PRENOM", "DDN", "SEXE", "NIR"]
    } else {
        ["nom", "prenom", "naissance", "sexe", "nir"]
    };
    let mut args = vec![
        "link",
        s(table),
        "--nom",
        cols[0],
        "--prenom",
        cols[1],
        "--naissance",
        cols[2],
        "--sexe",
        cols[3],
        "--nir",
        cols[4],
        "--out",
        s(out),
    ];
    args.extend_from_slice(extra);
    cmd(&args, key).output().unwrap()
}

/// A CSV (delimiter sniffed like the tool does) as header + rows of column → value.
fn read_csv(p: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let text = std::fs::read_to_string(p).unwrap();
    let first = text.lines().next().unwrap_or("");
    let d = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(d)
        .from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

/// person → pseudonym of a linked output.
fn by_person(p: &Path, column: &str) -> BTreeMap<String, String> {
    read_csv(p)
        .1
        .into_iter()
        .map(|r| (r["person"].clone(), r[column].clone()))
        .collect()
}

#[test]
fn two_sources_link_the_same_people_and_only_them() {
    let dir = tmp("two");
    let (a, b) = write_sources(&dir);
    let before = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let (oa, ob) = (dir.join("a.linked.csv"), dir.join("b.linked.csv"));
    let ra = link(&a, &oa, true, &[], Some(KEY));
    let rb = link(&b, &ob, false, &[], Some(KEY));
    assert!(ra.status.success(), "{}", stderr(&ra));
    assert!(rb.status.success(), "{}", stderr(&rb));
    // Inputs untouched.
    assert_eq!(std::fs::read(&a).unwrap(), before.0);
    assert_eq!(std::fs::read(&b).unwrap(), before.1);

    let pa = by_person(&oa, "pseudonym");
    let pb = by_person(&ob, "pseudonym");
    for person in ["p1", "p2", "p3", "p4", "p6", "p7"] {
        assert!(!pa[person].is_empty(), "{person} linked in A");
        assert_eq!(pa[person], pb[person], "{person} links across sources");
    }
    // Different people: another first name (same surname and birth date), one day off.
    assert_ne!(pb["p4b"], pb["p4"]);
    assert_ne!(pb["p8"], pb["p7"]);
    let mut all: Vec<&String> = pa
        .values()
        .chain(pb.values())
        .filter(|p| !p.is_empty())
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 8, "p1 p2 p3 p4 p6 p7 + p4b p8");
    // p5's two-digit year: incomplete, empty pseudonym, counted by reason.
    assert_eq!(pa["p5"], "");
    let problems = dir.join("problems.csv");
    assert!(link(&a, &problems, true, &["--problems"], Some(KEY))
        .status
        .success());
    let why = by_person(&problems, "link_problems");
    assert_eq!(why["p5"], "naissance: two-digit year");
    assert_eq!(why["p1"], "");
    let e = stderr(&ra);
    assert!(
        e.contains("7 row(s): 1 linked by NIR, 5 by identity fields, 1 incomplete (14.3%)"),
        "{e}"
    );
    assert!(e.contains("naissance: two-digit year 1"), "{e}");
    // No value in the messages.
    for value in ["Goff", "GOFF", "Martin", "1946", "Zo"] {
        assert!(
            !e.contains(value) && !stderr(&rb).contains(value),
            "{value}: {e}"
        );
    }
}

#[test]
fn identity_columns_are_dropped_unless_kept_and_the_rest_is_kept_in_order() {
    let dir = tmp("columns");
    let (a, _) = write_sources(&dir);
    let out = dir.join("out.csv");
    assert!(link(&a, &out, true, &[], Some(KEY)).status.success());
    let (header, rows) = read_csv(&out);
    assert_eq!(header, ["person", "diag", "pseudonym"]);
    let persons: Vec<&str> = rows.iter().map(|r| r["person"].as_str()).collect();
    assert_eq!(persons, ["p1", "p2", "p3", "p4", "p5", "p6", "p7"]);
    assert_eq!(rows[6]["diag"], "N18, stade 3", "quoted cell round-trips");
    let text = std::fs::read_to_string(&out).unwrap();
    for value in ["Goff", "Diaye", "1946", "Claire"] {
        assert!(!text.contains(value), "{value} left in the output");
    }

    let kept = dir.join("kept.tsv");
    let r = link(&a, &kept, true, &["--keep-identity"], Some(KEY));
    assert!(r.status.success(), "{}", stderr(&r));
    let text = std::fs::read_to_string(&kept).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split('\t').collect();
    assert_eq!(
        header,
        [
            "person",
            "NOM",
            "PRENOM",
            "DDN",
            "SEXE",
            "NIR",
            "diag",
            "pseudonym"
        ]
    );
    assert!(text.contains("Le Goff\tJean-Pierre"));
}

#[test]
fn the_key_comes_from_voile_key_or_a_file_and_is_required() {
    let dir = tmp("keys");
    let (a, _) = write_sources(&dir);
    let key_file = dir.join("key");
    std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
    let (env_out, file_out, other_out) = (
        dir.join("env.csv"),
        dir.join("file.csv"),
        dir.join("other.csv"),
    );
    assert!(link(&a, &env_out, true, &[], Some(KEY)).status.success());
    let r = link(&a, &file_out, true, &["--key-file", s(&key_file)], None);
    assert!(r.status.success(), "{}", stderr(&r));
    assert_eq!(
        std::fs::read(&env_out).unwrap(),
        std::fs::read(&file_out).unwrap(),
        "same key, same bytes"
    );
    assert!(link(&a, &other_out, true, &[], Some(NEW_KEY))
        .status
        .success());
    let (x, y) = (
        by_person(&env_out, "pseudonym"),
        by_person(&other_out, "pseudonym"),
    );
    assert_ne!(x["p1"], y["p1"]);

    let none = dir.join("none.csv");
    let r = link(&a, &none, true, &[], None);
    assert_eq!(r.status.code(), Some(2));
    assert!(stderr(&r).contains("VOILE_KEY"), "{}", stderr(&r));
    assert!(!none.exists());
}

#[test]
fn rotation_writes_both_pseudonyms() {
    let dir = tmp("rotation");
    let (a, _) = write_sources(&dir);
    let new_key = dir.join("new.key");
    std::fs::write(&new_key, NEW_KEY).unwrap();
    let rotated = dir.join("rotated.csv");
    let r = link(
        &a,
        &rotated,
        true,
        &["--new-key-file", s(&new_key)],
        Some(KEY),
    );
    assert!(r.status.success(), "{}", stderr(&r));
    let (header, _) = read_csv(&rotated);
    assert_eq!(header, ["person", "diag", "pseudonym", "pseudonym_new"]);
    let old_only = dir.join("old.csv");
    let new_only = dir.join("new.csv");
    assert!(link(&a, &old_only, true, &[], Some(KEY)).status.success());
    assert!(link(&a, &new_only, true, &[], Some(NEW_KEY))
        .status
        .success());
    assert_eq!(
        by_person(&rotated, "pseudonym"),
        by_person(&old_only, "pseudonym")
    );
    assert_eq!(
        by_person(&rotated, "pseudonym_new"),
        by_person(&new_only, "pseudonym")
    );

    // VOILE_NEW_KEY works too; the same key twice is refused.
    let via_env = dir.join("env.csv");
    let mut c = cmd(
        &[
            "link",
            s(&a),
            "--nom",
            "NOM",
            "--prenom",
            "PRENOM",
            "--naissance",
            "DDN",
            "--sexe",
            "SEXE",
            "--out",
            s(&via_env),
        ],
        Some(KEY),
    );
    let r = c.env("VOILE_NEW_KEY", NEW_KEY).output().unwrap();
    assert!(r.status.success(), "{}", stderr(&r));
    assert_eq!(
        by_person(&via_env, "pseudonym_new")["p1"],
        by_person(&new_only, "pseudonym")["p1"]
    );
    let same = dir.join("same.key");
    std::fs::write(&same, KEY).unwrap();
    let r = link(
        &a,
        &dir.join("x.csv"),
        true,
        &["--new-key-file", s(&same)],
        Some(KEY),
    );
    assert_eq!(r.status.code(), Some(2));
}

#[test]
fn both_kinds_let_a_nir_source_meet_a_source_without() {
    let dir = tmp("both");
    let (a, b) = write_sources(&dir);
    let (oa, ob) = (dir.join("a.csv.out.csv"), dir.join("b.out.csv"));
    assert!(link(&a, &oa, true, &["--both"], Some(KEY)).status.success());
    let nir_less = dir.join("b-no-nir.csv");
    std::fs::write(&nir_less, SOURCE_B.replace("NIR_P6_SPACED", "")).unwrap();
    assert!(link(&nir_less, &ob, false, &["--both"], Some(KEY))
        .status
        .success());
    let (pa, pb) = (by_person(&oa, "pseudonym"), by_person(&ob, "pseudonym"));
    assert_ne!(
        pa["p6"], pb["p6"],
        "NIR-based and fields-based pseudonyms never collide"
    );
    assert_eq!(
        by_person(&oa, "pseudonym_identity")["p6"],
        by_person(&ob, "pseudonym_identity")["p6"]
    );
    assert_eq!(by_person(&oa, "pseudonym_nir")["p6"], pa["p6"]);
    assert_eq!(by_person(&ob, "pseudonym_nir")["p6"], "");
    let _ = b;
}

#[test]
fn jsonl_tables_keep_fields_and_report_bad_lines() {
    let dir = tmp("jsonl");
    let input = dir.join("in.jsonl");
    std::fs::write(
        &input,
        concat!(
            "\u{feff}",
            r#"{"id":1,"nom":"Le Goff","prenom":"Jean-Pierre","ddn":19461230,"sexe":1,"x":{"k":[1]}}"#,
            "\n\n",
            "{not json\n",
            r#"{"id":3,"nom":"LEGOFF","prenom":"JEAN PIERRE","ddn":"30/12/1946","sexe":"M"}"#,
            "\n",
            r#"{"id":4,"nom":null,"prenom":"Anne","ddn":"03/03/1970","sexe":"F"}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = dir.join("out.jsonl");
    let r = cmd(
        &[
            "link",
            s(&input),
            "--nom",
            "nom",
            "--prenom",
            "prenom",
            "--naissance",
            "ddn",
            "--sexe",
            "sexe",
            "--out",
            s(&out),
        ],
        Some(KEY),
    )
    .output()
    .unwrap();
    assert_eq!(r.status.code(), Some(1), "a bad line: exit 1");
    let e = stderr(&r);
    assert!(e.contains("line 3: invalid JSON"), "{e}");
    assert!(e.contains("nom: missing 1"), "{e}");
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    let keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["id", "x", "pseudonym"]);
    assert_eq!(rows[0]["x"], serde_json::json!({"k": [1]}));
    assert_eq!(rows[0]["pseudonym"], rows[1]["pseudonym"]);
    assert!(rows[0]["pseudonym"].is_string());
    assert!(rows[2]["pseudonym"].is_null());
}

#[test]
fn bad_invocations_are_refused_before_writing() {
    let dir = tmp("refused");
    let (a, _) = write_sources(&dir);
    let before = std::fs::read(&a).unwrap();
    // Output onto the input.
    let r = link(&a, &a, true, &[], Some(KEY));
    assert_eq!(r.status.code(), Some(2));
    assert!(stderr(&r).contains("overwrite the input"), "{}", stderr(&r));
    assert_eq!(std::fs::read(&a).unwrap(), before);
    // A column that does not exist.
    let out = dir.join("out.csv");
    let r = link(&a, &out, false, &[], Some(KEY));
    assert_eq!(r.status.code(), Some(2));
    assert!(
        stderr(&r).contains("--nom \"nom\": no such column"),
        "{}",
        stderr(&r)
    );
    assert!(!out.exists());
    // An input that already has a pseudonym column.
    let with = dir.join("with.csv");
    std::fs::write(
        &with,
        "NOM,PRENOM,DDN,SEXE,NIR,pseudonym\nA,B,01/01/1950,M,,x\n",
    )
    .unwrap();
    let r = link(&with, &out, true, &[], Some(KEY));
    assert_eq!(r.status.code(), Some(2));
    assert!(
        stderr(&r).contains("already has a column"),
        "{}",
        stderr(&r)
    );
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(&*dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn unreadable_csv_rows_are_reported_and_the_others_written() {
    let dir = tmp("badrows");
    let input = dir.join("in.csv");
    let mut bytes = b"NOM,PRENOM,DDN,SEXE,NIR\nDupont,Jean,01/01/1950,M,\nonly,two\n".to_vec();
    bytes.extend_from_slice(b"Dupont,Je\xe9an,01/01/1950,M,\nDUPONT,JEAN,1950-01-01,1,\n");
    std::fs::write(&input, &bytes).unwrap();
    let out = dir.join("out.csv");
    let r = link(&input, &out, true, &[], Some(KEY));
    assert_eq!(r.status.code(), Some(1));
    let e = stderr(&r);
    assert!(e.contains("line 3: 2 fields where the header has 5"), "{e}");
    assert!(e.contains("line 4: field 2 is not valid UTF-8"), "{e}");
    assert!(e.contains("2 unreadable row(s) not written"), "{e}");
    let (header, rows) = read_csv(&out);
    assert_eq!(header, ["pseudonym"]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["pseudonym"], rows[1]["pseudonym"]);
}

/// Days since 1970-01-01 of a civil date (Date32's unit).
fn days(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Source A's people as a Parquet table: the date of birth as Date32 (p5's two-digit year
/// cannot be a date: null), the first name dictionary-encoded, typed columns around them.
fn write_source_a_parquet(path: &Path) -> arrow_array::RecordBatch {
    use arrow_array::types::Int32Type;
    use arrow_array::{ArrayRef, Date32Array, DictionaryArray, Int64Array, StringArray};
    use std::sync::Arc;
    let (plain, _) = nir_p6();
    let person = ["p1", "p2", "p3", "p4", "p5", "p6", "p7"];
    let nom = [
        "Le Goff",
        "N'Diaye",
        "DUPONT épouse MARTIN",
        "Dupont",
        "Martin",
        "Durand",
        "Petit",
    ];
    let prenom = [
        "Jean-Pierre",
        "Zoé",
        "Claire",
        "Paul",
        "Louis",
        "Luc",
        "Anne",
    ];
    let ddn = [
        Some(days(1946, 12, 30)),
        Some(days(1950, 2, 1)),
        Some(days(1980, 5, 17)),
        Some(days(1980, 5, 17)),
        None,
        Some(days(1960, 1, 1)),
        Some(days(1970, 3, 3)),
    ];
    let sexe = ["M", "F", "F", "M", "M", "M", "F"];
    let nir = [None, None, None, None, None, Some(plain.as_str()), None];
    let diag = [
        Some("C34"),
        Some("I21"),
        Some("E11"),
        Some("J45"),
        Some("Z00"),
        Some("K35"),
        None,
    ];
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("person", Arc::new(StringArray::from_iter_values(person))),
        ("id", Arc::new(Int64Array::from_iter_values(100..107))),
        ("NOM", Arc::new(StringArray::from_iter_values(nom))),
        (
            "PRENOM",
            Arc::new(prenom.into_iter().collect::<DictionaryArray<Int32Type>>()),
        ),
        ("DDN", Arc::new(Date32Array::from(ddn.to_vec()))),
        ("SEXE", Arc::new(StringArray::from_iter_values(sexe))),
        ("NIR", Arc::new(StringArray::from(nir.to_vec()))),
        ("diag", Arc::new(StringArray::from(diag.to_vec()))),
        (
            "visite",
            Arc::new(Date32Array::from_iter_values((0..7).map(|i| 19_000 + i))),
        ),
        (
            "service",
            Arc::new(
                (0..7)
                    .map(|i| ["cardio", "neuro"][i % 2])
                    .collect::<DictionaryArray<Int32Type>>(),
            ),
        ),
    ];
    let batch = arrow_array::RecordBatch::try_from_iter(columns).unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    batch
}

#[test]
fn a_parquet_table_gets_the_same_pseudonyms_as_csv_and_keeps_its_column_types() {
    let dir = tmp("parquet");
    let (csv_in, _) = write_sources(&dir);
    let pq_in = dir.join("a.parquet");
    let input = write_source_a_parquet(&pq_in);
    let before = std::fs::read(&pq_in).unwrap();
    let (csv_out, pq_out) = (dir.join("a.linked.csv"), dir.join("a.linked.parquet"));
    let extra = ["--both", "--problems"];
    let rc = link(&csv_in, &csv_out, true, &extra, Some(KEY));
    let rp = link(&pq_in, &pq_out, true, &extra, Some(KEY));
    assert!(rc.status.success(), "{}", stderr(&rc));
    assert!(rp.status.success(), "{}", stderr(&rp));
    assert_eq!(std::fs::read(&pq_in).unwrap(), before, "input untouched");
    let e = stderr(&rp);
    assert!(
        e.contains("7 row(s): 1 linked by NIR, 5 by identity fields, 1 incomplete (14.3%)"),
        "{e}"
    );
    for value in ["Goff", "Martin", "1946", "Zo"] {
        assert!(!e.contains(value), "{value}: {e}");
    }

    let got = read_parquet(&pq_out);
    let names = column_names(&got);
    let added = [
        "pseudonym",
        "pseudonym_nir",
        "pseudonym_identity",
        "link_problems",
    ];
    let mut expected = vec!["person", "id", "diag", "visite", "service"];
    expected.extend(added);
    assert_eq!(names, expected, "identity columns dropped, order kept");
    for name in ["person", "id", "diag", "visite", "service"] {
        let (i, o) = (input.schema(), got.schema());
        assert_eq!(
            o.field_with_name(name).unwrap(),
            i.field_with_name(name).unwrap(),
            "{name}: same type"
        );
        assert_eq!(
            got.column_by_name(name).unwrap().as_ref(),
            input.column_by_name(name).unwrap().as_ref(),
            "{name}: same values in the same row order"
        );
    }

    let (_, csv_rows) = read_csv(&csv_out);
    let persons: Vec<String> = strings(got.column_by_name("person").unwrap())
        .into_iter()
        .flatten()
        .collect();
    let csv_persons: Vec<&str> = csv_rows.iter().map(|r| r["person"].as_str()).collect();
    assert_eq!(persons, csv_persons);
    for column in ["pseudonym", "pseudonym_nir", "pseudonym_identity"] {
        let pq = strings(got.column_by_name(column).unwrap());
        for (row, (p, c)) in pq.iter().zip(&csv_rows).enumerate() {
            // CSV writes a missing pseudonym as an empty cell, Parquet as null.
            assert_eq!(p.as_deref().unwrap_or(""), c[column], "{column}, row {row}");
        }
        assert!(pq.iter().flatten().count() >= 1, "{column}: some values");
    }
    let pseudonyms = strings(got.column_by_name("pseudonym").unwrap());
    assert!(
        pseudonyms[0].is_some() && pseudonyms[4].is_none(),
        "p5 incomplete"
    );
    let problems = strings(got.column_by_name("link_problems").unwrap());
    assert_eq!(problems[0].as_deref(), Some(""));
    assert_eq!(problems[4].as_deref(), Some("naissance: missing"));

    // A Parquet input writes Parquet only, and a CSV input never Parquet.
    let r = link(&pq_in, &dir.join("x.csv"), true, &[], Some(KEY));
    assert!(!r.status.success() && stderr(&r).contains("Parquet input"));
    let r = link(&csv_in, &dir.join("x.parquet"), true, &[], Some(KEY));
    assert!(!r.status.success() && stderr(&r).contains("Parquet output"));
    assert!(!dir.join("x.csv").exists() && !dir.join("x.parquet").exists());
}
