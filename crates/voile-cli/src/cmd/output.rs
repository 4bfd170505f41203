//! Output sinks that never leave half a file, nor a temporary file holding text: a file is
//! written to a hidden temporary sibling and renamed into place only when complete; the
//! temporary file is removed if the run fails, panics or is interrupted (SIGINT, SIGTERM,
//! SIGHUP: see [`install_interrupt_cleanup`]). Stdout is streamed; a closed stdout (`| head`)
//! ends the run quietly ([`is_broken_pipe`]).
//!
//! [`OutputPlan`] checks, before anything is written, that no two outputs of a run share a
//! path and that no output replaces an input or lands inside an input directory.

use anyhow::{bail, Context, Result};
use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Temporary files being written: removed on interruption.
static LIVE_TEMPS: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

fn live_temps() -> std::sync::MutexGuard<'static, BTreeSet<PathBuf>> {
    LIVE_TEMPS.lock().unwrap_or_else(|e| e.into_inner())
}

/// On SIGINT/SIGTERM/SIGHUP: remove every temporary output, say so, exit 130.
pub fn install_interrupt_cleanup() {
    let _ = ctrlc::set_handler(|| {
        for p in live_temps().iter() {
            let _ = std::fs::remove_file(p);
        }
        eprintln!(
            "voile: interrupted; unfinished outputs removed (a run with --out DIR keeps its \
             checkpoint: rerun the same command to go on)"
        );
        std::process::exit(130);
    });
}

/// True when `err` comes from writing to a closed pipe (the reader went away).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

pub enum Sink {
    Stdout(BufWriter<std::io::Stdout>),
    File(FileSink),
}

/// A file being written to its temporary sibling.
pub struct FileSink {
    tmp: PathBuf,
    dest: PathBuf,
    writer: Option<BufWriter<File>>,
    /// Bytes written so far (the length the temporary file has once flushed).
    bytes: u64,
}

impl Drop for FileSink {
    /// Not finished (error, panic): the temporary file goes.
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
            live_temps().remove(&self.tmp);
        }
    }
}

impl Sink {
    pub fn stdout() -> Sink {
        Sink::Stdout(BufWriter::with_capacity(1 << 20, std::io::stdout()))
    }

    /// A file sink; parent directories are created.
    pub fn file(dest: &Path) -> Result<Sink> {
        Self::file_with_mode(dest, None)
    }

    /// A file sink readable by its owner only (mode 0600 on Unix): for files holding
    /// identifying text, such as the re-identification mapping.
    pub fn private_file(dest: &Path) -> Result<Sink> {
        Self::file_with_mode(dest, Some(0o600))
    }

    fn file_with_mode(dest: &Path, mode: Option<u32>) -> Result<Sink> {
        let tmp = prepare(dest)?;
        live_temps().insert(tmp.clone());
        match open_tmp(&tmp, mode) {
            Ok(f) => Ok(Sink::File(FileSink::new(tmp, dest, f, 0))),
            Err(e) => {
                live_temps().remove(&tmp);
                Err(e)
            }
        }
    }

    /// A file sink for a resumable run: its temporary file is kept when the run is
    /// interrupted (it holds only what a checkpoint may point to). With `keep = Some(n)` the
    /// temporary file left by an interrupted run (or the file itself, if the run was killed
    /// just after moving it into place) is reopened and cut to its first `n` bytes;
    /// `Ok(None)` when that file is gone or shorter (the caller starts that output again).
    pub fn resumable_file(dest: &Path, keep: Option<u64>, private: bool) -> Result<Option<Sink>> {
        let tmp = prepare(dest)?;
        let mode = private.then_some(0o600);
        let Some(n) = keep else {
            let f = open_tmp(&tmp, mode)?;
            return Ok(Some(Sink::File(FileSink::new(tmp, dest, f, 0))));
        };
        if !tmp.exists() && dest.is_file() {
            // Killed after the file was moved into place but before the checkpoint said so
            // (see [`resumable_bytes`]): take it back and go on from the checkpoint.
            std::fs::rename(dest, &tmp)
                .with_context(|| format!("cannot reopen {}", dest.display()))?;
        }
        let f = match OpenOptions::new().write(true).open(&tmp) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot reopen {}", tmp.display())),
        };
        let len = f.metadata()?.len();
        if len < n {
            return Ok(None);
        }
        f.set_len(n)
            .with_context(|| format!("cannot truncate {}", tmp.display()))?;
        let mut f = f;
        use std::io::Seek;
        f.seek(std::io::SeekFrom::End(0))?;
        Ok(Some(Sink::File(FileSink::new(tmp, dest, f, n))))
    }

    /// Through the [`Write`] impl below, which also counts a file's bytes.
    fn write_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        Write::write_all(self, bytes)?;
        Ok(())
    }

    pub fn write_line(&mut self, line: &str) -> Result<()> {
        self.write_bytes(line.as_bytes())?;
        self.write_bytes(b"\n")
    }

    pub fn write_all(&mut self, text: &str) -> Result<()> {
        self.write_bytes(text.as_bytes())
    }

    /// Make everything written so far durable; the byte length it has on disk.
    pub fn checkpoint(&mut self) -> Result<u64> {
        match self {
            Sink::Stdout(w) => {
                w.flush()?;
                Ok(0)
            }
            Sink::File(f) => {
                let w = f.writer.as_mut().expect("an open sink has a writer");
                w.flush()
                    .and_then(|_| w.get_ref().sync_data())
                    .with_context(|| format!("cannot write {}", f.tmp.display()))?;
                Ok(f.bytes)
            }
        }
    }

    /// Flush and, for files, move the finished file into place.
    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => Ok(w.flush()?),
            Sink::File(mut f) => {
                let writer = f.writer.take().expect("an open sink has a writer");
                let result = commit(writer, &f.tmp, &f.dest);
                if result.is_err() {
                    let _ = std::fs::remove_file(&f.tmp);
                }
                live_temps().remove(&f.tmp);
                result
            }
        }
    }
}

