//! Write `train/dev/test.jsonl` into a directory and print the label table, exactly as
//! `voile synth --split all --n N --n-dev D --n-test T --seed S --out-dir DIR --stats` does
//! (same library calls, default options), without building the whole CLI:
//! `cargo run --release -p voile-synth --example synth_corpus -- DIR N D T SEED [NOISE_RATE]`.

use std::io::Write;
use std::path::{Path, PathBuf};
use voile_synth::{stats_markdown, Generator, NoiseOptions, Split, SynthOptions};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(a.get(1).expect("DIR"));
    let num = |i: usize, d: u64| a.get(i).map_or(d, |s| s.parse().expect("number"));
    let counts = [
        (Split::Train, num(2, 4000)),
        (Split::Dev, num(3, 600)),
        (Split::Test, num(4, 600)),
    ];
    let seed = num(5, 1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut options = SynthOptions::default();
    if let Some(rate) = a.get(6) {
        options.noise = NoiseOptions {
            doc_rate: rate.parse().expect("noise rate"),
            ..NoiseOptions::default()
        };
    }
    let g = Generator::from_repo(&root)
        .unwrap_or_else(|e| panic!("{e}"))
        .with_options(options);
    std::fs::create_dir_all(&dir).expect("create dir");
    let mut all = Vec::new();
    for (split, n) in counts {
        let docs = g.generate(split, n as usize, seed);
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(dir.join(format!("{split}.jsonl"))).expect("create"),
        );
        for r in &docs {
            writeln!(w, "{}", r.to_json_line(false)).expect("write");
        }
        all.push((split, docs));
    }
    print!("{}", stats_markdown(&all));
    let t: Vec<String> = all
        .iter()
        .map(|(s, _)| format!("{s}: {} templates", g.template_count(*s)))
        .collect();
    println!("\n{}", t.join(", "));
}
