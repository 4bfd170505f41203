//! Regression tests for the reliability defects of issue 10, one per defect, named after it:
//! no input crashes a run, no output is lost or overwritten, no identity leaves `pseudo` in
//! clear, no document text in any message.

mod common;

use common::{cmd, run, s, stderr};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

const KEY: &str = "test-key-0123456789abcdef";
const FAST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../eval/configs/rules-gazetteer.json"
);

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("voile-rel-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every file under `dir`, recursively, hidden ones included.
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

const IDENTITY: [&str; 5] = ["LEFEVRE", "Josiane", "04/07/1957", "80012345", "P-0042"];

fn identity_record(id: &str) -> String {
    serde_json::json!({
        "id": id,
        "text": "Mme Josiane LEFEVRE, née le 04/07/1957, IPP 80012345, vue ce jour.",
        "patient_id": "P-0042",
        "meta": {"patient_id": "P-0042", "service": "cardio",
                 "patient": {"nom": "LEFEVRE", "prenom": "Josiane",
                             "date_naissance": "04/07/1957", "ipp": "80012345"}}
    })
    .to_string()
}

#[test]
fn pseudo_never_writes_identity_fields_in_clear_on_any_output() {
    let d = tmp("identity");
    let input = d.join("in/batch.jsonl");
    std::fs::create_dir_all(input.parent().unwrap()).unwrap();
    std::fs::write(&input, format!("{}\n", identity_record("a"))).unwrap();
    let stdout = run(&["pseudo", "--config", FAST, s(&input)], "", Some(KEY));
    assert!(stdout.status.success(), "{}", stderr(&stdout));
    let file = d.join("out.jsonl");
    let dir = d.join("outdir");
    for out in [&file, &dir] {
        let o = run(
            &[
                "pseudo",
                "--config",
                FAST,
                "--spans",
                s(&input),
                "--out",
                s(out),
            ],
            "",
            Some(KEY),
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let mut texts = vec![String::from_utf8(stdout.stdout).unwrap()];
    texts.push(std::fs::read_to_string(&file).unwrap());
    texts.push(std::fs::read_to_string(dir.join("batch.jsonl")).unwrap());
    for t in &texts {
        for clear in IDENTITY {
            assert!(!t.contains(clear), "{clear} in output: {t}");
        }
        let rec: Value = serde_json::from_str(t.lines().next().unwrap()).unwrap();
        assert_eq!(rec["meta"]["service"], "cardio", "other fields are kept");
    }
    // Pseudonymised identity on request: the same surrogates and a keyed patient pseudonym.
    let cfg = d.join("cfg.json");
    std::fs::write(
        &cfg,
        r#"{"use_ner": false, "identity_fields": {"patient_id": "pseudonymise", "known_identity": "pseudonymise"}}"#,
    )
    .unwrap();
    let o = run(&["pseudo", "--config", s(&cfg), s(&input)], "", Some(KEY));
    let t = String::from_utf8(o.stdout.clone()).unwrap();
    for clear in IDENTITY {
        assert!(!t.contains(clear), "{clear} in output: {t}");
    }
    let rec: Value = serde_json::from_str(t.trim()).unwrap();
    assert_eq!(rec["patient_id"].as_str().map(str::len), Some(24));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn colliding_output_paths_are_refused_before_anything_is_written() {
    let d = tmp("collide");
    let input = d.join("in.jsonl");
    std::fs::write(&input, format!("{}\n", identity_record("a"))).unwrap();
    let out = d.join("out.jsonl");
    for extra in [["--audit", s(&out)], ["--mapping", s(&out)]] {
        let o = run(
            &[
                "pseudo",
                "--config",
                FAST,
                s(&input),
                "--out",
                s(&out),
                extra[0],
                extra[1],
            ],
            "",
            Some(KEY),
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("would both write"), "{}", stderr(&o));
        assert!(!out.exists());
    }
    // --out on the input file itself, or on the input directory.
    let o = run(
        &["pseudo", "--config", FAST, s(&input), "--out", s(&input)],
        "",
        Some(KEY),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        std::fs::read_to_string(&input).unwrap().contains("LEFEVRE"),
        "input intact"
    );
    let o = run(
        &["pseudo", "--config", FAST, s(&d), "--out", s(&d)],
        "",
        Some(KEY),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&input).unwrap().contains("LEFEVRE"),
        "input intact"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn same_file_names_in_subdirectories_are_mirrored_not_flattened() {
    let d = tmp("mirror");
    for (sub, id) in [("a", "x1"), ("b", "x2")] {
        std::fs::create_dir_all(d.join("in").join(sub)).unwrap();
        let line = format!("{}\n", serde_json::json!({"id": id, "text": "Vu à Lyon."}));
        std::fs::write(d.join("in").join(sub).join("same.jsonl"), line).unwrap();
    }
    let out = d.join("out");
    let o = run(
        &[
            "pseudo",
            "--config",
            FAST,
            s(&d.join("in")),
            "--out",
            s(&out),
        ],
        "",
        Some(KEY),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for (sub, id) in [("a", "x1"), ("b", "x2")] {
        let t = std::fs::read_to_string(out.join(sub).join("same.jsonl")).unwrap();
        assert!(t.contains(id), "{sub}: {t}");
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn other_and_upper_case_extensions_are_read_or_reported() {
    let d = tmp("ext");
    let rec = |id: &str| {
        format!(
            "{}\n",
            serde_json::json!({"id": id, "text": "Vu le 3 mars."})
        )
    };
    std::fs::write(d.join("A.TXT"), "Vu le 3 mars.").unwrap();
    std::fs::write(d.join("b.JSONL"), rec("b")).unwrap();
    std::fs::write(d.join("c.json"), rec("c")).unwrap();
    std::fs::write(d.join("noext"), "x").unwrap();
    std::fs::write(d.join("e.csv"), "x").unwrap();
    let o = run(&["detect", "--config", FAST, s(&d)], "", None);
    assert!(o.status.success(), "{}", stderr(&o));
    let ids: Vec<String> = String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["A.TXT", "b", "c"]);
    let err = stderr(&o);
    for skipped in ["noext", "e.csv"] {
        assert!(
            err.contains(skipped) && err.contains("unsupported extension"),
            "{err}"
        );
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[cfg(unix)]
#[test]
fn symlink_loop_reads_each_document_once_and_a_dangling_link_does_not_abort() {
    let d = tmp("links");
    std::fs::create_dir_all(d.join("in/sub")).unwrap();
    std::fs::write(d.join("in/sub/x.txt"), "Vu le 3 mars.").unwrap();
    std::os::unix::fs::symlink(d.join("in"), d.join("in/sub/loop")).unwrap();
    std::os::unix::fs::symlink(d.join("missing.txt"), d.join("in/dangling.txt")).unwrap();
    let o = run(&["detect", "--config", FAST, s(&d.join("in"))], "", None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8(o.stdout.clone()).unwrap().lines().count(),
        1
    );
    assert!(
        stderr(&o).contains("broken symbolic link"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn duplicate_ids_are_warned_about_or_refused() {
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "same", "text": "Vu le 3 mars."}),
        serde_json::json!({"id": "same", "text": "Vu le 4 mars."})
    );
    let warn = run(&["detect", "--config", FAST], &input, None);
    assert!(warn.status.success());
    assert!(stderr(&warn).contains("duplicate id"), "{}", stderr(&warn));
    assert_eq!(
        String::from_utf8(warn.stdout.clone())
            .unwrap()
            .lines()
            .count(),
        2
    );
    let refuse = run(&["detect", "--config", FAST, "--unique-ids"], &input, None);
    assert_eq!(refuse.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(refuse.stdout.clone())
            .unwrap()
            .lines()
            .count(),
        1
    );
}

#[test]
fn a_bom_at_the_start_of_a_jsonl_file_does_not_reject_its_first_record() {
    let input = format!(
        "\u{FEFF}{}\n",
        serde_json::json!({"id": "a", "text": "Vu le 3 mars."})
    );
    let o = run(&["detect", "--config", FAST], &input, None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8(o.stdout.clone()).unwrap().lines().count(),
        1
    );
}

#[test]
fn random_key_with_a_configured_key_is_refused() {
    let o = run(&["pseudo", "--config", FAST, "--random-key"], "", Some(KEY));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--random-key conflicts"),
        "{}",
        stderr(&o)
    );
}

#[cfg(unix)]
#[test]
fn the_mapping_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let d = tmp("mapping");
    let map = d.join("map.tsv");
    let o = run(
        &["pseudo", "--config", FAST, "--mapping", s(&map)],
        &format!("{}\n", identity_record("a")),
        Some(KEY),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mode = std::fs::metadata(&map).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_failed_write_leaves_no_partial_file() {
    let d = tmp("failed");
    std::fs::write(d.join("file"), "x").unwrap();
    // --out under a path whose parent is a file: the write fails, nothing is left behind.
    let out = d.join("file/out.jsonl");
    let o = run(
        &["pseudo", "--config", FAST, "--out", s(&out)],
        &format!("{}\n", identity_record("a")),
        Some(KEY),
    );
    assert_eq!(o.status.code(), Some(2));
    // --out naming an existing directory that looks like a file.
    std::fs::create_dir_all(d.join("dir.jsonl/sub")).unwrap();
    let o = run(
        &["detect", "--config", FAST, "--out", s(&d.join("dir.jsonl"))],
        &format!("{}\n", identity_record("a")),
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let leftovers: Vec<_> = all_files(&d)
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[cfg(unix)]
#[test]
fn sigterm_removes_the_partial_output() {
    let d = tmp("sigterm");
    let out = d.join("out.jsonl");
    let mut child = cmd(&["pseudo", "--config", FAST, "--out", s(&out)], Some(KEY))
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{}\n", identity_record("a")).as_bytes())
        .unwrap();
    stdin.flush().unwrap();
    // Wait for the temporary file, then interrupt while stdin is still open.
    let partial = d.join(".out.jsonl.partial");
    for _ in 0..600 {
        if partial.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(partial.exists(), "the run started writing");
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let status = child.wait().unwrap();
    drop(stdin);
    assert_eq!(status.code(), Some(130));
    assert!(!partial.exists() && !out.exists());
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let input: String = (0..3000)
        .map(|i| format!("{}\n", serde_json::json!({"id": i, "text": "Mme Josiane LEFEVRE, vue le 3 mars 2021 à Lyon."})))
        .collect();
    let mut child = cmd(&["detect", "--config", FAST], None).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // stdout is dropped here: the reader went away, as `| head -1` does.
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(first.contains("\"id\""));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("Broken pipe"), "{}", stderr(&out));
}

#[test]
fn a_config_with_every_detector_off_is_refused() {
    let d = tmp("off");
    let cfg = d.join("off.json");
    std::fs::write(
        &cfg,
        r#"{"use_rules": false, "use_gazetteer": false, "use_ner": false, "use_known_identities": false}"#,
    )
    .unwrap();
    let o = run(&["detect", "--config", s(&cfg)], "", None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("every detector is off"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_txt_out_takes_one_txt_input_and_stays_a_file() {
    let d = tmp("txtout");
    std::fs::write(d.join("a.txt"), "Mme Josiane LEFEVRE vue à Lyon.").unwrap();
    std::fs::write(d.join("b.txt"), "Vu le 3 mars.").unwrap();
    let out = d.join("result.txt");
    let o = run(
        &[
            "pseudo",
            "--config",
            FAST,
            s(&d.join("a.txt")),
            "--out",
            s(&out),
        ],
        "",
        Some(KEY),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.is_file());
    assert!(!std::fs::read_to_string(&out).unwrap().contains("LEFEVRE"));
    let o = run(
        &[
            "pseudo",
            "--config",
            FAST,
            s(&d.join("a.txt")),
            s(&d.join("b.txt")),
            "--out",
            s(&d.join("r2.txt")),
        ],
        "",
        Some(KEY),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn no_break_and_zero_width_spaces_do_not_hide_identifiers() {
    let text = "IPP\u{a0}: 80012345, NDA\u{202f}: 2300456789, Tél\u{a0}: 06 12 34 56 78, M. \u{200b}Durand.";
    let input = format!("{}\n", serde_json::json!({"id": "a", "text": text}));
    let o = run(&["pseudo", "--config", FAST], &input, Some(KEY));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    for clear in ["80012345", "2300456789", "06 12 34 56 78", "Durand"] {
        assert!(!out.contains(clear), "{clear} left in clear: {out}");
    }
}

#[test]
fn inputs_that_panicked_before_are_processed() {
    let long = format!("75012 A{}", "b".repeat(600));
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "zip", "text": long}),
        serde_json::json!({"id": "mail", "text": "Écrire à édupont@chu-lyon.fr ou ßmith@exemple.org."})
    );
    for args in [
        vec!["detect", "--config", FAST],
        vec!["pseudo", "--config", FAST],
    ] {
        let o = run(&args, &input, Some(KEY));
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            String::from_utf8(o.stdout.clone()).unwrap().lines().count(),
            2
        );
    }
}
