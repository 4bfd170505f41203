//! The self-contained HTML report: summary, per-label table, an SVG bar chart of per-label F1,
//! and every document with gold and predicted spans highlighted, documents with errors first.
//! No network access: CSS and JS are inline. All text is escaped.

use crate::report::{Interval, Report};
use std::collections::BTreeMap;
use std::fmt::Write;
use voile_core::corpus::{OffsetMap, Record};
use voile_core::Span;

/// Documents rendered at most (errors first); the page says how many were left out.
const MAX_DOCS: usize = 2000;

/// How a group of overlapping gold/predicted spans is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Verdict {
    /// One gold and one prediction with the same offsets and label (green).
    Correct,
    /// Same labels, different boundaries (yellow).
    Boundary,
    /// A prediction overlaps gold of another label (purple).
    WrongLabel,
    /// Gold with no overlapping prediction (red).
    Missed,
    /// Prediction overlapping no gold (orange).
    Spurious,
}

impl Verdict {
    fn class(self) -> &'static str {
        match self {
            Verdict::Correct => "correct",
            Verdict::Boundary => "boundary",
            Verdict::WrongLabel => "wrong",
            Verdict::Missed => "missed",
            Verdict::Spurious => "spurious",
        }
    }
}

/// A maximal run of mutually overlapping gold/predicted spans.
struct Cluster<'a> {
    start: usize,
    end: usize,
    gold: Vec<&'a Span>,
    pred: Vec<&'a Span>,
}

impl Cluster<'_> {
    fn verdict(&self) -> Verdict {
        match (self.gold.as_slice(), self.pred.as_slice()) {
            ([], _) => Verdict::Spurious,
            (_, []) => Verdict::Missed,
            ([g], [p]) if g.start == p.start && g.end == p.end && g.label == p.label => {
                Verdict::Correct
            }
            (gs, ps) if ps.iter().all(|p| gs.iter().all(|g| g.label == p.label)) => {
                Verdict::Boundary
            }
            _ => Verdict::WrongLabel,
        }
    }
}

fn clusters<'a>(gold: &'a [Span], pred: &'a [Span]) -> Vec<Cluster<'a>> {
    let mut all: Vec<(&Span, bool)> = gold
        .iter()
        .map(|s| (s, true))
        .chain(pred.iter().map(|s| (s, false)))
        .collect();
    all.sort_by_key(|(s, is_gold)| (s.start, s.end, !is_gold));
    let mut out: Vec<Cluster> = Vec::new();
    for (s, is_gold) in all {
        let joins = out.last().is_some_and(|c| s.start < c.end);
        if !joins {
            out.push(Cluster {
                start: s.start,
                end: s.end,
                gold: Vec::new(),
                pred: Vec::new(),
            });
        }
        let c = out.last_mut().expect("pushed above");
        c.end = c.end.max(s.end);
        if is_gold {
            c.gold.push(s);
        } else {
            c.pred.push(s);
        }
    }
    out
}

