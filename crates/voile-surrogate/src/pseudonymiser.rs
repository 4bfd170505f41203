//! The rewrite: one pass over the text, each span replaced by its operator's output.

use crate::config::is_allowed_shift;
use crate::data::Data;
use crate::dates::{self, ParsedDate, Shift};
use crate::key::Keyed;
use crate::rng::FastMap;
use crate::rng::Rng;
use crate::text::fold_alnum;
use crate::{contact, ids, names, places, Key, Operator, ScopeKind, SurrogateConfig};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::ops::Range;
use voile_core::{Error, ErrorKind, Label, Span};
use voile_gazetteer::lists::Lists;

/// Which document is being pseudonymised and, when known, whose it is.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub document_id: &'a str,
    pub patient_id: Option<&'a str>,
}

/// One replaced span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replacement {
    pub label: Label,
    /// Byte range of the original in the input text.
    pub original: Range<usize>,
    /// Byte range of the replacement in the output text.
    pub output: Range<usize>,
    /// The operator actually applied (`tag` when a surrogate fell back, see `fallback`).
    pub operator: Operator,
    pub replacement: String,
    /// The configured surrogate could not be produced (e.g. an unreadable date) and the
    /// span was tagged instead.
    #[serde(default)]
    pub fallback: bool,
}

impl Replacement {
    /// The original surface, given the input text (for an authorised mapping export).
    pub fn original_text<'t>(&self, input: &'t str) -> &'t str {
        &input[self.original.clone()]
    }
}

/// A pseudonymised text and what was replaced where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pseudonymised {
    pub text: String,
    pub replacements: Vec<Replacement>,
}

impl Pseudonymised {
    /// Re-identification mapping rows `label TAB original TAB replacement` (tabs and line
    /// breaks in values turned into spaces), one per replacement, for an authorised party
    /// only: the rows contain the identifying text. `input` is the text that was
    /// pseudonymised.
    pub fn mapping_rows<'s>(&'s self, input: &'s str) -> impl Iterator<Item = String> + 's {
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        self.replacements.iter().map(move |r| {
            format!(
                "{}\t{}\t{}",
                r.label,
                clean(r.original_text(input)),
                clean(&r.replacement)
            )
        })
    }
}

/// Replaces identifiers per a [`SurrogateConfig`]. Immutable once built, `Send + Sync`:
/// share one across threads.
#[derive(Debug)]
pub struct Pseudonymiser {
    cfg: SurrogateConfig,
    keyed: Option<Keyed>,
    data: Data,
}

/// Per-document state derived from the key and scope (no state survives the call).
pub(crate) struct Ctx<'d> {
    pub(crate) data: &'d Data,
    keyed: &'d Keyed,
    scope: String,
    /// Keyed letter permutation without fixed points (initials and name first letters).
    pub(crate) perm: [u8; 26],
    pub(crate) shift: Shift,
    /// Shifted year and month of the scope's birth date, for NIR surrogates.
    pub(crate) birth_year_month: Option<(i32, u32)>,
    /// Folded first names and surnames written in the document (to read e-mail local parts).
    doc_first: Vec<String>,
    doc_surnames: Vec<String>,
}

impl<'d> Ctx<'d> {
    /// The generator of one entity: a pure function of key, scope, label tag, entity, attempt.
    pub(crate) fn rng(&self, tag: &str, entity: &str, attempt: u32) -> Rng {
        Rng::from_digest(&self.keyed.digest(&[
            tag.as_bytes(),
            self.scope.as_bytes(),
            entity.as_bytes(),
            &attempt.to_le_bytes(),
        ]))
    }

    pub(crate) fn is_first_name(&self, folded: &str) -> bool {
        self.doc_first.iter().any(|f| f == folded) || self.data.first_sex.contains_key(folded)
    }

    pub(crate) fn is_surname(&self, folded: &str) -> bool {
        self.doc_surnames.iter().any(|f| f == folded) || self.data.surname_set.contains(folded)
    }
}

const MAX_ATTEMPTS: u32 = 6;

impl Pseudonymiser {
    /// Build from a config, an optional key and the gazetteer lists. The `surrogate` and
    /// `hash` operators need a key.
    pub fn new(cfg: &SurrogateConfig, key: Option<Key>, lists: &Lists) -> Result<Self, Error> {
        cfg.validate()?;
        if key.is_none() && cfg.needs_key() {
            return Err(Error::new(ErrorKind::Config(
                "the surrogate and hash operators need a secret key: set the VOILE_KEY environment \
                 variable or pass --key-file FILE (at least 16 bytes), or ask explicitly for a random \
                 one-off key (--random-key, Key::random())"
                    .into(),
            )));
        }
        Ok(Pseudonymiser {
            cfg: cfg.clone(),
            keyed: key.as_ref().map(Key::keyed),
            data: Data::new(lists),
        })
    }

