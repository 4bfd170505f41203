//! Cross-check against `eval/independent_scorer.py`, a stdlib Python scorer written from
//! SCHEMA.md: on randomly perturbed predictions, every number it prints (strict, overlap,
//! category, token, leak rate, full redaction) must equal ours to 1e-9. Skipped without python3.

mod common;

use common::{synthetic_pair, write_lines, TempDir};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use voile_eval::{evaluate, read_jsonl, EvalOptions, LabelMap};

fn python_available() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Every leaf of `theirs` must exist in `ours` with the same value; maps keyed by label must
/// have the same key sets.
fn assert_same(theirs: &Value, ours: &Value, path: &str, compared: &mut usize) {
    match theirs {
        Value::Object(m) => {
            let o = ours
                .as_object()
                .unwrap_or_else(|| panic!("{path}: not an object in ours"));
            if path.ends_with("per_label") {
                let a: Vec<_> = m.keys().collect();
                let b: Vec<_> = o.keys().collect();
                assert_eq!(a, b, "{path}: label sets differ");
            }
            for (k, v) in m {
                let sub = format!("{path}.{k}");
                let ov = o.get(k).unwrap_or_else(|| panic!("{sub}: missing in ours"));
                assert_same(v, ov, &sub, compared);
            }
        }
        Value::Number(n) => {
            let a = n.as_f64().unwrap();
            let b = ours
                .as_f64()
                .unwrap_or_else(|| panic!("{path}: not a number in ours"));
            assert!((a - b).abs() <= 1e-9, "{path}: python {a} vs rust {b}");
            *compared += 1;
        }
        other => panic!("{path}: unexpected {other}"),
    }
}

#[test]
fn rust_and_python_scorers_agree_on_perturbed_predictions() {
    if !python_available() {
        eprintln!("SKIPPED: python3 not found, independent scorer not run");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../eval/independent_scorer.py");
    let dir = TempDir::new("indep");
    for seed in [1u64, 2, 3] {
        let (gold, pred) = synthetic_pair(seed, 150);
        let (gp, pp) = (
            dir.path().join(format!("gold{seed}.jsonl")),
            dir.path().join(format!("pred{seed}.jsonl")),
        );
        write_lines(&gp, &gold);
        write_lines(&pp, &pred);

        let map = LabelMap::identity();
        let g = read_jsonl(&gp, &map).unwrap();
        let p = read_jsonl(&pp, &map).unwrap();
        let report = evaluate(
            &g,
            &p,
            &EvalOptions {
                bootstrap_samples: 0,
                ..EvalOptions::default()
            },
        )
        .unwrap();
        let ours: Value = serde_json::from_str(&report.to_json()).unwrap();

        let out = Command::new("python3")
            .arg(&script)
            .arg(&gp)
            .arg(&pp)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "python scorer failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut compared = 0;
        assert_same(&theirs, &ours, "", &mut compared);
        assert!(compared > 200, "only {compared} numbers compared");
        // The perturbations must actually exercise every kind of error.
        let s = &report.strict.micro;
        assert!(s.tp > 0 && s.fp > 0 && s.fn_ > 0);
        assert!(
            report.overlap.micro.tp > s.tp,
            "shifted boundaries must give partial matches"
        );
        assert!(report.leak_rate > 0.0 && report.leak_rate < 1.0);
        assert!(!report.documents.missing_predictions.is_empty());
    }
}
