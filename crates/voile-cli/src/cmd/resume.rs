//! Resumable `pseudo --out DIR` runs.
//!
//! The output directory holds a manifest, `.voile-run.json`: the run's inputs (origin, output
//! name, size), fingerprints of its settings (a SHA-256 of the effective config and flags) and
//! of its key (a keyed hash, never the key), and a checkpoint written after every chunk:
//! which inputs are finished, how far the current one got (last input line written, bytes of
//! its partial output and of the mapping), and the run's totals so far. Inputs are processed
//! in order, so one cursor says everything.
//!
//! Rerunning the same command after a kill keeps finished outputs, truncates the current
//! input's partial output to its checkpoint and goes on from the next line, so no record is
//! lost or written twice; chunk boundaries fall where they fell in the first run, so even
//! batch-dependent settings (patient scope) give byte-identical output. A run with other
//! settings, another key or changed inputs is refused unless `--overwrite`.

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use voile::Audit;

/// The manifest's file name inside the output directory (hidden: never read as an input).
pub const MANIFEST: &str = ".voile-run.json";

const FORMAT: u32 = 1;

/// One input of the run as the manifest knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputEntry {
    pub origin: String,
    pub output: String,
    pub size: u64,
}

/// Counts that must survive a restart: they cover everything written up to a checkpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub audit: Audit,
    pub written: usize,
    pub bad: usize,
    pub duplicates: usize,
    /// Bytes of the `--mapping` file written (0 without one).
    pub mapping_bytes: u64,
}

/// Where the run stands.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Inputs before this index are finished.
    pub next_input: usize,
    /// Of input `next_input`: records on lines up to this one are written (0 = none).
    pub lines_done: usize,
    /// Bytes of input `next_input`'s partial output holding those records.
    pub output_bytes: u64,
    /// Totals at the start of input `next_input` (restarting that input starts from them).
    pub before_input: Totals,
    /// Totals including input `next_input`'s written records.
    pub now: Totals,
    /// Every input is finished.
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub command: String,
    pub settings: String,
    pub key: String,
    pub inputs: Vec<InputEntry>,
    pub checkpoint: Checkpoint,
}

impl Manifest {
    /// A fresh manifest for `inputs` run with `settings` (see [`settings_fingerprint`]).
    pub fn new(settings: String, key: String, inputs: Vec<InputEntry>) -> Manifest {
        Manifest {
            format: FORMAT,
            command: "pseudo".into(),
            settings,
            key,
            inputs,
            checkpoint: Checkpoint::default(),
        }
    }

    pub fn path(dir: &Path) -> PathBuf {
        dir.join(MANIFEST)
    }

    /// The manifest in `dir`, if any.
    pub fn load(dir: &Path) -> Result<Option<Manifest>> {
        let p = Self::path(dir);
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", p.display())),
        };
        let m: Manifest = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a voile run manifest: remove it or rerun with --overwrite",
                p.display()
            )
        })?;
        Ok(Some(m))
    }

    /// Write atomically and durably: a kill leaves either the previous checkpoint or this one.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let dest = Self::path(dir);
        let tmp = dir.join(format!("{MANIFEST}.partial"));
        let json = serde_json::to_string_pretty(self).expect("a manifest always serialises");
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(json.as_bytes())?;
            f.write_all(b"\n")?;
            f.sync_all()?;
            std::fs::rename(&tmp, &dest)
        };
        write().with_context(|| format!("cannot write the run manifest {}", dest.display()))
    }
}

/// How a run starts, given the manifest found in its output directory.
#[derive(Debug, PartialEq)]
pub enum Start {
    /// No earlier run (or `--overwrite`): begin at the first input.
    Fresh,
    /// An interrupted run with the same settings, key and inputs: go on from its checkpoint.
    Resume(Checkpoint),
    /// The same run already finished: nothing to do.
    Complete(Checkpoint),
}

