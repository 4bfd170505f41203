//! End to end through files: write a small gold and prediction JSONL, read them back, score,
//! and check the documented JSON fields (SCHEMA.md).

mod common;

use common::{write_lines, TempDir};
use serde_json::{json, Value};
use voile_eval::{evaluate, read_jsonl, EvalOptions, LabelMap, Throughput};

#[test]
fn json_report_has_the_documented_fields_and_values() {
    let dir = TempDir::new("json");
    let (gold_path, pred_path, map_path) = (
        dir.path().join("gold.jsonl"),
        dir.path().join("pred.jsonl"),
        dir.path().join("map.json"),
    );
    // Gold uses a foreign scheme, mapped by the label map: PERSON → NOM, LOC → VILLE, AGE dropped.
    //           0         1         2         3
    //           0123456789012345678901234567890123
    let t1 = "Dr Hélène MARTIN, Brest, 45 ans.";
    let t2 = "RAS.";
    write_lines(
        &gold_path,
        &[
            json!({"id": "a", "text": t1, "spans": [
                {"start": 3, "end": 9, "label": "PRENOM"},
                {"start": 10, "end": 16, "label": "PERSON"},
                {"start": 18, "end": 23, "label": "LOC"},
                {"start": 25, "end": 31, "label": "AGE"}]}),
            json!({"id": "b", "text": t2, "spans": []}),
        ],
    );
    // Predictions: PRENOM exact, NOM exact, Brest as NOM (wrong label); none for "b".
    write_lines(
        &pred_path,
        &[json!({"id": "a", "text": t1, "spans": [
            {"start": 3, "end": 9, "label": "PRENOM", "source": "ner", "score": 0.9},
            {"start": 10, "end": 16, "label": "NOM"},
            {"start": 18, "end": 23, "label": "NOM"}]})],
    );
    std::fs::write(
        &map_path,
        r#"{"PERSON": "NOM", "LOC": "VILLE", "AGE": null}"#,
    )
    .unwrap();
    let map = LabelMap::from_file(&map_path).unwrap();
    let gold = read_jsonl(&gold_path, &map).unwrap();
    let pred = read_jsonl(&pred_path, &map).unwrap();
    let report = evaluate(&gold, &pred, &EvalOptions::default())
        .unwrap()
        .with_throughput(Throughput::new(2, 36, 0.5, 2));
    let j: Value = serde_json::from_str(&report.to_json()).unwrap();

    // strict: PRENOM tp1, NOM tp1 fp1 (Brest), VILLE fn1 → micro tp2 fp1 fn1: P = R = 2/3.
    assert_eq!(j["strict"]["micro"]["tp"], 2);
    assert_eq!(j["strict"]["micro"]["fp"], 1);
    assert_eq!(j["strict"]["micro"]["fn"], 1);
    assert!((j["strict"]["micro"]["f1"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    // macro over NOM (P 1/2, R 1, F1 2/3), PRENOM (1, 1, 1), VILLE (0, 0, 0): F1 = (2/3 + 1)/3.
    assert!((j["strict"]["macro"]["f1"].as_f64().unwrap() - (2.0 / 3.0 + 1.0) / 3.0).abs() < 1e-12);
    assert_eq!(j["strict"]["macro"]["labels"], 3);
    assert_eq!(j["strict"]["per_label"]["VILLE"]["support"], 1);
    assert_eq!(j["strict"]["per_label"]["NOM"]["precision"], 0.5);
    assert!(
        j["strict"]["per_label"].get("AGE").is_none(),
        "dropped by the label map"
    );
    // categories: NAME tp2 fp0; LOC fn1; NOM-as-NAME on Brest is a NAME fp → tp2 fp1 fn1.
    assert_eq!(j["category"]["strict"]["micro"]["tp"], 2);
    assert_eq!(j["category"]["overlap"]["per_label"]["LOC"]["fn"], 1);
    assert!(j["overlap"]["per_label"]["NOM"].is_object());
    // tokens: Hélène MARTIN Brest are gold and predicted (labels ignored) → P = R = 1, no leak.
    assert_eq!(j["token"]["tp"], 3);
    assert_eq!(j["token"]["precision"], 1.0);
    assert_eq!(j["leak_rate"], 0.0);
    assert_eq!(j["full_redact"], 1.0);
    assert_eq!(j["documents"]["count"], 2);
    assert_eq!(j["documents"]["missing_predictions"], json!(["b"]));
    assert_eq!(j["residuals"], json!([]));
    let ci = &j["ci"]["strict_micro_f1"];
    assert!(ci["low"].as_f64().unwrap() <= ci["high"].as_f64().unwrap());
    assert!(j["ci"]["leak_rate"]["low"].is_number());
    assert_eq!(j["throughput"]["docs_per_second"], 4.0);
    // Key order is the documented struct order.
    let keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "schema_version",
            "documents",
            "strict",
            "overlap",
            "category",
            "token",
            "leak_rate",
            "full_redact",
            "ci",
            "residuals",
            "throughput"
        ]
    );
    let table = report.to_table();
    assert!(table.contains("VILLE") && table.contains("leak rate") && table.contains("throughput"));
}
