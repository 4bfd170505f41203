//! Print a few generated documents with their spans, for reviewing templates and renderers:
//! `cargo run -p voile-synth --example synth_show -- [train|dev|test] [N] [SEED]`.

use std::path::Path;
use voile_synth::{Generator, Split};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let split: Split = args
        .get(1)
        .map_or(Split::Train, |s| s.parse().expect("split"));
    let n: usize = args.get(2).map_or(3, |s| s.parse().expect("N"));
    let seed: u64 = args.get(3).map_or(1, |s| s.parse().expect("seed"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let g = Generator::from_repo(&root).unwrap_or_else(|e| panic!("{e}"));
    for r in g.generate(split, n, seed) {
        let meta = r.meta().cloned().unwrap_or_default();
        println!("==== {} {} {}", r.id, meta["template"], meta["noise"]);
        println!("{}", r.text);
        for s in &r.spans {
            println!("  {:<15} {:?}", s.label.as_str(), &r.text[s.range()]);
        }
    }
}