    pub fn config(&self) -> &SurrogateConfig {
        &self.cfg
    }

    /// A keyed, stable pseudonym of an identifier value (a patient id, say) for record
    /// linkage: 24 hex digits of HMAC-SHA256(key, `domain`, `value`). The same value and key
    /// always give the same pseudonym; `None` without a key.
    pub fn linkage_pseudonym(&self, domain: &str, value: &str) -> Option<String> {
        let keyed = self.keyed.as_ref()?;
        let digest = keyed.digest(&[b"linkage", domain.as_bytes(), value.as_bytes()]);
        Some(digest[..12].iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The scope identifier: kind-prefixed so a patient id never collides with a document id.
    fn scope_id(&self, scope: &Scope) -> String {
        match (self.cfg.scope, scope.patient_id) {
            (ScopeKind::Corpus, _) => "corpus".to_string(),
            (ScopeKind::Patient, Some(p)) => format!("patient:{p}"),
            _ => format!("document:{}", scope.document_id),
        }
    }

    /// The scope's date shift in days: uniform over the allowed values of the configured range.
    fn date_shift(&self, keyed: &Keyed, scope_id: &str) -> i32 {
        let (lo, hi) = (self.cfg.date_shift_min_days, self.cfg.date_shift_max_days);
        let mut rng = Rng::from_digest(&keyed.digest(&[b"date-shift", scope_id.as_bytes()]));
        let width = (hi as i64 - lo as i64 + 1) as u64;
        for _ in 0..1000 {
            let d = (lo as i64 + rng.below(width) as i64) as i32;
            if is_allowed_shift(d) {
                return d;
            }
        }
        (lo..=hi)
            .find(|&d| is_allowed_shift(d))
            .expect("validated range holds an allowed shift")
    }

    /// Replace every span of `text`. Spans are byte ranges (as produced by the detectors
    /// and `resolve`); out-of-range parts are ignored, overlaps are replaced once, offsets
    /// off a char boundary are widened to the enclosing characters.
    pub fn pseudonymise(&self, text: &str, spans: &[Span], scope: &Scope) -> Pseudonymised {
        let spans = clean_spans(text, spans);
        let dates = self.parse_dates(text, &spans);
        let ctx = self
            .keyed
            .as_ref()
            .map(|k| self.context(k, text, &spans, &dates, scope));
        let zip_city = zip_city_pairs(text, &spans);
        let mut out = String::with_capacity(text.len() + text.len() / 8 + 16);
        let mut replacements = Vec::with_capacity(spans.len());
        // Entities repeat within a document; their replacement is a pure function of
        // (label, surface, neighbouring city), so the first one is reused (lookup only).
        let mut seen: FastMap<MemoKey, (Range<usize>, Operator, bool)> = FastMap::default();
        seen.reserve(spans.len());
        let mut pos = 0;
        for (i, (range, label)) in spans.iter().enumerate() {
            out.push_str(&text[pos..range.start]);
            let start = out.len();
            let surface = &text[range.clone()];
            let job = Job {
                label: *label,
                surface,
                date: dates[i].as_ref(),
                city: zip_city[i].map(|j| &text[spans[j].0.clone()]),
            };
            let memo_key = (job.label, surface, job.city);
            let (operator, fallback) = match seen.get(&memo_key) {
                Some((prev, op, fb)) => {
                    out.extend_from_within(prev.clone());
                    (*op, *fb)
                }
                None => {
                    let r = self.apply(ctx.as_ref(), scope, &job, &mut out);
                    seen.insert(memo_key, (start..out.len(), r.0, r.1));
                    r
                }
            };
            replacements.push(Replacement {
                label: *label,
                original: range.clone(),
                output: start..out.len(),
                operator,
                replacement: out[start..].to_string(),
                fallback,
            });
            pos = range.end;
        }
        out.push_str(&text[pos..]);
        Pseudonymised {
            text: out,
            replacements,
        }
    }

    fn context<'d>(
        &'d self,
        keyed: &'d Keyed,
        text: &str,
        spans: &[(Range<usize>, Label)],
        dates: &[Option<ParsedDate>],
        scope: &Scope,
    ) -> Ctx<'d> {
        let scope_id = self.scope_id(scope);
        let days = self.date_shift(keyed, &scope_id);
        let perm = letter_permutation(keyed, &scope_id);
        let shift = Shift {
            days,
            ref_year: most_common_year(dates),
        };
        let birth_year_month = spans
            .iter()
            .zip(dates)
            .filter(|((_, l), _)| *l == Label::DateNaissance)
            .find_map(|(_, d)| d.as_ref()?.shifted_year_month(shift));
        let folded_of = |want: Label| -> Vec<String> {
            spans
                .iter()
                .filter(|(_, l)| *l == want)
                .flat_map(|(r, _)| {
                    names::split_words(&text[r.clone()])
                        .into_iter()
                        .map(|(w, _)| fold_alnum(w))
                })
                .filter(|w| w.len() > 1)
                .collect()
        };
        let has_mail = spans.iter().any(|(_, l)| *l == Label::Mail);
        Ctx {
            data: &self.data,
            keyed,
            scope: scope_id,
            perm,
            shift,
            birth_year_month,
            doc_first: if has_mail {
                folded_of(Label::Prenom)
            } else {
                Vec::new()
            },
            doc_surnames: if has_mail {
                folded_of(Label::Nom)
            } else {
                Vec::new()
            },
        }
    }

