//! voile-cli: the `voile` binary — detect, pseudonymise, evaluate, generate corpora, train, bench.
//!
//! Each subcommand lives in its own module under `cmd/` with a clap `Args` struct and a
//! `run` function returning the process exit code. `anyhow` is used only in this crate.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod cmd;

#[derive(Parser)]
#[command(
    name = "voile",
    version,
    about = "Fast pseudonymisation of French clinical text"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Detect identifying spans (JSONL contract, .txt files or a directory; stdin by default).
    Detect(cmd::detect::Args),
    /// Replace identifiers by consistent keyed surrogates (or tags, redaction, hashes).
    Pseudo(cmd::pseudo::Args),
    /// Profile a table's columns: which look identifying (names, dates, NIR, ids, free text
    /// holding identifiers), as shares of sampled values; never prints a value.
    Scan(cmd::scan::Args),
    /// Score predictions (or the engine itself) against a gold corpus.
    Eval(cmd::eval::Args),
    /// Generate an annotated synthetic French clinical corpus.
    Synth(cmd::synth::Args),
    /// Train the NER model (tokenizer, then token classification on fresh synthetic documents).
    Train(cmd::train::Args),
    /// Measure throughput of each pipeline stage on a corpus.
    Bench(cmd::bench::Args),
}

/// The data-parallel commands run documents on rayon's threads; candle's own worker pool
/// (spin-waiting threads for elementwise ops) then fights them for the cores: measured on 2
/// cores, the pipeline with NER ran at 150k chars/s on two threads versus 440k with candle kept
/// to the calling thread. So unless the user chose, candle gets one thread per call here.
/// (`train` has no outer parallelism and keeps candle's default.) Set before any thread exists.
fn keep_candle_on_calling_thread() {
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        std::env::set_var("CANDLE_NUM_THREADS", "1");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Train(_)) {
        keep_candle_on_calling_thread();
    }
    voile::containment::install_panic_hook();
    cmd::output::install_interrupt_cleanup();
    let result = match cli.command {
        Command::Detect(a) => cmd::detect::run(a),
        Command::Pseudo(a) => cmd::pseudo::run(a),
        Command::Scan(a) => cmd::scan::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::Synth(a) => cmd::synth::run(a),
        Command::Train(a) => cmd::train::run(a),
        Command::Bench(a) => cmd::bench::run(a),
    };
    match result {
        Ok(code) => code,
        // The reader of stdout went away (`voile detect | head`): nothing left to do.
        Err(e) if cmd::output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("voile: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
