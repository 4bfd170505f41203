//! Developer tool: equivalence check for speed work on the rules. Prints every raw candidate
//! of `Rules::new(&RulesConfig::default())`, in emission order (the pipeline's resolve is a
//! stable sort, so order can matter), as `doc<TAB>start<TAB>end<TAB>label<TAB>source<TAB>score`
//! for each input: JSONL files (`{"id": …, "text": …}` per line; the id or the line number
//! names the doc), any other file as one document, and `--reports` for the crate's test
//! reports (the documents the throughput example and the criterion bench repeat).
//! Offsets and scores only: no text is printed, so dumps of any corpus can be shared.
//! The score is printed with `{:?}` (shortest exact form of the f32).
//!
//! Usage: `cargo run --release -p voile-rules --example dump -- [--reports] FILE… > dump.tsv`,
//! then compare the dumps (or their sha256) before and after a change.

use std::io::{BufWriter, Write};
use voile_core::Detector;
use voile_rules::{Rules, RulesConfig};

const REPORTS: &str = include_str!("../tests/fixtures/reports.txt");

/// The reports without their `[[LABEL:surface]]` markup (as the throughput example).
fn strip_markup(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    let mut rest = doc;
    while let Some(i) = rest.find("[[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let colon = after.find(':').expect("label");
        let close = after.find("]]").expect("closed");
        out.push_str(&after[colon + 1..close]);
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

fn dump_doc(
    rules: &Rules,
    doc: &str,
    text: &str,
    out: &mut impl Write,
) -> Result<(), std::io::Error> {
    let mut spans = Vec::new();
    rules.detect(text, &mut spans);
    for s in &spans {
        writeln!(
            out,
            "{doc}\t{}\t{}\t{}\t{}\t{:?}",
            s.start, s.end, s.label, s.source, s.score
        )?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rules = Rules::new(&RulesConfig::default())?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for arg in std::env::args().skip(1) {
        if arg == "--reports" {
            let base = strip_markup(REPORTS);
            for (i, d) in base.split("\n=====\n").enumerate() {
                // The same header as the throughput example and the bench.
                let text = format!("Document interne {i}: copie conforme.\n{d}\n");
                dump_doc(&rules, &format!("reports:{i}"), &text, &mut out)?;
            }
            continue;
        }
        let content = std::fs::read_to_string(&arg)?;
        if arg.ends_with(".jsonl") {
            for (n, line) in content.lines().enumerate() {
                let v: serde_json::Value = serde_json::from_str(line)
                    .map_err(|e| format!("{arg}: line {}: {e}", n + 1))?;
                let Some(text) = v["text"].as_str() else {
                    continue;
                };
                let id = v["id"]
                    .as_str()
                    .map_or_else(|| format!("line{}", n + 1), str::to_string);
                dump_doc(&rules, &format!("{arg}:{id}"), text, &mut out)?;
            }
        } else {
            dump_doc(&rules, &arg, &content, &mut out)?;
        }
    }
    out.flush()?;
    Ok(())
}
