//! Controlling a run: `--encoding` for legacy `.txt` exports, `--threads`, `--quiet` and the
//! end-of-run summary, and `.txt` directories processed in groups giving the same output as
//! one file at a time.

mod common;

use common::cmd;
use std::path::{Path, PathBuf};

const KEY: &str = "runs-test-key-0123456789";

fn fresh_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("voile-runs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const RULES_ONLY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../eval/configs/rules-gazetteer.json"
);

fn detect(args: &[&str]) -> std::process::Output {
    let mut all = vec!["detect", "--config", RULES_ONLY];
    all.extend_from_slice(args);
    cmd(&all, None).output().unwrap()
}

#[test]
fn windows_1252_text_is_decoded_with_encoding_and_reported_without() {
    let dir = fresh_dir("encoding");
    let text = "Patient vu le 12/03/2021, tél 06 12 34 56 78. Né à Besançon.";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    std::fs::write(dir.join("note.txt"), &bytes).unwrap();
    let path = dir.join("note.txt");
    let p = path.to_str().unwrap();

    let plain = detect(&[p, "-q"]);
    assert_eq!(
        plain.status.code(),
        Some(1),
        "a non-UTF-8 file is a bad record"
    );
    let err = String::from_utf8_lossy(&plain.stderr);
    assert!(
        err.contains("not UTF-8") && err.contains("--encoding"),
        "{err}"
    );
    assert!(!err.contains("Besan"), "no text in errors: {err}");

    let decoded = detect(&[p, "-q", "--encoding", "windows-1252"]);
    assert!(decoded.status.success());
    let rec: serde_json::Value = serde_json::from_slice(&decoded.stdout).unwrap();
    assert_eq!(rec["text"], text);
    let chars: Vec<char> = text.chars().collect();
    let surfaces: Vec<String> = rec["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let (a, b) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
            chars[a as usize..b as usize].iter().collect()
        })
        .collect();
    assert!(
        surfaces.contains(&"06 12 34 56 78".to_string()),
        "{surfaces:?}"
    );
    assert!(surfaces.contains(&"Besançon".to_string()), "{surfaces:?}");

    let unknown = detect(&[p, "--encoding", "klingon"]);
    assert_eq!(unknown.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn write_notes(dir: &Path, n: usize) {
    for i in 0..n {
        let text = format!(
            "Compte rendu {i}. Mme Martin Jeanne, née le {:02}/04/1961, vue à Lyon le \
             {:02}/05/2023. Tél : 04 78 {:02} 11 22.",
            1 + i % 28,
            1 + i % 27,
            i % 100
        );
        std::fs::write(dir.join(format!("note-{i:03}.txt")), text).unwrap();
    }
}

#[test]
fn a_text_directory_gives_what_each_file_gives_alone_at_any_thread_count() {
    let dir = fresh_dir("group");
    let notes = dir.join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    write_notes(&notes, 40);
    let notes_s = notes.to_str().unwrap();

    let grouped = detect(&[notes_s, "-q"]);
    assert!(grouped.status.success());
    let mut one_by_one = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&notes)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in &names {
        let mut o = detect(&[p.to_str().unwrap(), "-q"]);
        assert!(o.status.success());
        // Ids are relative to the argument: the directory name is not part of them alone.
        let line = String::from_utf8(std::mem::take(&mut o.stdout)).unwrap();
        one_by_one.push(line);
    }
    let grouped_lines: Vec<serde_json::Value> = String::from_utf8(grouped.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(grouped_lines.len(), 40);
    for (g, alone) in grouped_lines.iter().zip(&one_by_one) {
        let alone: serde_json::Value = serde_json::from_str(alone.trim()).unwrap();
        assert_eq!(g["text"], alone["text"]);
        assert_eq!(g["spans"], alone["spans"]);
    }

    let out1 = dir.join("out1");
    let out2 = dir.join("out2");
    for (threads, out) in [("1", &out1), ("2", &out2)] {
        let o = cmd(
            &[
                "--threads",
                threads,
                "pseudo",
                notes_s,
                "--out",
                out.to_str().unwrap(),
                "-q",
            ],
            Some(KEY),
        )
        .output()
        .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(o.stderr.is_empty(), "--quiet prints nothing on success");
    }
    for p in &names {
        let name = p.file_name().unwrap();
        let a = std::fs::read(out1.join(name)).unwrap();
        assert_eq!(a, std::fs::read(out2.join(name)).unwrap());
        assert!(!String::from_utf8(a).unwrap().contains("Martin"));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_summary_counts_documents_and_labels_without_text() {
    let dir = fresh_dir("summary");
    write_notes(&dir, 3);
    let o = detect(&[dir.to_str().unwrap()]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    let last = err.lines().last().unwrap_or("");
    assert!(
        last.starts_with("voile detect: 3 documents") && last.contains("TEL 3"),
        "{err}"
    );
    assert!(!err.contains("Martin") && !err.contains("04 78"), "{err}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("documents ("));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_windows_1252_csv_export_is_decoded_with_encoding() {
    let dir = fresh_dir("csv-encoding");
    let text = "Patiente née à Besançon, tél 06 12 34 56 78.";
    let csv = format!("id;compte_rendu\n7;\"{text}\"\n").replace(';', ",");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&csv);
    let path = dir.join("export.csv");
    std::fs::write(&path, &bytes).unwrap();
    let p = path.to_str().unwrap();
    let args = [
        p,
        "--text-column",
        "compte_rendu",
        "--id-column",
        "id",
        "-q",
    ];

    let decoded = detect(&[&args[..], &["--encoding", "windows-1252"]].concat());
    assert!(
        decoded.status.success(),
        "{}",
        String::from_utf8_lossy(&decoded.stderr)
    );
    let chars: Vec<char> = text.chars().collect();
    let surfaces: Vec<String> = String::from_utf8(decoded.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let row: serde_json::Value = serde_json::from_str(l).unwrap();
            assert_eq!(row["id"], "7");
            let (a, b) = (row["start"].as_u64().unwrap(), row["end"].as_u64().unwrap());
            chars[a as usize..b as usize].iter().collect()
        })
        .collect();
    assert!(surfaces.contains(&"Besançon".to_string()), "{surfaces:?}");
    assert!(
        surfaces.contains(&"06 12 34 56 78".to_string()),
        "{surfaces:?}"
    );

    // Read as UTF-8, the cell is not valid text: reported, never guessed.
    let plain = detect(&args);
    assert_ne!(plain.status.code(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}
