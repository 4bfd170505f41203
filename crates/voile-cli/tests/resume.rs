//! Resumable `pseudo --out DIR` runs: killed with SIGKILL at random points and rerun, a run
//! ends with output byte-identical to an uninterrupted one, with no temporary file left.

mod common;

use common::cmd;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

const KEY: &str = "resume-test-key-0123456789";

fn fresh_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("voile-resume-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// 3,000 synthetic documents: two JSONL files (one large enough to be cut mid-file) and a
/// directory of 300 `.txt` files.
fn make_inputs(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(input.join("notes")).unwrap();
    let synth = |n: &str, seed: &str, extra: &[&str]| {
        let mut args = vec!["synth", "--split", "train", "--n", n, "--seed", seed];
        args.extend_from_slice(extra);
        let out = cmd(&args, None).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let big = input.join("a-big.jsonl");
    let small = input.join("b-small.jsonl");
    let scratch = dir.join("txt.jsonl");
    synth("2200", "11", &["--out", big.to_str().unwrap()]);
    synth("500", "12", &["--out", small.to_str().unwrap()]);
    synth(
        "300",
        "13",
        &[
            "--out",
            scratch.to_str().unwrap(),
            "--txt-dir",
            input.join("notes").to_str().unwrap(),
        ],
    );
    let lines = |p: &Path| std::fs::read_to_string(p).unwrap().lines().count();
    let txt = std::fs::read_dir(input.join("notes")).unwrap().count();
    assert_eq!(lines(&big) + lines(&small) + txt, 3000);
    input
}

fn pseudo_args<'a>(input: &'a str, out: &'a str, mapping: &'a str) -> Vec<&'a str> {
    vec![
        "pseudo",
        input,
        "--out",
        out,
        "--config",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../eval/configs/rules-gazetteer.json"
        ),
        "--mapping",
        mapping,
        "--quiet",
    ]
}

/// Every file under `dir` (relative path → bytes), hidden files included.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, d: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A small xorshift generator seeded from the clock: kill points differ between runs.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Start the run and SIGKILL it once its manifest has changed `checkpoints` times, plus a
/// few milliseconds (so the kill often lands between checkpoints, mid-write). `true` when it
/// was killed, `false` when it finished first.
fn run_and_kill(args: &[&str], manifest: &Path, checkpoints: u64, extra_ms: u64) -> bool {
    let mut child = cmd(args, Some(KEY))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut seen = std::fs::read(manifest).ok();
    let mut changes = 0;
    let deadline = Instant::now() + Duration::from_secs(600);
    while changes < checkpoints && Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        let now = std::fs::read(manifest).ok();
        if now != seen {
            changes += 1;
            seen = now;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    std::thread::sleep(Duration::from_millis(extra_ms));
    if child.try_wait().unwrap().is_some() {
        return false;
    }
    child.kill().unwrap(); // SIGKILL: no cleanup handler runs
    child.wait().unwrap();
    true
}

#[test]
fn killed_runs_resume_to_byte_identical_output() {
    let dir = fresh_dir("kill");
    let input = make_inputs(&dir);
    let input_s = input.to_str().unwrap();

    let reference = dir.join("reference");
    let ref_map = dir.join("reference-mapping.tsv");
    let out = cmd(
        &pseudo_args(
            input_s,
            reference.to_str().unwrap(),
            ref_map.to_str().unwrap(),
        ),
        Some(KEY),
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("kill-point seed: {seed}");
    let mut rng = Rng(seed);
    let resumed = dir.join("resumed");
    let map = dir.join("resumed-mapping.tsv");
    let args = pseudo_args(input_s, resumed.to_str().unwrap(), map.to_str().unwrap());
    let manifest = resumed.join(".voile-run.json");
    let mut kills = 0;
    for _ in 0..6 {
        if run_and_kill(&args, &manifest, 1 + rng.below(4), rng.below(15)) {
            kills += 1;
        }
    }
    let out = cmd(&args, Some(KEY)).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("killed {kills} times before the final run");

    let (mut want, got) = (tree(&reference), tree(&resumed));
    let manifest_name = PathBuf::from(".voile-run.json");
    assert!(got.contains_key(&manifest_name));
    want.remove(&manifest_name);
    let mut got_outputs = got.clone();
    got_outputs.remove(&manifest_name);
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got_outputs.keys().collect::<Vec<_>>(),
        "same files, no temporary file left"
    );
    for (name, bytes) in &want {
        assert!(&got_outputs[name] == bytes, "{} differs", name.display());
    }
    assert_eq!(
        std::fs::read(&ref_map).unwrap(),
        std::fs::read(&map).unwrap()
    );
    assert!(!dir.join(".resumed-mapping.tsv.partial").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_finished_or_foreign_run_is_never_mixed_with_another() {
    let dir = fresh_dir("refuse");
    let input = dir.join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"1\",\"text\":\"Mme Durand vue le 3 mars 2021.\"}\n",
    )
    .unwrap();
    let out = dir.join("out");
    let run = |key: &str, extra: &[&str]| {
        let mut args = vec![
            "pseudo",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        cmd(&args, Some(key)).output().unwrap()
    };
    assert!(run(KEY, &[]).status.success());
    let first = std::fs::read(out.join("in.jsonl")).unwrap();

    let again = run(KEY, &[]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing to do"));

    let other_key = run("another-key-0123456789abcdef", &[]);
    assert_eq!(other_key.status.code(), Some(2));
    let msg = String::from_utf8_lossy(&other_key.stderr);
    assert!(
        msg.contains("another key") && !msg.contains("another-key-0123"),
        "{msg}"
    );
    assert_eq!(std::fs::read(out.join("in.jsonl")).unwrap(), first);

    let other_flags = run(KEY, &["--spans"]);
    assert_eq!(other_flags.status.code(), Some(2));

    let redo = run("another-key-0123456789abcdef", &["--overwrite"]);
    assert!(redo.status.success());
    assert_ne!(std::fs::read(out.join("in.jsonl")).unwrap(), first);

    // Outputs without a manifest (another tool, an older run) are never replaced silently.
    let foreign = dir.join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("in.jsonl"), "keep me").unwrap();
    let o = cmd(
        &[
            "pseudo",
            input.to_str().unwrap(),
            "--out",
            foreign.to_str().unwrap(),
        ],
        Some(KEY),
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(foreign.join("in.jsonl")).unwrap(), b"keep me");
    std::fs::remove_dir_all(&dir).unwrap();
}
