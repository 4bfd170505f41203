//! `voile synth`: generate an annotated synthetic French clinical corpus (JSONL contract).
//!
//! Splits are assigned by template, so `--split test` documents come from templates never
//! used for `train`. Output is deterministic for a given `--seed` and template set.

use anyhow::{bail, Context};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use voile_core::corpus::Record;
use voile_synth::{stats_markdown, Generator, NoiseOptions, Split, SynthOptions};

#[derive(clap::Args)]
pub struct Args {
    /// Split to generate: train, dev, test or all.
    #[arg(long, default_value = "all")]
    split: String,
    /// Number of documents (of the chosen split; of train with `--split all`).
    #[arg(long, default_value_t = 1000)]
    n: usize,
    /// With `--split all`: dev documents (default: 15% of `--n`).
    #[arg(long)]
    n_dev: Option<usize>,
    /// With `--split all`: test documents (default: 15% of `--n`).
    #[arg(long)]
    n_test: Option<usize>,
    /// Corpus seed: same seed and templates give byte-identical output.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output JSONL file (`-` for stdout). Default: stdout unless `--out-dir` is given.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Output directory: writes train.jsonl, dev.jsonl, test.jsonl (those generated).
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// Also write each document's text as `<DIR>/<id>.txt`.
    #[arg(long)]
    txt_dir: Option<PathBuf>,
    /// Print span counts per label and split (Markdown table).
    #[arg(long)]
    stats: bool,
    /// Share of documents receiving noise variants (0 disables noise).
    #[arg(long)]
    noise_rate: Option<f64>,
    /// Templates directory (default: the repository's crates/voile-synth/templates).
    #[arg(long)]
    templates: Option<PathBuf>,
    /// Gazetteers directory (default: the repository's gazetteers/).
    #[arg(long)]
    gazetteers: Option<PathBuf>,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn splits_and_counts(args: &Args) -> anyhow::Result<Vec<(Split, usize)>> {
    let held =
        |x: Option<usize>| x.unwrap_or_else(|| ((args.n as f64 * 0.15).round() as usize).max(1));
    Ok(match args.split.as_str() {
        "all" => vec![
            (Split::Train, args.n),
            (Split::Dev, held(args.n_dev)),
            (Split::Test, held(args.n_test)),
        ],
        s => vec![(s.parse::<Split>().map_err(anyhow::Error::msg)?, args.n)],
    })
}

fn write_jsonl(w: &mut dyn Write, records: &[Record]) -> anyhow::Result<()> {
    for r in records {
        writeln!(w, "{}", r.to_json_line(false))?;
    }
    Ok(())
}

fn create(path: &Path) -> anyhow::Result<BufWriter<std::fs::File>> {
    let f =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(BufWriter::new(f))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.out.is_some() && args.out_dir.is_some() {
        bail!("give either --out or --out-dir, not both");
    }
    let root = repo_root();
    let templates = args
        .templates
        .clone()
        .unwrap_or_else(|| root.join("crates/voile-synth/templates"));
    let gazetteers = args
        .gazetteers
        .clone()
        .unwrap_or_else(|| root.join("gazetteers"));
    let mut options = SynthOptions::default();
    if let Some(rate) = args.noise_rate {
        if !(0.0..=1.0).contains(&rate) {
            bail!("--noise-rate must be within 0..1");
        }
        options.noise = NoiseOptions {
            doc_rate: rate,
            ..NoiseOptions::default()
        };
    }
    let generator = Generator::new(&templates, &gazetteers)
        .with_context(|| {
            format!(
                "loading templates {} and gazetteers {}",
                templates.display(),
                gazetteers.display()
            )
        })?
        .with_options(options);

    let mut generated = Vec::new();
    for (split, n) in splits_and_counts(&args)? {
        if generator.template_count(split) == 0 && n > 0 {
            bail!("split {split} has no template (each doc type needs ≥ 3 templates for dev/test)");
        }
        generated.push((split, generator.generate(split, n, args.seed)));
    }

    // JSONL goes to stdout with `--out -`, or by default unless only `--stats` was asked.
    let out_is_dash = args.out.as_ref().is_some_and(|p| p.as_os_str() == "-");
    let jsonl_to_stdout =
        args.out_dir.is_none() && (out_is_dash || (args.out.is_none() && !args.stats));
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for (split, records) in &generated {
            let path = dir.join(format!("{split}.jsonl"));
            let mut w = create(&path)?;
            write_jsonl(&mut w, records)?;
            w.flush()?;
        }
    } else if jsonl_to_stdout {
        let mut w = BufWriter::new(std::io::stdout().lock());
        for (_, records) in &generated {
            write_jsonl(&mut w, records)?;
        }
        w.flush()?;
    } else if let Some(path) = &args.out {
        let mut w = create(path)?;
        for (_, records) in &generated {
            write_jsonl(&mut w, records)?;
        }
        w.flush()?;
    }
    if let Some(dir) = &args.txt_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for r in generated.iter().flat_map(|(_, r)| r) {
            let path = dir.join(format!("{}.txt", r.id));
            std::fs::write(&path, &r.text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    if args.stats {
        let table = stats_markdown(&generated);
        let templates: Vec<String> = generated
            .iter()
            .map(|(s, _)| format!("{s}: {} templates", generator.template_count(*s)))
            .collect();
        let report = format!("{table}\n{}\n", templates.join(", "));
        // Keep stdout clean for JSONL when the corpus itself goes there.
        if jsonl_to_stdout {
            eprint!("{report}");
        } else {
            print!("{report}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
