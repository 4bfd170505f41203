//! The terminal summary of a [`Report`].

use crate::metrics::Prf;
use crate::report::{Interval, Report};
use std::fmt::Write;

impl Report {
    /// A fixed-width text table: per-label strict scores, averages, overlap and category
    /// micro scores, token scores, leak rate, full-redact share, intervals and throughput.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let d = &self.documents;
        let _ = writeln!(
            out,
            "{} documents, {} gold spans, {} predicted spans",
            d.count, d.gold_spans, d.pred_spans
        );
        if !d.missing_predictions.is_empty() {
            let _ = writeln!(
                out,
                "{} gold documents had no prediction record (scored as predicting nothing)",
                d.missing_predictions.len()
            );
        }
        out.push('\n');
        let _ = writeln!(out, "{}", header("strict"));
        for (label, p) in &self.strict.per_label {
            let _ = writeln!(out, "{}", row(label, p));
        }
        let _ = writeln!(out, "{}", "-".repeat(70));
        let _ = writeln!(out, "{}", row("micro", &self.strict.micro));
        let m = &self.strict.macro_;
        let _ = writeln!(
            out,
            "{:<16}{:>8.4}{:>8.4}{:>8.4}   ({} labels)",
            "macro", m.precision, m.recall, m.f1, m.labels
        );
        out.push('\n');
        let _ = writeln!(out, "{}", header("micro"));
        let _ = writeln!(out, "{}", row("overlap", &self.overlap.micro));
        let _ = writeln!(
            out,
            "{}",
            row("category strict", &self.category.strict.micro)
        );
        let _ = writeln!(
            out,
            "{}",
            row("category overlap", &self.category.overlap.micro)
        );
        let t = &self.token;
        let token = Prf {
            precision: t.precision,
            recall: t.recall,
            f1: t.f1,
            support: t.gold,
            tp: t.tp,
            fp: t.fp,
            fn_: t.fn_,
        };
        let _ = writeln!(out, "{}", row("token", &token));
        out.push('\n');
        let _ = writeln!(
            out,
            "leak rate        {:.4}  ({} of {} identifying tokens){}",
            self.leak_rate,
            t.fn_,
            t.gold,
            ci_text(self.ci.leak_rate)
        );
        let _ = writeln!(
            out,
            "full redaction   {:.4}  ({} of {} documents)",
            self.full_redact, d.fully_redacted, d.count
        );
        let _ = writeln!(
            out,
            "strict micro F1  {:.4}{}",
            self.strict.micro.f1,
            ci_text(self.ci.strict_micro_f1)
        );
        if let Some(tp) = &self.throughput {
            let _ = writeln!(
                out,
                "throughput       {:.1} docs/s, {:.3} MB/s on {} cores ({} docs, {:.2} s)",
                tp.docs_per_second, tp.mb_per_second, tp.cores, tp.docs, tp.seconds
            );
        }
        out
    }
}

fn header(first: &str) -> String {
    format!(
        "{:<16}{:>8}{:>8}{:>8}{:>9}{:>7}{:>7}{:>7}",
        first, "P", "R", "F1", "support", "tp", "fp", "fn"
    )
}

fn row(name: &str, p: &Prf) -> String {
    format!(
        "{:<16}{:>8.4}{:>8.4}{:>8.4}{:>9}{:>7}{:>7}{:>7}",
        name, p.precision, p.recall, p.f1, p.support, p.tp, p.fp, p.fn_
    )
}

fn ci_text(ci: Option<Interval>) -> String {
    match ci {
        Some(i) => format!("  95% CI [{:.4}, {:.4}]", i.low, i.high),
        None => String::new(),
    }
}