    /// Parse the dates to be surrogated once (also feeds the reference year and NIR hint).
    fn parse_dates(&self, text: &str, spans: &[(Range<usize>, Label)]) -> Vec<Option<ParsedDate>> {
        spans
            .iter()
            .map(|(r, l)| {
                let is_date = matches!(l, Label::Date | Label::DateNaissance);
                let wanted = is_date && self.cfg.operator(*l) == Operator::Surrogate
                    || *l == Label::DateNaissance
                        && self.cfg.operator(Label::Secu) == Operator::Surrogate;
                if wanted {
                    dates::parse(&text[r.clone()])
                } else {
                    None
                }
            })
            .collect()
    }

    /// Write one span's replacement; returns the operator applied and whether it fell back.
    fn apply(
        &self,
        ctx: Option<&Ctx>,
        scope: &Scope,
        job: &Job,
        out: &mut String,
    ) -> (Operator, bool) {
        let op = self.cfg.operator(job.label);
        match (op, ctx) {
            (Operator::Keep, _) => out.push_str(job.surface),
            (Operator::Tag, _) | (Operator::Surrogate | Operator::Hash, None) => {
                push_tag(job.label, out)
            }
            (Operator::Redact, _) => {
                let n = if self.cfg.redact_keep_length {
                    job.surface.chars().count()
                } else {
                    4
                };
                out.extend(std::iter::repeat_n(self.cfg.redact_char, n));
            }
            (Operator::Hash, Some(ctx)) => push_hash(ctx, job, out),
            (Operator::Surrogate, Some(ctx)) => {
                let start = out.len();
                if surrogate_with_retries(ctx, job, out) {
                    return (Operator::Surrogate, false);
                }
                out.truncate(start);
                push_tag(job.label, out);
                return (Operator::Tag, true);
            }
        }
        let _ = scope;
        (op, false)
    }
}

/// A replacement's identity within a document: label, surface, neighbouring city.
type MemoKey<'t> = (Label, &'t str, Option<&'t str>);

/// What the rewrite knows about one span.
struct Job<'t> {
    label: Label,
    surface: &'t str,
    date: Option<&'t ParsedDate>,
    /// For a ZIP: the city written next to it.
    city: Option<&'t str>,
}

fn push_tag(label: Label, out: &mut String) {
    out.push('[');
    out.push_str(label.as_str());
    out.push(']');
}

/// The normalised identity of an entity: names without particles, case, accents and
/// punctuation; everything else without case, accents and punctuation.
fn normalised(label: Label, surface: &str) -> String {
    match label {
        Label::Nom => names::surname_key(surface),
        _ => fold_alnum(surface),
    }
}

fn push_hash(ctx: &Ctx, job: &Job, out: &mut String) {
    let d = ctx.keyed.digest(&[
        b"hash",
        ctx.scope.as_bytes(),
        job.label.as_str().as_bytes(),
        normalised(job.label, job.surface).as_bytes(),
    ]);
    out.push_str(job.label.as_str());
    out.push('_');
    for b in &d[..4] {
        let _ = write!(out, "{b:02x}");
    }
}

/// Generate a surrogate that differs from the original (compared folded, alphanumerics
/// only), re-drawing deterministically with the next attempt number on a collision.
/// `false` when no distinct surrogate could be produced (unreadable date…).
fn surrogate_with_retries(ctx: &Ctx, job: &Job, out: &mut String) -> bool {
    let start = out.len();
    let original = fold_alnum(job.surface);
    for attempt in 0..MAX_ATTEMPTS {
        if !surrogate(ctx, job, attempt, out) {
            return false;
        }
        let new = &out[start..];
        if !new.is_empty() && fold_alnum(new) != original {
            return true;
        }
        out.truncate(start);
        if matches!(job.label, Label::Date | Label::DateNaissance) {
            return false; // a date's shift is fixed per scope: no re-draw possible
        }
    }
    false
}

