//! Resumable training: a checkpoint directory holding the weights, the optimiser's moments, the
//! pretraining head and every counter and generator state of the run, written atomically every
//! few minutes and when the run is asked to stop, so that `--resume` continues the run exactly
//! (the same batches, masks and updates) as if it had never stopped.

use crate::optim::AdamW;
use crate::train::{io_err, TrainConfig, TrainReport};
use candle_core::{Device, Tensor, Var};
use candle_nn::VarMap;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use voile_core::{Error, ErrorKind};

/// How a run is driven from outside: where its checkpoints go, how often, and when to stop.
#[derive(Debug, Clone, Default)]
pub struct RunControl {
    /// Checkpoint directory (`None`: no checkpoints, the run cannot be resumed).
    pub dir: Option<PathBuf>,
    /// Time between checkpoints.
    pub every: Duration,
    /// Set (e.g. by a SIGINT handler) to stop after the current step, checkpoint saved.
    pub stop: Arc<AtomicBool>,
    /// Stop this session after so much time (checkpoint saved); the run goes on with `resume`.
    pub stop_after: Option<Duration>,
    /// Continue from the checkpoint in `dir` instead of starting afresh.
    pub resume: bool,
    /// Identifies the training data (e.g. a hash of the corpora files); a resumed run refuses
    /// a checkpoint made on other data.
    pub data_fingerprint: String,
}

/// Which part of the run a checkpoint is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Pretrain,
    #[default]
    Finetune,
    Done,
}

/// Every counter and generator state of a run (`state.json` in the checkpoint).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Progress {
    pub phase: Phase,
    pub pretrain_step: usize,
    #[serde(with = "exact_f64")]
    pub pretrain_loss_sum: f64,
    pub mask_rng: u64,
    /// Fine-tuning epoch in progress and batches of it already done.
    pub epoch: usize,
    pub batch: usize,
    /// Fine-tuning steps done, and the schedule's length (fixed by the first epoch).
    pub step: usize,
    pub total_steps: usize,
    /// Window-order generator as it was at the start of `epoch`.
    pub order_rng: u64,
    pub dropout_rng: u64,
    #[serde(with = "exact_f64")]
    pub epoch_loss_sum: f64,
    pub epoch_tokens: usize,
    pub epoch_seconds: f64,
    pub since_best: usize,
    pub report: TrainReport,
    /// Training time over every session so far.
    pub seconds: f64,
    /// Sessions that worked on this run (1 for a run never interrupted).
    pub sessions: usize,
    /// Optimiser updates of the current phase.
    pub optimizer_steps: usize,
    pub config: TrainConfig,
    pub data_fingerprint: String,
}

/// Sums that a resumed run keeps adding to are stored as their bits: JSON number parsing may
/// be one unit in the last place off, and the resumed run must match an uninterrupted one.
mod exact_f64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(v.to_bits())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        u64::deserialize(d).map(f64::from_bits)
    }
}

/// The clock and stop conditions of one session of a run.
pub(crate) struct Session<'a> {
    pub control: &'a RunControl,
    started: Instant,
    last_save: Instant,
    seconds_before: f64,
}

impl<'a> Session<'a> {
    pub fn new(control: &'a RunControl, seconds_before: f64) -> Self {
        Session {
            control,
            started: Instant::now(),
            last_save: Instant::now(),
            seconds_before,
        }
    }

    /// Training time of the whole run (earlier sessions included).
    pub fn total_seconds(&self) -> f64 {
        self.seconds_before + self.started.elapsed().as_secs_f64()
    }

    /// Asked to stop (signal) or out of this session's time.
    pub fn should_pause(&self) -> bool {
        self.control.stop.load(Ordering::Relaxed)
            || self
                .control
                .stop_after
                .is_some_and(|d| self.started.elapsed() >= d)
    }

    /// A periodic checkpoint is due.
    pub fn checkpoint_due(&self) -> bool {
        self.control.dir.is_some() && self.last_save.elapsed() >= self.control.every
    }

    pub fn saved(&mut self) {
        self.last_save = Instant::now();
    }
}

/// What a checkpoint holds besides [`Progress`].
pub(crate) struct Snapshot<'a> {
    pub varmap: &'a VarMap,
    pub optimizer: &'a AdamW,
    /// Pretraining head, during pretraining.
    pub head: &'a [(String, Var)],
    pub tokenizer: &'a crate::NerTokenizer,
}

const STATE: &str = "state.json";
const WEIGHTS: &str = "weights.safetensors";
const OPTIMIZER: &str = "optimizer.safetensors";
const HEAD: &str = "head.safetensors";
const TOKENIZER: &str = "tokenizer.json";

