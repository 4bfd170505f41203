//! Running the `voile` binary from integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The `voile` command with piped standard streams and `VOILE_KEY` set to `key` (or unset).
pub fn cmd(args: &[&str], key: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_voile"));
    c.args(args)
        .env_remove("VOILE_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(k) = key {
        c.env("VOILE_KEY", k);
    }
    c
}

/// Run `voile args` with `stdin` as input and wait for it.
pub fn run(args: &[&str], stdin: &str, key: Option<&str>) -> Output {
    let mut child = cmd(args, key).spawn().expect("voile runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
