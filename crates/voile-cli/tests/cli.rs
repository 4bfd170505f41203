//! End-to-end tests of the `voile` binary on the evaluators' interfaces:
//! `voile detect < in.jsonl > out.jsonl` and `VOILE_KEY=... voile pseudo < in.jsonl > out.jsonl`.

mod common;

use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;

const KEY: &str = "test-key-0123456789abcdef";

fn voile(args: &[&str], stdin: &str, key: Option<&str>) -> Output {
    common::run(args, stdin, key)
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

fn record(id: &str, text: &str, patient: &str) -> String {
    serde_json::json!({"id": id, "text": text, "meta": {"patient_id": patient, "source": "test"}})
        .to_string()
}

const LETTER: &str = "Compte rendu du 12/03/2021.\nPatiente : Mme Josiane LEFÈVRE, née le 04/07/1957, IPP : 80012345.\nTél : 06 12 34 56 78, mail josiane.lefevre@orange.fr.\nN° SS : 2 57 07 75 112 045 46.\nRevue le 22/03/2021 par le Dr Paul MARCHAND.";

#[test]
fn detect_reads_stdin_writes_stdout_and_reports_bad_lines() {
    let input = format!(
        "{}\n{{not json\n{}\n",
        record("a", LETTER, "p1"),
        record("b", "Vu le 3 mars 2020 à Nantes.", "p1")
    );
    let out = voile(&["detect"], &input, None);
    assert_eq!(out.status.code(), Some(1), "a bad line must fail the run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2"), "bad line is named: {stderr}");
    let recs = lines(&out);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["id"], "a");
    assert_eq!(recs[0]["meta"]["source"], "test");
    let text: Vec<char> = recs[0]["text"].as_str().unwrap().chars().collect();
    let spans = recs[0]["spans"].as_array().unwrap();
    let surfaces: Vec<(String, String)> = spans
        .iter()
        .map(|s| {
            let (a, b) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            (
                s["label"].as_str().unwrap().to_string(),
                text[a..b].iter().collect(),
            )
        })
        .collect();
    for (label, surface) in [
        ("DATE", "12/03/2021"),
        ("DATE_NAISSANCE", "04/07/1957"),
        ("IPP", "80012345"),
        ("TEL", "06 12 34 56 78"),
        ("MAIL", "josiane.lefevre@orange.fr"),
        ("NOM", "LEFÈVRE"),
    ] {
        assert!(
            surfaces.iter().any(|(l, s)| l == label && s == surface),
            "missing {label} span; got labels {:?}",
            surfaces.iter().map(|(l, _)| l).collect::<Vec<_>>()
        );
    }
    assert!(spans
        .iter()
        .all(|s| s.get("source").is_some() && s.get("score").is_some()));
}

#[test]
fn detect_accepts_text_files_and_directories() {
    let dir = std::env::temp_dir().join(format!("voile-cli-txt-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("b.txt"), "Né le 02/01/1980.").unwrap();
    std::fs::write(dir.join("sub/a.txt"), "Tél. 01 23 45 67 89").unwrap();
    let out = voile(&["detect", dir.to_str().unwrap()], "", None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = lines(&out);
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["b.txt", "sub/a.txt"]);
    assert_eq!(recs[0]["spans"][0]["label"], "DATE_NAISSANCE");
    assert_eq!(recs[1]["spans"][0]["label"], "TEL");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pseudo_needs_a_key_and_never_prints_text_in_errors() {
    let out = voile(&["pseudo"], &record("a", LETTER, "p1"), None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("VOILE_KEY"), "{stderr}");
    assert!(!stderr.contains("LEFÈVRE"));
}

#[test]
fn pseudo_is_keyed_deterministic_and_removes_originals() {
    let input = format!("{}\n", record("a", LETTER, "p1"));
    let one = voile(&["pseudo"], &input, Some(KEY));
    let two = voile(&["pseudo"], &input, Some(KEY));
    let other = voile(&["pseudo"], &input, Some("another-key-0123456789"));
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    assert_eq!(
        one.stdout, two.stdout,
        "same key, same input → byte-identical output"
    );
    assert_ne!(one.stdout, other.stdout, "another key → other surrogates");
    let rec = &lines(&one)[0];
    assert_eq!(rec["id"], "a");
    // Identity fields never leave `pseudo` in clear (dropped by default); other fields stay.
    assert!(rec["meta"].get("patient_id").is_none(), "{rec}");
    assert_eq!(rec["meta"]["source"], "test");
    let text = rec["text"].as_str().unwrap();
    for original in [
        "LEFÈVRE",
        "Josiane",
        "80012345",
        "06 12 34 56 78",
        "josiane.lefevre@orange.fr",
        "2 57 07 75 112 045 46",
        "12/03/2021",
        "MARCHAND",
    ] {
        assert!(
            !text.contains(original),
            "an original surface survived pseudonymisation"
        );
    }
    assert!(text.starts_with("Compte rendu du "));
}

fn first_date(text: &str) -> (u32, u32, i32) {
    regex_lite_date(text).expect("a dd/mm/yyyy date survives as a date")
}

/// Find the first dd/mm/yyyy in `text` without pulling a regex dependency into the CLI tests.
fn regex_lite_date(text: &str) -> Option<(u32, u32, i32)> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &text.get(i..i + 10)?;
        let ok = w.chars().enumerate().all(|(j, c)| {
            if j == 2 || j == 5 {
                c == '/'
            } else {
                c.is_ascii_digit()
            }
        });
        ok.then(|| {
            (
                w[0..2].parse().unwrap(),
                w[3..5].parse().unwrap(),
                w[6..10].parse().unwrap(),
            )
        })
    })
}

fn days(d: (u32, u32, i32)) -> i64 {
    // Days from civil (Howard Hinnant's algorithm), enough to compare intervals.
    let (day, m, y) = (d.0 as i64, d.1 as i64, d.2 as i64);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe
}

#[test]
fn pseudo_keeps_a_patients_date_intervals_across_documents() {
    let input = format!(
        "{}\n{}\n",
        record("a", "Hospitalisé le 12/03/2021 pour bilan.", "p9"),
        record("b", "Revu en consultation le 22/04/2021.", "p9")
    );
    let out = voile(&["pseudo"], &input, Some(KEY));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = lines(&out);
    let a = first_date(recs[0]["text"].as_str().unwrap());
    let b = first_date(recs[1]["text"].as_str().unwrap());
    assert_ne!(a, (12, 3, 2021), "the date was shifted");
    assert_eq!(days(b) - days(a), days((22, 4, 2021)) - days((12, 3, 2021)));
}

#[test]
fn pseudo_mirrors_text_files_into_an_output_directory() {
    let base = std::env::temp_dir().join(format!("voile-cli-pseudo-{}", std::process::id()));
    let (input, output): (PathBuf, PathBuf) = (base.join("in"), base.join("out"));
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("lettre.txt"), LETTER).unwrap();
    let out = voile(
        &[
            "pseudo",
            input.to_str().unwrap(),
            "--out",
            output.to_str().unwrap(),
        ],
        "",
        Some(KEY),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(output.join("lettre.txt")).unwrap();
    assert!(text.starts_with("Compte rendu du ") && !text.contains("LEFÈVRE"));
    std::fs::remove_dir_all(&base).unwrap();
}