impl FileSink {
    fn new(tmp: PathBuf, dest: &Path, f: File, bytes: u64) -> FileSink {
        FileSink {
            tmp,
            dest: dest.to_path_buf(),
            writer: Some(BufWriter::with_capacity(1 << 20, f)),
            bytes,
        }
    }
}

/// Check `dest` can be a file and create its parent directories; its temporary path.
fn prepare(dest: &Path) -> Result<PathBuf> {
    if dest.is_dir() {
        bail!("{} is a directory, not a file", dest.display());
    }
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create directory {}", parent.display()))?;
    }
    Ok(tmp_path(dest))
}

fn open_tmp(tmp: &Path, mode: Option<u32>) -> Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if let Some(m) = mode {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(m);
    }
    #[cfg(not(unix))]
    let _ = mode;
    opts.open(tmp)
        .with_context(|| format!("cannot create {}", tmp.display()))
}

/// A sink is a byte writer too, for encoders that take one (the Parquet and CSV writers of
/// table outputs); the file still appears only at [`Sink::finish`].
impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(f) => {
                let n = f
                    .writer
                    .as_mut()
                    .expect("an open sink has a writer")
                    .write(buf)?;
                f.bytes += n as u64;
                Ok(n)
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(f) => f
                .writer
                .as_mut()
                .expect("an open sink has a writer")
                .flush(),
        }
    }
}

fn commit(writer: BufWriter<File>, tmp: &Path, dest: &Path) -> Result<()> {
    let f = writer
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    f.sync_all()
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    drop(f);
    std::fs::rename(tmp, dest)
        .with_context(|| format!("cannot move output into {}", dest.display()))
}

/// Bytes an interrupted resumable run left for `dest`: its temporary file, or the file itself
/// when the run was killed just after moving it into place; `None` when neither exists.
/// [`Sink::resumable_file`] reopens exactly this file.
pub fn resumable_bytes(dest: &Path) -> Option<u64> {
    let tmp = tmp_path(dest);
    let file = if tmp.exists() { tmp.as_path() } else { dest };
    std::fs::metadata(file).ok().map(|m| m.len())
}

/// `out/x.jsonl` → `out/.x.jsonl.partial`: hidden, so a crashed run's leftovers are never
/// mistaken for output (directory walks skip hidden files), and on the same filesystem so
/// the rename is atomic.
fn tmp_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    dest.with_file_name(format!(".{name}.partial"))
}

/// An absolute, `..`-free form of `p` that does not need `p` to exist: the nearest existing
/// ancestor is canonicalised (links resolved), the rest appended.
pub fn resolved(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut lexical = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical,
        }
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        out.push(name);
    }
    out
}

/// Every path a run will write, checked before the first byte is written.
#[derive(Default)]
pub struct OutputPlan {
    outputs: Vec<(PathBuf, String)>,
}

impl OutputPlan {
    /// Plan `path` as the output called `what` (for messages: "--out", "--audit", …).
    pub fn add(&mut self, path: &Path, what: impl Into<String>) {
        self.outputs.push((resolved(path), what.into()));
    }

