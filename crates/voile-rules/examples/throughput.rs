//! Developer tool: single-threaded throughput and memory check of the rules detector on
//! the crate's test reports repeated to `MB` megabytes (default 4). With `--one-text`
//! the corpus is a single string (peak-memory check with `/usr/bin/time -v`).
//! Usage: `cargo run --release -p voile-rules --example throughput -- [MB] [--one-text]`.

use std::time::Instant;
use voile_core::Detector;
use voile_rules::{Rules, RulesConfig};

const REPORTS: &str = include_str!("../tests/fixtures/reports.txt");

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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mb: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(4);
    let one_text = args.iter().any(|a| a == "--one-text");
    let base = strip_markup(REPORTS);
    let docs: Vec<&str> = base.split("\n=====\n").collect();
    let mut corpus = Vec::new();
    let mut bytes = 0;
    let mut i = 0;
    while bytes < mb << 20 {
        let d = format!(
            "Document interne {i}: copie conforme.\n{}\n",
            docs[i % docs.len()]
        );
        bytes += d.len();
        corpus.push(d);
        i += 1;
    }
    if one_text {
        corpus = vec![corpus.concat()];
    }
    if args.iter().any(|a| a == "--per-family") {
        per_family(&corpus, bytes);
    }
    let mut cfg = RulesConfig::default();
    if let Some(only) = args.iter().find_map(|a| a.strip_prefix("--only=")) {
        cfg = RulesConfig {
            dates: only == "dates",
            phones: only == "phones",
            emails: only == "emails",
            nir: only == "nir",
            identifiers: only == "identifiers",
            addresses: only == "addresses",
            zips: only == "zips",
            names: only == "names",
            hl7: only == "hl7",
        };
    }
    let rules = Rules::new(&cfg).expect("rules compile");
    let mut out = Vec::new();
    let mut spans = 0;
    let t = Instant::now();
    for d in &corpus {
        out.clear();
        rules.detect(d, &mut out);
        spans += out.len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{} docs, {:.1} MB, {spans} candidates, {:.3} s, {:.1} MB/s",
        corpus.len(),
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs
    );
}

/// Time each detector family alone, to find the slow one.
fn per_family(corpus: &[String], bytes: usize) {
    let none = RulesConfig {
        dates: false,
        phones: false,
        emails: false,
        nir: false,
        identifiers: false,
        addresses: false,
        zips: false,
        names: false,
        hl7: false,
    };
    type Enable = fn(&mut RulesConfig);
    let families: [(&str, Enable); 9] = [
        ("dates", |c| c.dates = true),
        ("phones", |c| c.phones = true),
        ("emails", |c| c.emails = true),
        ("nir", |c| c.nir = true),
        ("identifiers", |c| c.identifiers = true),
        ("addresses", |c| c.addresses = true),
        ("zips", |c| c.zips = true),
        ("names", |c| c.names = true),
        ("hl7", |c| c.hl7 = true),
    ];
    for (name, enable) in families {
        let mut cfg = none.clone();
        enable(&mut cfg);
        let rules = Rules::new(&cfg).expect("rules compile");
        let mut out = Vec::new();
        let t = Instant::now();
        for d in corpus {
            out.clear();
            rules.detect(d, &mut out);
        }
        println!(
            "{name:<12} {:.1} MB/s",
            bytes as f64 / 1e6 / t.elapsed().as_secs_f64()
        );
    }
}