/// Decide how to start; refuse to mix two different runs in one output directory.
pub fn decide(found: Option<Manifest>, planned: &Manifest, overwrite: bool) -> Result<Start> {
    let Some(found) = found else {
        return Ok(Start::Fresh);
    };
    if overwrite {
        return Ok(Start::Fresh);
    }
    let differs = if found.format != planned.format || found.command != planned.command {
        Some("was written by another kind of run")
    } else if found.settings != planned.settings {
        Some("was made with other settings (config, profile or flags)")
    } else if found.key != planned.key {
        Some("was made with another key")
    } else if found.inputs != planned.inputs {
        Some("was made from other inputs (list or sizes changed)")
    } else {
        None
    };
    if let Some(why) = differs {
        bail!(
            "the output directory's earlier run {why}: rerun with --overwrite to start again \
             (its outputs will be replaced), or choose another --out"
        );
    }
    if found.checkpoint.next_input > found.inputs.len() {
        bail!("the run manifest's checkpoint is out of range: rerun with --overwrite");
    }
    Ok(if found.checkpoint.complete {
        Start::Complete(found.checkpoint)
    } else {
        Start::Resume(found.checkpoint)
    })
}

/// SHA-256 (hex) of everything besides the key and inputs that decides the output bytes:
/// the effective config, the output flags, and the engine version.
pub fn settings_fingerprint(config: &voile::Config, flags: &[(&str, bool)]) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update([0]);
    h.update(serde_json::to_vec(config).expect("a config always serialises"));
    for (name, on) in flags {
        h.update([0]);
        h.update(name.as_bytes());
        h.update([*on as u8]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(settings: &str, key: &str, sizes: &[u64]) -> Manifest {
        let inputs = sizes
            .iter()
            .enumerate()
            .map(|(i, &size)| InputEntry {
                origin: format!("in/{i}.jsonl"),
                output: format!("{i}.jsonl"),
                size,
            })
            .collect();
        Manifest::new(settings.into(), key.into(), inputs)
    }

    #[test]
    fn resumes_only_the_same_run() {
        let planned = manifest("s", "k", &[10, 20]);
        let mut found = planned.clone();
        found.checkpoint.next_input = 1;
        found.checkpoint.lines_done = 7;
        assert_eq!(decide(None, &planned, false).unwrap(), Start::Fresh);
        match decide(Some(found.clone()), &planned, false).unwrap() {
            Start::Resume(c) => assert_eq!((c.next_input, c.lines_done), (1, 7)),
            other => panic!("{other:?}"),
        }
        for (other, why) in [
            (manifest("t", "k", &[10, 20]), "other settings"),
            (manifest("s", "j", &[10, 20]), "another key"),
            (manifest("s", "k", &[10, 21]), "other inputs"),
            (manifest("s", "k", &[10]), "other inputs"),
        ] {
            let e = decide(Some(other.clone()), &planned, false).unwrap_err();
            assert!(e.to_string().contains(why), "{e}");
            assert_eq!(decide(Some(other), &planned, true).unwrap(), Start::Fresh);
        }
        found.checkpoint.complete = true;
        assert!(matches!(
            decide(Some(found), &planned, false).unwrap(),
            Start::Complete(_)
        ));
    }

    #[test]
    fn saves_and_loads_atomically() {
        let dir = std::env::temp_dir().join(format!("voile-manifest-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        assert!(Manifest::load(&dir).unwrap().is_none());
        let mut m = manifest("s", "k", &[1]);
        m.checkpoint.now.written = 3;
        m.save(&dir).unwrap();
        assert_eq!(Manifest::load(&dir).unwrap(), Some(m));
        assert!(!dir.join(format!("{MANIFEST}.partial")).exists());
        std::fs::write(Manifest::path(&dir), "not json").unwrap();
        let e = Manifest::load(&dir).unwrap_err().to_string();
        assert!(e.contains("--overwrite"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn settings_fingerprint_follows_config_and_flags() {
        let c = voile::Config::default();
        let a = settings_fingerprint(&c, &[("spans", false)]);
        assert_eq!(a, settings_fingerprint(&c, &[("spans", false)]));
        assert_ne!(a, settings_fingerprint(&c, &[("spans", true)]));
        let other = c.clone().with_profile(voile::Profile::Recall);
        assert_ne!(a, settings_fingerprint(&other, &[("spans", false)]));
    }
}
