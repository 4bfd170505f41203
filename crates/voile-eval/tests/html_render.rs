//! The HTML report renders in a real browser: runs `eval/check_html.sh` (headless Chromium)
//! on a report of perturbed predictions. Skipped, with a message, when Chromium is absent.

mod common;

use common::{synthetic_pair, write_lines, TempDir};
use std::path::Path;
use std::process::Command;
use voile_eval::{evaluate, read_jsonl, EvalOptions, LabelMap};

#[test]
fn html_report_renders_in_headless_chromium() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        eprintln!("SKIPPED: {chromium} not found, HTML rendering not checked");
        return;
    }
    let dir = TempDir::new("html");
    let (gold, pred) = synthetic_pair(11, 30);
    let (gp, pp) = (dir.path().join("gold.jsonl"), dir.path().join("pred.jsonl"));
    write_lines(&gp, &gold);
    write_lines(&pp, &pred);
    let map = LabelMap::identity();
    let (g, p) = (
        read_jsonl(&gp, &map).unwrap(),
        read_jsonl(&pp, &map).unwrap(),
    );
    let report = evaluate(&g, &p, &EvalOptions::default()).unwrap();
    let html_path = dir.path().join("report.html");
    std::fs::write(&html_path, report.to_html(&g, &p)).unwrap();
    let shot = dir.path().join("report.png");

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../eval/check_html.sh");
    let out = Command::new("bash")
        .arg(&script)
        .arg(&html_path)
        .arg(&shot)
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "check_html.sh failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("ok   span marks") && stdout.contains("ok   screenshot"),
        "{stdout}"
    );
}
