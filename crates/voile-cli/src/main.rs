//! voile-cli: the `voile` binary — detect, pseudonymise, link tables, evaluate, generate
//! corpora, train, bench.
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
    /// Worker threads for data-parallel work (default: one per core; the RAYON_NUM_THREADS
    /// variable is honoured when this is not given).
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
}

#[derive(Subcommand)]
enum Command {
    /// Detect identifying spans (JSONL contract, .txt files or a directory; stdin by default).
    Detect(cmd::detect::Args),
    /// Replace identifiers by consistent keyed surrogates (or tags, redaction, hashes).
    Pseudo(cmd::pseudo::Args),
    /// Add keyed linkage pseudonyms (from NIR or nom, prénom, birth date, sex) to a table.
    Link(cmd::link::Args),
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.threads == Some(0) {
        eprintln!("voile: error: --threads must be at least 1");
        return ExitCode::from(2);
    }
    voile::threads::settle_kernel_threads(cli.threads);
    if let Some(n) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .expect("the thread pool is configured once, before any parallel work");
    }
    voile::containment::install_panic_hook();
    // `train` catches interruptions itself, to save a checkpoint before stopping.
    if !matches!(cli.command, Command::Train(_)) {
        cmd::output::install_interrupt_cleanup();
    }
    let result = match cli.command {
        Command::Detect(a) => cmd::detect::run(a),
        Command::Pseudo(a) => cmd::pseudo::run(a),
        Command::Link(a) => cmd::link::run(a),
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