fn surrogate(ctx: &Ctx, job: &Job, attempt: u32, out: &mut String) -> bool {
    let s = job.surface;
    match job.label {
        Label::Nom => names::surname(ctx, s, attempt, out),
        Label::Prenom => names::first_name(ctx, s, attempt, out),
        Label::Date | Label::DateNaissance => match job.date {
            Some(p) => dates::render(s, p, ctx.shift, out),
            None => return false,
        },
        Label::Ville => places::ville(ctx, s, attempt, out),
        Label::Zip => places::zip(ctx, s, job.city, attempt, out),
        Label::Adresse => places::address(ctx, s, attempt, out),
        Label::Hopital => places::hospital(ctx, s, attempt, out),
        Label::Tel => ids::phone(ctx, s, attempt, out),
        Label::Mail => contact::email(ctx, s, attempt, out),
        Label::Secu => {
            if ids::nir(ctx, s, attempt, out).is_none() {
                ids::shaped(ctx, "secu", s, attempt, out)
            }
        }
        Label::Id => {
            if ids::health_id(ctx, s, attempt, out).is_none() {
                ids::shaped(ctx, "id", s, attempt, out)
            }
        }
        Label::Ipp => ids::shaped(ctx, "ipp", s, attempt, out),
        Label::Nda => ids::shaped(ctx, "nda", s, attempt, out),
    }
    true
}

/// Sorted, non-overlapping, in-range spans on char boundaries.
fn clean_spans(text: &str, spans: &[Span]) -> Vec<(Range<usize>, Label)> {
    let mut v: Vec<(Range<usize>, Label)> = spans
        .iter()
        .filter_map(|s| {
            let mut start = s.start.min(text.len());
            let mut end = s.end.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            while !text.is_char_boundary(end) {
                end += 1;
            }
            (start < end).then_some((start..end, s.label))
        })
        .collect();
    v.sort_by_key(|(r, l)| (r.start, std::cmp::Reverse(r.end), *l));
    let mut out: Vec<(Range<usize>, Label)> = Vec::with_capacity(v.len());
    for (r, l) in v {
        match out.last() {
            // An overlapping span only contributes its part after the previous one, so no
            // identifying text escapes and nothing is replaced twice.
            Some((prev, _)) if r.start < prev.end => {
                if r.end > prev.end {
                    let s = prev.end;
                    out.push((s..r.end, l));
                }
            }
            _ => out.push((r, l)),
        }
    }
    out
}

/// For each ZIP span, the index of a VILLE span within 3 bytes of it on the same line.
fn zip_city_pairs(text: &str, spans: &[(Range<usize>, Label)]) -> Vec<Option<usize>> {
    let near = |a: &Range<usize>, b: &Range<usize>| {
        let (l, r) = if a.end <= b.start {
            (a.end, b.start)
        } else {
            (b.end, a.start)
        };
        r >= l && r - l <= 3 && !text[l..r].contains('\n')
    };
    (0..spans.len())
        .map(|i| {
            if spans[i].1 != Label::Zip {
                return None;
            }
            let neighbours = [i.checked_sub(1), Some(i + 1)];
            neighbours.into_iter().flatten().find(|&j| {
                spans
                    .get(j)
                    .is_some_and(|(r, l)| *l == Label::Ville && near(&spans[i].0, r))
            })
        })
        .collect()
}

/// The most common year of the document's dates (ties: the earliest).
fn most_common_year(dates: &[Option<ParsedDate>]) -> Option<i32> {
    let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
    for y in dates.iter().flatten().filter_map(ParsedDate::year) {
        *counts.entry(y).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(y, _)| y)
}

/// A keyed permutation of the 26 letters that moves every letter: shuffle, then map each
/// letter to the next one in the shuffled cycle.
fn letter_permutation(keyed: &Keyed, scope_id: &str) -> [u8; 26] {
    let mut rng = Rng::from_digest(&keyed.digest(&[b"letters", scope_id.as_bytes()]));
    let mut order: [u8; 26] = std::array::from_fn(|i| i as u8);
    for i in (1..26).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    let mut perm = [0u8; 26];
    for i in 0..26 {
        perm[order[i] as usize] = order[(i + 1) % 26];
    }
    perm
}