/// HTML-escape text for element content and quoted attributes.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.25em .7em;text-align:right;border-bottom:1px solid #eee}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
.doc{border:1px solid #ddd;border-radius:6px;margin:1em 0;padding:.5em 1em}
.doc h3{font-size:1em;margin:.3em 0;font-family:monospace}
.text{white-space:pre-wrap;font-family:Georgia,serif;line-height:1.9;margin:0}
mark{border-radius:3px;padding:1px 2px;cursor:help}
mark.correct{background:#b8e6b8}mark.boundary{background:#fde68a}mark.wrong{background:#d8b4fe}
mark.missed{background:#fca5a5}mark.spurious{background:#fdba74}
.tag{font:600 .62em system-ui,sans-serif;vertical-align:super;color:#555;margin-left:1px}
.legend mark{margin-right:.8em}.muted{color:#777}
body.errors-only .doc[data-errors="0"]{display:none}
"#;

const SCRIPT: &str = r#"
document.getElementById('errors-only').addEventListener('change',function(e){
  document.body.classList.toggle('errors-only',e.target.checked);
});
"#;

impl Report {
    /// One self-contained HTML page (see the module doc). `gold` and `pred` are the records
    /// the report was computed from (labels already mapped); predictions align by id.
    /// The page shows document text: share it only where the corpus may be read.
    pub fn to_html(&self, gold: &[Record], pred: &[Record]) -> String {
        let mut h = String::new();
        h.push_str("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">");
        h.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        h.push_str("<title>voile evaluation report</title><style>");
        h.push_str(STYLE);
        h.push_str("</style></head><body>\n<h1>voile evaluation report</h1>\n");
        self.html_summary(&mut h);
        self.html_per_label(&mut h);
        self.html_chart(&mut h);
        html_documents(&mut h, gold, pred);
        h.push_str("<script>");
        h.push_str(SCRIPT);
        h.push_str("</script>\n</body></html>\n");
        h
    }

    fn html_summary(&self, h: &mut String) {
        let d = &self.documents;
        let ci = |i: Option<Interval>| match i {
            Some(i) => format!("[{:.4}, {:.4}]", i.low, i.high),
            None => "—".to_string(),
        };
        let _ = writeln!(h, "<h2>Summary</h2><table id=\"summary\"><tr><th>measure</th><th>value</th><th>95% CI</th></tr>");
        let mut row = |name: &str, v: String, c: String| {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(name),
                v,
                c
            );
        };
        row("documents", d.count.to_string(), String::new());
        row(
            "gold / predicted spans",
            format!("{} / {}", d.gold_spans, d.pred_spans),
            String::new(),
        );
        row(
            "strict micro P / R / F1",
            prf3(
                self.strict.micro.precision,
                self.strict.micro.recall,
                self.strict.micro.f1,
            ),
            ci(self.ci.strict_micro_f1),
        );
        row(
            "strict macro P / R / F1",
            prf3(
                self.strict.macro_.precision,
                self.strict.macro_.recall,
                self.strict.macro_.f1,
            ),
            String::new(),
        );
        row(
            "overlap micro P / R / F1",
            prf3(
                self.overlap.micro.precision,
                self.overlap.micro.recall,
                self.overlap.micro.f1,
            ),
            String::new(),
        );
        let (cs, co) = (&self.category.strict.micro, &self.category.overlap.micro);
        row(
            "category strict micro P / R / F1",
            prf3(cs.precision, cs.recall, cs.f1),
            String::new(),
        );
        row(
            "category overlap micro P / R / F1",
            prf3(co.precision, co.recall, co.f1),
            String::new(),
        );
        row(
            "token P / R / F1",
            prf3(self.token.precision, self.token.recall, self.token.f1),
            String::new(),
        );
        row(
            "leak rate",
            format!(
                "{:.4} ({} / {} tokens)",
                self.leak_rate, self.token.fn_, self.token.gold
            ),
            ci(self.ci.leak_rate),
        );
        row(
            "full redaction",
            format!(
                "{:.4} ({} / {} documents)",
                self.full_redact, d.fully_redacted, d.count
            ),
            String::new(),
        );
        if !d.missing_predictions.is_empty() {
            row(
                "documents without prediction record",
                d.missing_predictions.len().to_string(),
                String::new(),
            );
        }
        if let Some(t) = &self.throughput {
            row(
                "throughput",
                format!(
                    "{:.1} docs/s, {:.3} MB/s, {} cores",
                    t.docs_per_second, t.mb_per_second, t.cores
                ),
                String::new(),
            );
        }
        h.push_str("</table>\n");
    }

    fn html_per_label(&self, h: &mut String) {
        h.push_str("<h2>Per label (strict)</h2><table id=\"per-label\"><tr><th>label</th><th>P</th><th>R</th><th>F1</th><th>support</th><th>tp</th><th>fp</th><th>fn</th><th>overlap F1</th></tr>\n");
        for (label, p) in &self.strict.per_label {
            let of1 = self.overlap.per_label.get(label).map_or(0.0, |o| o.f1);
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{:.4}</td><td>{:.4}</td><td>{:.4}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.4}</td></tr>",
                escape(label), p.precision, p.recall, p.f1, p.support, p.tp, p.fp, p.fn_, of1
            );
        }
        h.push_str("</table>\n");
    }

    fn html_chart(&self, h: &mut String) {
        let labels = &self.strict.per_label;
        let (bar_h, left, width) = (20usize, 150usize, 420.0f64);
        let height = labels.len() * bar_h + 30;
        let _ = writeln!(h, "<h2>Per-label strict F1</h2><svg id=\"f1-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"{height}\" role=\"img\" aria-label=\"per-label F1\">");
        for (i, (label, p)) in labels.iter().enumerate() {
            let y = 10 + i * bar_h;
            let w = p.f1 * width;
            let _ = writeln!(
                h,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text><rect x=\"{left}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"#4f81bd\"><title>{} F1 {:.4}</title></rect><text x=\"{:.1}\" y=\"{}\" font-size=\"11\">{:.3}</text>",
                left - 6, y + 14, escape(label), y + 2, bar_h - 5, escape(label), p.f1, left as f64 + w + 4.0, y + 14, p.f1
            );
        }
        let _ = writeln!(
            h,
            "<line x1=\"{left}\" y1=\"5\" x2=\"{left}\" y2=\"{}\" stroke=\"#888\"/></svg>",
            height - 15
        );
    }
}

fn prf3(p: f64, r: f64, f: f64) -> String {
    format!("{p:.4} / {r:.4} / {f:.4}")
}

/// One document as rendered: sorted spans of both sides and its number of error marks.
struct DocView<'a> {
    index: usize,
    record: &'a Record,
    gold: Vec<Span>,
    pred: Vec<Span>,
    errors: usize,
}

fn html_documents(h: &mut String, gold: &[Record], pred: &[Record]) {
    let by_id: BTreeMap<&str, &Record> = pred.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut docs: Vec<DocView> = gold
        .iter()
        .enumerate()
        .map(|(index, g)| {
            let mut gold = g.spans.clone();
            gold.sort_by_key(|s| (s.start, s.end));
            let mut pred = by_id
                .get(g.id.as_str())
                .map(|p| p.spans.clone())
                .unwrap_or_default();
            pred.sort_by_key(|s| (s.start, s.end));
            let errors = clusters(&gold, &pred)
                .iter()
                .filter(|c| c.verdict() != Verdict::Correct)
                .count();
            DocView {
                index,
                record: g,
                gold,
                pred,
                errors,
            }
        })
        .collect();
    docs.sort_by_key(|d| (d.errors == 0, d.index));
    let with_errors = docs.iter().filter(|d| d.errors > 0).count();
    let _ = writeln!(
        h,
        "<h2>Documents</h2><p>{} documents, {} with errors (shown first). <label><input type=\"checkbox\" id=\"errors-only\"> only documents with errors</label></p>",
        docs.len(),
        with_errors
    );
    h.push_str("<p class=\"legend\"><mark class=\"correct\">correct</mark><mark class=\"boundary\">right label, wrong boundaries</mark><mark class=\"wrong\">wrong label</mark><mark class=\"missed\">missed gold</mark><mark class=\"spurious\">spurious prediction</mark> <span class=\"muted\">hover a mark for gold and predicted labels and code-point offsets</span></p>\n<div id=\"documents\">\n");
    for d in docs.iter().take(MAX_DOCS) {
        let errors = d.errors;
        let _ = write!(
            h,
            "<section class=\"doc\" data-errors=\"{errors}\"><h3>{} <span class=\"muted\">— {errors} error{}</span></h3><pre class=\"text\">",
            escape(&d.record.id),
            if errors == 1 { "" } else { "s" }
        );
        render_text(h, &d.record.text, &d.gold, &d.pred);
        h.push_str("</pre></section>\n");
    }
    if docs.len() > MAX_DOCS {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{} more documents not shown.</p>",
            docs.len() - MAX_DOCS
        );
    }
    h.push_str("</div>\n");
}

fn render_text(h: &mut String, text: &str, gold: &[Span], pred: &[Span]) {
    let map = OffsetMap::new(text);
    let mut pos = 0;
    for c in clusters(gold, pred) {
        h.push_str(&escape(&text[pos..c.start]));
        let v = c.verdict();
        let describe = |side: &str, spans: &[&Span]| -> String {
            let parts: Vec<String> = spans
                .iter()
                .map(|s| {
                    format!(
                        "{} {}–{}",
                        s.label.as_str(),
                        map.byte_to_cp(s.start),
                        map.byte_to_cp(s.end)
                    )
                })
                .collect();
            format!(
                "{side}: {}",
                if parts.is_empty() {
                    "none".to_string()
                } else {
                    parts.join(", ")
                }
            )
        };
        let title = format!(
            "{} | {} | {}",
            v.class(),
            describe("gold", &c.gold),
            describe("pred", &c.pred)
        );
        let tag = match v {
            Verdict::Correct | Verdict::Boundary | Verdict::Missed => {
                c.gold[0].label.as_str().to_string()
            }
            Verdict::Spurious => c.pred[0].label.as_str().to_string(),
            _ => format!("{}→{}", c.gold[0].label.as_str(), c.pred[0].label.as_str()),
        };
        let _ = write!(
            h,
            "<mark class=\"{}\" title=\"{}\">{}</mark><span class=\"tag\">{}</span>",
            v.class(),
            escape(&title),
            escape(&text[c.start..c.end]),
            escape(&tag)
        );
        pos = c.end;
    }
    h.push_str(&escape(&text[pos..]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{evaluate, EvalOptions};
    use voile_core::Label;

    #[test]
    fn verdicts_and_escaping() {
        let mut g = Record::new("d<1>", "<b>Jean</b> & DUPONT à Nantes le 3");
        // bytes: "<b>"0..3 Jean 3..7 "</b>" 7..11 " & " DUPONT 14..20 " à " (à 2 bytes) Nantes 24..30
        g.spans = vec![
            Span::new(3, 7, Label::Prenom, "gold", 1.0),
            Span::new(14, 20, Label::Nom, "gold", 1.0),
            Span::new(24, 30, Label::Ville, "gold", 1.0),
        ];
        let mut p = Record::new("d<1>", g.text.clone());
        p.spans = vec![
            Span::new(3, 7, Label::Prenom, "x", 1.0),
            Span::new(14, 18, Label::Nom, "x", 1.0),
            Span::new(34, 35, Label::Date, "x", 1.0),
        ];
        let r = evaluate(
            std::slice::from_ref(&g),
            std::slice::from_ref(&p),
            &EvalOptions::default(),
        )
        .unwrap();
        let html = r.to_html(&[g], &[p]);
        assert!(html.contains("&lt;b&gt;<mark class=\"correct\""));
        assert!(html.contains("<mark class=\"boundary\""));
        assert!(html.contains("<mark class=\"missed\""));
        assert!(html.contains("<mark class=\"spurious\""));
        assert!(html.contains("d&lt;1&gt;"));
        assert!(!html.contains("<b>Jean"));
        assert!(html.contains("VILLE 23–29"), "tooltips use code points");
        assert!(html.contains("id=\"per-label\"") && html.contains("<svg id=\"f1-chart\""));
    }

    #[test]
    fn wrong_label_cluster() {
        let g = [Span::new(0, 5, Label::Ville, "g", 1.0)];
        let p = [Span::new(0, 5, Label::Nom, "p", 1.0)];
        let cs = clusters(&g, &p);
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].verdict(), Verdict::WrongLabel);
    }
}
