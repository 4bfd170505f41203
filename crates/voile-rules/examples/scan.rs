//! Developer tool: run the rules over a JSONL corpus (`{"text": …}` per line) and print
//! each resolved span as `LABEL<TAB>score<TAB>surface` with a little context, to review
//! precision on real-style text. Usage: `cargo run --release -p voile-rules --example scan -- FILE [MAX_DOCS]`.

use std::io::{BufRead, BufReader};
use voile_core::{resolve, Detector};
use voile_rules::{Rules, RulesConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: scan FILE [MAX_DOCS]")?;
    let max: usize = args.next().map_or(Ok(usize::MAX), |s| s.parse())?;
    let rules = Rules::new(&RulesConfig::default())?;
    let file = BufReader::new(std::fs::File::open(&path)?);
    for line in file.lines().take(max) {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let Some(text) = v["text"].as_str() else {
            continue;
        };
        let mut out = Vec::new();
        rules.detect(text, &mut out);
        for s in resolve(out) {
            let mut a = s.start.saturating_sub(30);
            while !text.is_char_boundary(a) {
                a -= 1;
            }
            let mut b = (s.end + 20).min(text.len());
            while !text.is_char_boundary(b) {
                b += 1;
            }
            let ctx = format!(
                "{}[{}]{}",
                &text[a..s.start],
                &text[s.range()],
                &text[s.end..b]
            )
            .replace('\n', " ");
            println!("{}\t{:.2}\t{}", s.label, s.score, ctx);
        }
    }
    Ok(())
}