    /// Refuse two outputs on one path, an output on an input file, and an output inside an
    /// input directory (it would be read as input by the next run).
    pub fn check(&self, input_files: &[PathBuf], input_dirs: &[PathBuf]) -> Result<()> {
        let mut seen: std::collections::BTreeMap<&Path, &str> = Default::default();
        for (p, what) in &self.outputs {
            if let Some(first) = seen.insert(p, what) {
                bail!(
                    "{first} and {what} would both write {}: choose different paths",
                    p.display()
                );
            }
        }
        let inputs: BTreeSet<PathBuf> = input_files.iter().map(|p| resolved(p)).collect();
        let dirs: Vec<PathBuf> = input_dirs.iter().map(|p| resolved(p)).collect();
        for (p, what) in &self.outputs {
            if inputs.contains(p) {
                bail!(
                    "{what} would overwrite the input {}: write outputs elsewhere",
                    p.display()
                );
            }
            if let Some(d) = dirs.iter().find(|d| p.starts_with(d)) {
                bail!(
                    "{what} ({}) is inside the input directory {}: write outputs elsewhere",
                    p.display(),
                    d.display()
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("voile-sink-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn file_appears_only_when_finished() {
        let dir = tmp_dir("finish");
        let dest = dir.join("sub/out.jsonl");
        let mut s = Sink::file(&dest).unwrap();
        s.write_line("{}").unwrap();
        assert!(!dest.exists());
        s.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "{}\n");
        assert!(!tmp_path(&dest).exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_abandoned_sink_leaves_no_temporary_file() {
        let dir = tmp_dir("abandon");
        let dest = dir.join("out.jsonl");
        let mut s = Sink::file(&dest).unwrap();
        s.write_line("original text").unwrap();
        assert!(tmp_path(&dest).exists());
        drop(s);
        assert!(!tmp_path(&dest).exists() && !dest.exists());
        assert!(!live_temps().contains(&tmp_path(&dest)));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_rename_leaves_no_temporary_file() {
        let dir = tmp_dir("rename");
        let dest = dir.join("out.jsonl");
        let mut s = Sink::file(&dest).unwrap();
        s.write_line("original text").unwrap();
        std::fs::create_dir_all(dest.join("blocker")).unwrap(); // rename onto a non-empty dir fails
        assert!(s.finish().is_err());
        assert!(!tmp_path(&dest).exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_resumable_file_reopens_cut_to_its_checkpoint() {
        let dir = tmp_dir("resume");
        let dest = dir.join("out.jsonl");
        assert!(Sink::resumable_file(&dest, Some(3), false)
            .unwrap()
            .is_none());
        let mut s = Sink::resumable_file(&dest, None, false).unwrap().unwrap();
        s.write_line("ab").unwrap();
        assert_eq!(s.checkpoint().unwrap(), 3);
        s.write_line("not checkpointed").unwrap();
        s.checkpoint().unwrap();
        std::mem::forget(s); // as if killed: no cleanup
        assert!(Sink::resumable_file(&dest, Some(999), false)
            .unwrap()
            .is_none());
        let mut s = Sink::resumable_file(&dest, Some(3), false)
            .unwrap()
            .unwrap();
        s.write_line("cd").unwrap();
        s.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "ab\ncd\n");
        assert!(!tmp_path(&dest).exists());
        // Killed after the rename, before the checkpoint: the finished file is taken back.
        let mut s = Sink::resumable_file(&dest, Some(6), false)
            .unwrap()
            .unwrap();
        s.write_line("ef").unwrap();
        s.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "ab\ncd\nef\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tmp_dir("private");
        let dest = dir.join("mapping.tsv");
        let mut s = Sink::private_file(&dest).unwrap();
        s.write_line("a\tb").unwrap();
        s.finish().unwrap();
        let mode = std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn colliding_outputs_are_refused() {
        let dir = tmp_dir("plan");
        let mut plan = OutputPlan::default();
        plan.add(&dir.join("out.jsonl"), "--out");
        plan.add(&dir.join("./x/../out.jsonl"), "--audit");
        let e = plan.check(&[], &[]).unwrap_err().to_string();
        assert!(e.contains("--out and --audit"), "{e}");

        let mut plan = OutputPlan::default();
        plan.add(&dir.join("in.jsonl"), "--out");
        std::fs::write(dir.join("in.jsonl"), "").unwrap();
        assert!(plan.check(&[dir.join("in.jsonl")], &[]).is_err());

        let mut plan = OutputPlan::default();
        plan.add(&dir.join("data/out/a.jsonl"), "--out");
        assert!(plan.check(&[], &[dir.join("data")]).is_err());
        assert!(plan.check(&[], &[dir.join("elsewhere")]).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
