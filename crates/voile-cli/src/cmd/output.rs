//! Output sinks that never leave half a file: a file is written to a temporary sibling and
//! renamed into place only when complete; stdout is streamed.

use anyhow::{Context, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub enum Sink {
    Stdout(BufWriter<std::io::Stdout>),
    File {
        tmp: PathBuf,
        dest: PathBuf,
        writer: BufWriter<File>,
    },
}

impl Sink {
    pub fn stdout() -> Sink {
        Sink::Stdout(BufWriter::with_capacity(1 << 20, std::io::stdout()))
    }

    /// A file sink; parent directories are created.
    pub fn file(dest: &Path) -> Result<Sink> {
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let tmp = tmp_path(dest);
        let f = File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        Ok(Sink::File {
            tmp,
            dest: dest.to_path_buf(),
            writer: BufWriter::with_capacity(1 << 20, f),
        })
    }

    pub fn write_line(&mut self, line: &str) -> Result<()> {
        let w: &mut dyn Write = match self {
            Sink::Stdout(w) => w,
            Sink::File { writer, .. } => writer,
        };
        w.write_all(line.as_bytes())?;
        w.write_all(b"\n")?;
        Ok(())
    }

    pub fn write_all(&mut self, text: &str) -> Result<()> {
        let w: &mut dyn Write = match self {
            Sink::Stdout(w) => w,
            Sink::File { writer, .. } => writer,
        };
        w.write_all(text.as_bytes())?;
        Ok(())
    }

    /// Flush and, for files, move the finished file into place.
    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush().context("cannot write to stdout"),
            Sink::File { tmp, dest, writer } => {
                let f = writer
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("cannot write {}", tmp.display()))?;
                f.sync_all().ok();
                drop(f);
                std::fs::rename(&tmp, &dest)
                    .with_context(|| format!("cannot move output into {}", dest.display()))
            }
        }
    }
}

/// `out/x.jsonl` → `out/.x.jsonl.partial`: hidden, so a crashed run's leftovers are never
/// mistaken for output, and on the same filesystem so the rename is atomic.
fn tmp_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    dest.with_file_name(format!(".{name}.partial"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_appears_only_when_finished() {
        let dir = std::env::temp_dir().join(format!("voile-sink-{}", std::process::id()));
        let dest = dir.join("sub/out.jsonl");
        let mut s = Sink::file(&dest).unwrap();
        s.write_line("{}").unwrap();
        assert!(!dest.exists());
        s.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "{}\n");
        assert!(!tmp_path(&dest).exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