/// Write a checkpoint into `dir` atomically: a sibling directory is filled, then swapped in.
pub(crate) fn save(dir: &Path, progress: &Progress, snap: &Snapshot) -> Result<(), Error> {
    let fresh = sibling(dir, "new");
    let old = sibling(dir, "old");
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh).map_err(|e| io_err(&fresh, e))?;
    }
    std::fs::create_dir_all(&fresh).map_err(|e| io_err(&fresh, e))?;
    let candle = |p: &Path, e: candle_core::Error| io_err(p, e);
    snap.varmap
        .save(fresh.join(WEIGHTS))
        .map_err(|e| candle(&fresh.join(WEIGHTS), e))?;
    snap.optimizer
        .save(&fresh.join(OPTIMIZER))
        .map_err(|e| candle(&fresh.join(OPTIMIZER), e))?;
    if !snap.head.is_empty() {
        let head: HashMap<String, Tensor> = snap
            .head
            .iter()
            .map(|(n, v)| (n.clone(), v.as_tensor().clone()))
            .collect();
        candle_core::safetensors::save(&head, fresh.join(HEAD))
            .map_err(|e| candle(&fresh.join(HEAD), e))?;
    }
    snap.tokenizer.save(&fresh.join(TOKENIZER))?;
    let json = serde_json::to_string_pretty(progress).expect("progress serialises");
    std::fs::write(fresh.join(STATE), json).map_err(|e| io_err(&fresh.join(STATE), e))?;
    sync_dir(&fresh);
    if dir.exists() {
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| io_err(&old, e))?;
        }
        std::fs::rename(dir, &old).map_err(|e| io_err(dir, e))?;
    }
    std::fs::rename(&fresh, dir).map_err(|e| io_err(dir, e))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| io_err(&old, e))?;
    }
    Ok(())
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "checkpoint".into());
    dir.with_file_name(format!("{name}.{suffix}"))
}

/// Flush the files of `dir` to disk so a crash right after the swap cannot leave them empty.
fn sync_dir(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if let Ok(f) = std::fs::File::open(e.path()) {
                let _ = f.sync_all();
            }
        }
    }
}

/// The checkpoint directory to read: `dir`, or the previous one if a swap was interrupted.
fn readable(dir: &Path) -> Option<PathBuf> {
    [dir.to_path_buf(), sibling(dir, "old")]
        .into_iter()
        .find(|d| d.join(STATE).is_file())
}

fn config_err(msg: String) -> Error {
    Error::new(ErrorKind::Config(msg))
}

/// Read a checkpoint's progress, refusing one made by another configuration or other data.
pub(crate) fn load_progress(
    dir: &Path,
    cfg: &TrainConfig,
    fingerprint: &str,
) -> Result<(PathBuf, Progress), Error> {
    let dir = readable(dir).ok_or_else(|| {
        config_err(format!(
            "{}: no checkpoint to resume from (start the run without --resume)",
            dir.display()
        ))
    })?;
    let path = dir.join(STATE);
    let text = std::fs::read_to_string(&path).map_err(|e| io_err(&path, e))?;
    let progress: Progress = serde_json::from_str(&text)
        .map_err(|e| config_err(format!("{}: not a checkpoint state: {e}", path.display())))?;
    if progress.config != *cfg {
        return Err(config_err(format!(
            "{}: the checkpoint was made with another training configuration",
            dir.display()
        )));
    }
    if progress.data_fingerprint != fingerprint {
        return Err(config_err(format!(
            "{}: the checkpoint was made on other training data",
            dir.display()
        )));
    }
    Ok((dir, progress))
}

/// Set `vars` to the tensors of the same names in `file`.
pub(crate) fn restore_vars(file: &Path, vars: &[(String, Var)]) -> Result<(), Error> {
    let saved = candle_core::safetensors::load(file, &Device::Cpu).map_err(|e| io_err(file, e))?;
    for (name, var) in vars {
        let t = saved
            .get(name)
            .ok_or_else(|| config_err(format!("{}: no tensor {name}", file.display())))?;
        if t.shape() != var.shape() {
            return Err(config_err(format!(
                "{}: tensor {name} has shape {:?}, the model expects {:?}",
                file.display(),
                t.shape(),
                var.shape()
            )));
        }
        var.set(t).map_err(|e| io_err(file, e))?;
    }
    Ok(())
}

pub(crate) fn weights_file(dir: &Path) -> PathBuf {
    dir.join(WEIGHTS)
}

pub(crate) fn optimizer_file(dir: &Path) -> PathBuf {
    dir.join(OPTIMIZER)
}

pub(crate) fn head_file(dir: &Path) -> PathBuf {
    dir.join(HEAD)
}

/// The tokenizer a checkpointed run was using (so a resumed run tokenizes identically).
pub fn checkpoint_tokenizer(dir: &Path) -> Option<PathBuf> {
    readable(dir).map(|d| d.join(TOKENIZER))
}
