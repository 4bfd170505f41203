//! What a long run shows while it works: a progress bar on stderr when stderr is a terminal
//! (documents, MB, docs/s, ETA from the input sizes), and a one-line summary at the end
//! (documents, spans per label, bad records, time). `--quiet` turns both off. Nothing here
//! ever goes to stdout, which carries only data, and nothing names a document's text.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

pub struct Progress {
    cmd: &'static str,
    bar: Option<ProgressBar>,
    quiet: bool,
    started: Instant,
    docs: u64,
    bytes: u64,
    by_label: BTreeMap<String, u64>,
}

impl Progress {
    /// `total_bytes`: the inputs' total size (0 when unknown, e.g. stdin: no ETA then).
    pub fn new(cmd: &'static str, total_bytes: u64, quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| bar(total_bytes));
        Progress {
            cmd,
            bar,
            quiet,
            started: Instant::now(),
            docs: 0,
            bytes: 0,
            by_label: BTreeMap::new(),
        }
    }

    /// Account for `docs` documents written and `bytes` of input read.
    pub fn advance(&mut self, docs: usize, bytes: u64) {
        self.docs += docs as u64;
        self.bytes += bytes;
        if let Some(b) = &self.bar {
            b.set_position(self.bytes);
            b.set_message(format!("{} docs", self.docs));
        }
    }

    /// Count one span (or replacement) of `label` for the summary.
    pub fn count_label(&mut self, label: &str) {
        *self.by_label.entry(label.to_string()).or_default() += 1;
    }

    /// Clear the bar and print the summary line (unless quiet).
    pub fn finish(&self, what: &str, bad: usize) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        if !self.quiet {
            eprintln!(
                "voile {}: {}",
                self.cmd,
                summary(
                    self.docs,
                    self.bytes,
                    self.started.elapsed(),
                    what,
                    &self.by_label,
                    bad
                )
            );
        }
    }
}

fn bar(total_bytes: u64) -> ProgressBar {
    let b = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
    let template = if total_bytes > 0 {
        "{bar:30} {decimal_bytes}/{decimal_total_bytes} {msg} {decimal_bytes_per_sec} ETA {eta}"
    } else {
        "{spinner} {decimal_bytes} {msg} {decimal_bytes_per_sec}"
    };
    b.set_style(ProgressStyle::with_template(template).expect("a valid progress template"));
    b.enable_steady_tick(Duration::from_millis(250));
    b
}

/// `1,600 documents (3.1 MB) in 8.0 s (200 docs/s); 12,345 spans: DATE 4,001, NOM 3,200; 0 bad`.
fn summary(
    docs: u64,
    bytes: u64,
    elapsed: Duration,
    what: &str,
    by_label: &BTreeMap<String, u64>,
    bad: usize,
) -> String {
    let secs = elapsed.as_secs_f64().max(1e-3);
    let mut labels: Vec<(&String, &u64)> = by_label.iter().collect();
    labels.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let total: u64 = by_label.values().sum();
    let per_label: Vec<String> = labels
        .iter()
        .map(|(l, n)| format!("{l} {}", thousands(**n)))
        .collect();
    let detail = if per_label.is_empty() {
        String::new()
    } else {
        format!(": {}", per_label.join(", "))
    };
    format!(
        "{} documents ({:.1} MB) in {:.1} s ({:.0} docs/s); {} {what}{detail}; {} bad record(s)",
        thousands(docs),
        bytes as f64 / 1e6,
        secs,
        docs as f64 / secs,
        thousands(total),
        bad
    )
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn summary_lists_labels_most_frequent_first() {
        let mut by_label = BTreeMap::new();
        by_label.insert("NOM".to_string(), 3);
        by_label.insert("DATE".to_string(), 1200);
        let s = summary(
            1600,
            3_100_000,
            Duration::from_secs(8),
            "replacements",
            &by_label,
            2,
        );
        assert_eq!(
            s,
            "1,600 documents (3.1 MB) in 8.0 s (200 docs/s); 1,203 replacements: \
             DATE 1,200, NOM 3; 2 bad record(s)"
        );
    }

    #[test]
    fn a_quiet_or_piped_run_draws_no_bar() {
        let p = Progress::new("detect", 10, true);
        assert!(p.bar.is_none());
    }
}
