//! DATE and DATE_NAISSANCE: numeric (`12/03/2021`, `2021-03-12`, `03/2021`), textual
//! (`mardi 3 mars 2021`, `1er fév.`), spelled-out (`deux janvier mille neuf cent…`), months
//! and bare years of events after a cue (`en novembre`, `depuis 2019`). Every candidate is
//! calendar-checked; a birth cue before it adds a DATE_NAISSANCE candidate that outranks it.

use crate::text::{
    after, before, ends_with_cue, fold, glued_after, glued_before, has_word, line_start, next_char,
    prev_char, words_rev,
};
use regex::Regex;
use voile_core::{Label, Span};

const SRC_DATE: &str = "rule:date";
const SRC_BIRTH: &str = "rule:ddn";

const WEEKDAYS: &str = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche";
const DAY_WORDS: &str = "premier|vingt[- ]et[- ]un|trente[- ]et[- ]un|vingt-(?:deux|trois|quatre|cinq|six|sept|huit|neuf)|dix-(?:sept|huit|neuf)|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|trente";
/// Full and abbreviated French month names; `rn` read for `m` by OCR is accepted in the
/// long names (`novernbre`).
const MONTHS: &str = r"(?:janvier|f[ée]vrier|(?:m|rn)ars|avril|mai|juin|juillet|ao[uû]t|septe(?:m|rn)bre|octobre|nove(?:m|rn)bre|d[ée]ce(?:m|rn)bre)(?-u:\b)|(?:janv|f[ée]vr?|avr|juil|sept|oct|nov|d[ée]c)(?-u:\b)\.?|(?:jan|sep)\.";

/// Compiled date patterns.
pub(crate) struct Dates {
    numeric: Regex,
    textual: Regex,
    year: Regex,
    /// A whole token: `14mar2019`, `12fev`, `janv2001`, `17-JUN-2025`.
    glued: Regex,
    /// Before a year: `Tue, 17 Jun 2025`, `Jun 17, 2025`.
    exported: Regex,
    /// A piece of every month word of `textual`, to run it on those lines only.
    month_triggers: crate::gate::Triggers,
}

/// Every spelling of [`MONTHS`] holds one of these (`rnars` holds `ars`, `févr.` `fév`).
const MONTH_TRIGGERS: [&str; 14] = [
    "jan", "fev", "fév", "ars", "avr", "mai", "jui", "aou", "aoû", "sep", "oct", "nov", "dec",
    "déc",
];

impl Dates {
    pub(crate) fn new() -> Result<Self, regex::Error> {
        let numeric = crate::text::compile(concat!(
            r"(?-u:\b)(?:([0-9]{1,2})[ ]?([/.\-])[ ]?([0-9]{1,2})[ ]?([/.\-])[ ]?([0-9]{4}|[0-9]{2})",
            r"|((?:19|20)[0-9]{2})([/.\-])([0-9]{1,2})([/.\-])([0-9]{1,2})",
            r"|([0-9]{1,2})[ ]?([/.\-])[ ]?((?:19|20)[0-9]{2})",
            r"|([0-9]{1,2})(/)([0-9]{1,2}))(?-u:\b)"
        ))?;
        let textual = crate::text::compile(&format!(
            r"(?i)(?-u:\b)(?:({WEEKDAYS})[ \t]+)?(?:(1er|1ier|[0-9]{{1,2}}|{DAY_WORDS})[ \t]+)?({MONTHS})(?:[ \t]+([0-9]{{4}}|[0-9]{{2}})(?-u:\b))?"
        ))?;
        let year = crate::text::compile(r"(?-u:\b)(?:19|20)[0-9]{2}(?-u:\b)")?;
        let mx = crate::lexicon::month_alternation();
        let wx = crate::lexicon::weekday_alternation();
        let glued = crate::text::compile(&format!(
            r"(?i)^(?:([0-9]{{1,2}})({mx})\.?([0-9]{{4}}|[0-9]{{2}})?|({mx})\.?([0-9]{{4}})|([0-9]{{1,2}})-({mx})\.?-([0-9]{{4}}|[0-9]{{2}}))$"
        ))?;
        let exported = crate::text::compile(&format!(
            r"(?i)(?-u:\b)(?:({wx})\.?(,?)[ \t]+)?(?:([0-9]{{1,2}})([ \-])({mx})\.?([ \-])([0-9]{{4}}|[0-9]{{2}})|({mx})\.?[ ]([0-9]{{1,2}})(,?)[ ]([0-9]{{4}}))(?-u:\b)"
        ))?;
        Ok(Dates {
            numeric,
            textual,
            year,
            glued,
            exported,
            month_triggers: crate::gate::Triggers::new(&[&MONTH_TRIGGERS]),
        })
    }

    pub(crate) fn detect(&self, text: &str, out: &mut Vec<Span>) {
        let runs = crate::text::digit_runs(text);
        self.detect_with(text, &runs, out);
    }

    /// [`Dates::detect`] with the text's digit runs already computed.
    pub(crate) fn detect_with(&self, text: &str, runs: &[(usize, usize)], out: &mut Vec<Span>) {
        self.detect_numeric(text, out);
        detect_compact(text, out);
        self.detect_textual(text, out);
        self.detect_years(text, out);
        self.detect_exported(text, runs, out);
    }

    pub(crate) fn detect_numeric(&self, text: &str, out: &mut Vec<Span>) {
        // Digits joined by `/`, `.` or `-` (a space on either side at most).
        let lines = crate::gate::lines_where(text, |l| {
            l.windows(2).any(|w| {
                matches!(w[0], b'/' | b'.' | b'-') && (w[1].is_ascii_digit() || w[1] == b' ')
            })
        });
        for c in crate::gate::captures(&self.numeric, text, &lines) {
            let m = c.get(0).expect("group 0");
            let (s, e) = (m.start(), m.end());
            if glued_before(text, s) || glued_after(text, e) {
                continue;
            }
            // Typed with spaces (`31 / 01 / 2009`, `07 / 1930`): only with `/` and the same
            // spacing on both sides, never for two-part day/month forms (`TA 12 / 8`).
            if m.as_str().contains(' ') && !evenly_spaced_slashes(m.as_str()) {
                // `12 / 03 /2021`: irregular spacing only with slashes and a 4-digit year.
                let full = c.get(1).is_some() && c[5].len() == 4;
                if !(full && only_slashes(m.as_str())) {
                    continue;
                }
            }
            let weekday = weekday_start(text, s);
            let num = |i: usize| c.get(i).map(|g| g.as_str().parse::<u32>().unwrap_or(0));
            let sep = |i: usize| c.get(i).map_or("", |g| g.as_str());
            let (score, ok) = if let Some(d) = num(1) {
                // d/m/y: same separator twice; short years with `.`/`-` need 2-digit day and month.
                let (mo, y_raw) = (num(3).unwrap_or(0), &c[5]);
                let y = expand_year(y_raw);
                let same_sep = sep(2) == sep(4);
                let strict =
                    sep(2) == "/" || (c[1].len() == 2 && c[3].len() == 2) || y_raw.len() == 4;
                let ok = same_sep && strict && valid_dmy(d, mo, y) && !score_context(text, s);
                (0.9, ok)
            } else if let Some(y) = num(6) {
                (
                    0.9,
                    sep(7) == sep(9) && valid_dmy(num(10).unwrap_or(0), num(8).unwrap_or(0), y),
                )
            } else if let Some(mo) = num(11) {
                let y = num(13).unwrap_or(0);
                (
                    0.85,
                    (1..=12).contains(&mo) && (1900..=2099).contains(&y) && !score_context(text, s),
                )
            } else {
                let (d, mo) = (num(14).unwrap_or(0), num(16).unwrap_or(0));
                let cue = weekday.is_some() || day_month_cue(text, s, e);
                (
                    0.8,
                    valid_dmy(d, mo, 2000) && cue && !fraction_tail(text, e),
                )
            };
            if ok && !unit_follows(text, e) {
                emit(text, weekday.unwrap_or(s), e, score, false, out);
            }
        }
    }

    pub(crate) fn detect_textual(&self, text: &str, out: &mut Vec<Span>) {
        let lines = self.month_triggers.lines(text).remove(0);
        for c in crate::gate::captures(&self.textual, text, &lines) {
            let mg = c.get(3).expect("month group");
            let month_end = mg.end();
            if next_char(text, month_end).is_some_and(|ch| ch.is_alphabetic()) {
                continue; // `maison`, `marsupial`
            }
            let month_txt = mg.as_str();
            let Some(month) = month_number(month_txt) else {
                continue;
            };
            let abbreviated = is_abbreviation(month_txt);
            let mut start = c.get(0).expect("group 0").start();
            let day = c.get(2).and_then(|d| parse_day(d.as_str()));
            if c.get(2).is_some() && day.is_none() {
                continue;
            }
            if c.get(1).is_some() && day.is_none() {
                start = mg.start();
            }
            if c.get(1).is_none() && day.is_some() {
                if let Some(ws) = weekday_start(text, start) {
                    start = ws; // `mar. 3 sept.`
                }
            }
            let (mut end, mut year) = (month_end, None);
            if let Some(y) = c.get(4) {
                let two_digits = y.as_str().len() == 2;
                let followed_by_word = after(text, y.end(), 3)
                    .trim_start()
                    .starts_with(|ch: char| ch.is_alphanumeric())
                    && after(text, y.end(), 1) == " ";
                if !two_digits || (day.is_some() && !followed_by_word) {
                    year = Some(expand_year(y.as_str()));
                    end = y.end();
                }
            } else if let Some((e, y)) = spelled_year(text, month_end) {
                year = Some(y);
                end = e;
            }
            if let Some(y) = year {
                if !(1900..=2099).contains(&y) {
                    continue;
                }
            }
            let score = match (day, year) {
                (Some(d), y) => {
                    if !valid_dmy(d, month, y.unwrap_or(2000)) || glued_before(text, start) {
                        continue;
                    }
                    if y.is_some() || !abbreviated {
                        0.92
                    } else {
                        0.85
                    }
                }
                (None, Some(_)) => 0.9,
                (None, None) => {
                    if abbreviated || !month_cue(text, mg.start()) {
                        continue;
                    }
                    0.75
                }
            };
            emit(
                text,
                start,
                end,
                score,
                year.is_some() && day.is_none(),
                out,
            );
            if day.is_some() {
                if let Some((s, e)) = range_start_day(text, start, month, year.unwrap_or(2000)) {
                    emit(text, s, e, 0.8, false, out);
                }
            }
        }
    }

    pub(crate) fn detect_years(&self, text: &str, out: &mut Vec<Span>) {
        for m in self.year.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if glued_before(text, s) || glued_after(text, e) {
                continue;
            }
            if let Some(score) = year_cue(text, s, e) {
                emit(text, s, e, score, true, out);
            }
        }
    }
}

impl Dates {
    /// Glued (`14mar2019`), exported/English (`17-JUN-2025`, `Tue, 17 Jun 2025`), ISO with a
    /// time (`2025-06-17T08:40`, date part only) and year ranges (`1971-1985`, two DATEs).
    /// Candidate-driven to stay cheap: tokens mixing digits and letters, and 4-digit years.
    pub(crate) fn detect_exported(&self, text: &str, runs: &[(usize, usize)], out: &mut Vec<Span>) {
        let b = text.as_bytes();
        let stop = |c: u8| c.is_ascii_whitespace() || matches!(c, b',' | b';' | b'(' | b')' | b'"');
        let letter = |c: u8| c.is_ascii_alphabetic() || c >= 0x80;
        let mut done = 0;
        for &(s, e) in runs {
            // A token mixing digits and letters around this run: a glued or dashed date.
            let lettered =
                (s > 0 && letter(b[s - 1])) || b.get(e).is_some_and(|&c| letter(c) || c == b'-');
            if lettered && s >= done {
                let mut ts = s;
                while ts > 0 && !stop(b[ts - 1]) && s - ts < 20 {
                    ts -= 1;
                }
                let mut te = e;
                while te < b.len() && !stop(b[te]) && te - e < 20 {
                    te += 1;
                }
                done = te;
                let ok_bounds = (ts == 0 || stop(b[ts - 1]))
                    && (te == b.len() || stop(b[te]))
                    && text.is_char_boundary(ts)
                    && text.is_char_boundary(te);
                if ok_bounds {
                    let te = ts + text[ts..te].trim_end_matches(['.', ':']).len();
                    if text[ts..te].bytes().any(letter) {
                        self.glued_token(text, ts, te, out);
                    }
                }
            }
            let year = e - s == 4 && (b[s..].starts_with(b"19") || b[s..].starts_with(b"20"));
            if year && !(s > 0 && b[s - 1].is_ascii_alphanumeric()) {
                self.around_year(text, s, out);
            }
        }
    }

    /// A whole token that is a glued or dashed date: `14mar2019`, `12fev`, `janv2001`,
    /// `17-JUN-2025`, `18-JUN-25`.
    fn glued_token(&self, text: &str, s: usize, e: usize, out: &mut Vec<Span>) {
        let Some(c) = self.glued.captures(&text[s..e]) else {
            return;
        };
        let (day, mo, year) = if let Some(mo) = c.get(2) {
            (c.get(1), mo.as_str(), c.get(3))
        } else if let Some(mo) = c.get(4) {
            (None, mo.as_str(), c.get(5))
        } else {
            (c.get(6), &c[7], c.get(8))
        };
        let Some(month) = crate::lexicon::month_of(&fold(mo)) else {
            return;
        };
        let y = year.map(|y| expand_year(y.as_str()));
        let d = day.map(|d| d.as_str().parse::<u32>().unwrap_or(0));
        let ok = match (d, y) {
            (Some(d), y) => valid_dmy(d, month, y.unwrap_or(2000)),
            (None, Some(y)) => (1900..=2099).contains(&y),
            (None, None) => false,
        };
        if ok {
            let score = match (c.get(6).is_some(), y.is_some()) {
                (true, _) => 0.9,
                (false, true) => 0.88,
                (false, false) => 0.8,
            };
            emit(text, s, e, score, d.is_none(), out);
        }
    }

    /// Forms ending with or starting at the 4-digit year at `p`.
    fn around_year(&self, text: &str, p: usize, out: &mut Vec<Span>) {
        let b = text.as_bytes();
        let e = p + 4;
        // `Tue, 17 Jun 2025`, `Jun 17, 2025`: the window before the year, same line.
        let ws = p - before(text, p, 40).len();
        if english_shape_before(&text[ws..p]) {
            if let Some(c) = self
                .exported
                .captures_iter(&text[ws..e])
                .find(|c| c.get(0).is_some_and(|m| m.end() == e - ws))
            {
                self.exported_match(text, ws, &c, out);
            }
        }
        // `2025-06-17T08:40`
        let digits = |r: std::ops::Range<usize>| {
            r.end <= b.len() && b[r.clone()].iter().all(u8::is_ascii_digit)
        };
        if b.get(e) == Some(&b'-')
            && digits(e + 1..e + 3)
            && b.get(e + 3) == Some(&b'-')
            && digits(e + 4..e + 6)
            && b.get(e + 6) == Some(&b'T')
            && digits(e + 7..e + 9)
            && !glued_before(text, p)
        {
            let n = |r: std::ops::Range<usize>| text[r].parse::<u32>().unwrap_or(0);
            if valid_dmy(n(e + 4..e + 6), n(e + 1..e + 3), n(p..e)) {
                emit(text, p, e + 6, 0.92, false, out);
            }
        }
        // `1971-1985`, `1990 – 2001`
        let rest = after(text, e, 12);
        let r = rest.strip_prefix(' ').unwrap_or(rest);
        let Some(r) = r.strip_prefix('-').or_else(|| r.strip_prefix('–')) else {
            return;
        };
        let r = r.strip_prefix(' ').unwrap_or(r);
        let q = e + (rest.len() - r.len());
        let rb = r.as_bytes();
        if rb.len() < 4
            || !(rb.starts_with(b"19") || rb.starts_with(b"20"))
            || !rb[..4].iter().all(u8::is_ascii_digit)
            || rb.get(4).is_some_and(u8::is_ascii_alphanumeric)
        {
            return;
        }
        let before_ok =
            !prev_char(text, p).is_some_and(|ch| ch.is_alphanumeric() || "-/._".contains(ch));
        let (ya, yb): (u32, u32) = (text[p..e].parse().unwrap_or(0), r[..4].parse().unwrap_or(0));
        if before_ok
            && !glued_after(text, q + 4)
            && ya < yb
            && yb - ya <= 80
            && !score_context(text, p)
        {
            emit(text, p, e, 0.8, true, out);
            emit(text, q, q + 4, 0.8, true, out);
        }
    }

    fn exported_match(&self, text: &str, off: usize, c: &regex::Captures<'_>, out: &mut Vec<Span>) {
        let m = c.get(0).expect("group 0");
        let (mut s, e) = (off + m.start(), off + m.end());
        if glued_after(text, e) {
            return;
        }
        let (d, mo, y) = if let Some(d) = c.get(3) {
            if c[4] != c[6] || &c[4] != " " {
                return; // dashed forms are whole tokens (`glued_token`)
            }
            (d.as_str(), &c[5], &c[7])
        } else {
            // `Jun 17, 2025`: the comma or a weekday says it is an English date.
            if c[10].is_empty() && c.get(1).is_none() {
                return;
            }
            (&c[9], &c[8], &c[11])
        };
        let Some(month) = crate::lexicon::month_of(&fold(mo)) else {
            return;
        };
        let d: u32 = d.parse().unwrap_or(0);
        if !valid_dmy(d, month, expand_year(y)) {
            return;
        }
        if c.get(1).is_none() {
            if glued_before(text, s) {
                return;
            }
            if let Some(ws) = weekday_start(text, s) {
                s = ws;
            }
        }
        emit(text, s, e, 0.9, false, out);
    }
}

/// Cheap test before the exported regex: the year follows a month word (`17 Jun 2025`) or
/// a day and a comma (`Jun 17, 2025`).
fn english_shape_before(head: &str) -> bool {
    let Some(h) = head.strip_suffix(' ') else {
        return false;
    };
    if let Some(h) = h.strip_suffix(',') {
        return h.ends_with(|c: char| c.is_ascii_digit());
    }
    let h = h.strip_suffix('.').unwrap_or(h);
    let w_len = h
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum::<usize>();
    (3..=12).contains(&w_len) && crate::lexicon::month_of(&fold(&h[h.len() - w_len..])).is_some()
}

/// Start of a weekday word right before `s` (`mar. 3/09`, `Jeudi 12/06/2025`, `Tue, 17/06`):
/// French words as they are, English ones only with their comma.
fn weekday_start(text: &str, s: usize) -> Option<usize> {
    let b = before(text, s, 16);
    let t = b.trim_end_matches([' ', '\t']);
    if t.len() == b.len() {
        return None;
    }
    let comma = t.ends_with(',');
    let t = t.trim_end_matches([',', '.']);
    let w_len = t
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum::<usize>();
    if w_len < 3 {
        return None;
    }
    let w = fold(&t[t.len() - w_len..]);
    let french = w.ends_with("di")
        || ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"].contains(&w.as_str());
    if !crate::lexicon::weekdays().contains(&w.as_str()) || !(french || comma) {
        return None;
    }
    let ws = s - b.len() + t.len() - w_len;
    (!prev_char(text, ws).is_some_and(char::is_alphanumeric)).then_some(ws)
}

/// `DDMMYYYY` or `YYYYMMDD` without separators (`23112009`), a valid calendar date.
pub(crate) fn compact_date(s: &str) -> bool {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    valid_dmy(n(0..2), n(2..4), n(4..8)) || valid_dmy(n(6..8), n(4..6), n(0..4))
}

/// Compact dates after a date cue on the same line (`Date de prélèvement : 23112009`,
/// `né le 01021960`): without a cue eight digits are as likely an identifier.
fn detect_compact(text: &str, out: &mut Vec<Span>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 8 <= b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let mut e = i;
        while e < b.len() && b[e].is_ascii_digit() {
            e += 1;
        }
        if e - i == 8 && !glued_after(text, e) && compact_date(&text[i..e]) {
            if compact_cue(text, i) {
                emit(text, i, e, 0.85, false, out);
            }
        } else if (e - i == 12 || e - i == 14) && !glued_after(text, e) && timestamp(&text[i..e]) {
            // `20250617084000` (HL7 TS, exports): one token, the date with its time.
            emit(text, i, e, 0.85, false, out);
        }
        i = e.max(i + 1);
    }
}

/// A date cue on the line before a separator-less date (`Date de prélèvement :`, `né le`,
/// `DDN :`): without one, eight digits are as likely an identifier.
pub(crate) fn compact_cue(text: &str, i: usize) -> bool {
    let line = fold(&text[crate::text::line_start(text, i)..i]);
    let t = line.trim_end_matches(|c: char| c.is_whitespace() || ":=-|".contains(c));
    let prev = t.split_whitespace().next_back().unwrap_or("");
    line.contains("date")
        || matches!(
            prev,
            "le" | "du" | "au" | "ne" | "nee" | "ddn" | "depuis" | "naissance" | "dob"
        )
}

/// `YYYYMMDDHHMM[SS]` with a valid calendar date and clock time.
fn timestamp(s: &str) -> bool {
    let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(99);
    valid_dmy(n(6..8), n(4..6), n(0..4))
        && n(8..10) < 24
        && n(10..12) < 60
        && (s.len() == 12 || n(12..14) < 60)
}

/// Every non-digit, non-space char is a `/`.
fn only_slashes(date: &str) -> bool {
    date.chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '/')
}

/// `3/4 de dose`: a fraction of something, not a day and month.
fn fraction_tail(text: &str, e: usize) -> bool {
    let f = fold(after(text, e, 12));
    ["de ", "d'", "des ", "du "]
        .iter()
        .any(|w| f.trim_start().starts_with(w))
        && f.starts_with(' ')
}

/// `31 / 01 / 2009`: every separator is ` / `.
fn evenly_spaced_slashes(date: &str) -> bool {
    let separators = date
        .matches(|c: char| !c.is_ascii_digit() && c != ' ')
        .count();
    separators > 0 && date.matches(" / ").count() == separators
}

/// `du 5 au 12 février`: the bare first day of a range shares the second date's month.
fn range_start_day(text: &str, start: usize, month: u32, year: u32) -> Option<(usize, usize)> {
    let head = before(text, start, 24);
    let base = start - head.len();
    let t = head.trim_end();
    let t = ["au", "et", "-", "à", "a"]
        .iter()
        .find_map(|j| t.strip_suffix(j))?;
    if !t.ends_with(' ') && !t.ends_with(|c: char| c.is_ascii_digit() || c == 'r') {
        return None;
    }
    let t = t.trim_end();
    let num_end = t.len();
    let t = t.strip_suffix("er").unwrap_or(t);
    let digits = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if !(1..=2).contains(&digits) {
        return None;
    }
    let num_start = t.len() - digits;
    let d: u32 = t[num_start..].parse().ok()?;
    let lead = fold(&t[..num_start]);
    let cue = ["du", "entre", "les", "le"]
        .iter()
        .any(|c| ends_with_cue(&lead, c));
    (cue && valid_dmy(d, month, year)).then_some((base + num_start, base + num_end))
}

/// Push a DATE candidate, plus a DATE_NAISSANCE one that outranks it in a birth context.
pub(crate) fn emit(
    text: &str,
    s: usize,
    e: usize,
    score: f32,
    year_like: bool,
    out: &mut Vec<Span>,
) {
    out.push(Span::new(s, e, Label::Date, SRC_DATE, score));
    if let Some(b) = birth_context(text, s, year_like) {
        out.push(Span::new(
            s,
            e,
            Label::DateNaissance,
            SRC_BIRTH,
            b.max(score + 0.03).min(0.99),
        ));
    }
}

/// Score of a birth cue right before `start` (`né le`, `DDN :`, `date de naissance`), or
/// a weaker one for `né à Lyon le`.
fn birth_context(text: &str, start: usize, year_like: bool) -> Option<f32> {
    let raw = before(text, start, 48);
    if !raw.bytes().any(|b| matches!(b, b'n' | b'N' | b'b' | b'B')) {
        return None; // every birth cue has an `n` (né, DDN, naissance) or a `b` (DOB)
    }
    let mut f = fold(raw);
    if f.contains('(') {
        f = f.replace("(e)", "").replace("(ee)", "");
    }
    let mut t = f
        .trim_end_matches(|c: char| c.is_whitespace() || ":=-–(,|".contains(c))
        .to_string();
    for art in ["le", "en", "du", "depuis", "l'an"] {
        if ends_with_cue(&t, art) {
            t.truncate(t.len() - art.len());
            break;
        }
    }
    const CUES: [&str; 14] = [
        "ne",
        "nee",
        "nes",
        "ddn",
        "d.d.n",
        "d.d.n.",
        "dob",
        "naissance",
        "naiss",
        "naiss.",
        "date naissance",
        "nait",
        "date de naissance",
        "annee de naissance",
    ];
    if CUES.iter().any(|c| ends_with_cue(&t, c)) {
        return Some(0.97);
    }
    if !year_like
        && (has_word(&f, "ne a")
            || has_word(&f, "nee a")
            || has_word(&f, "ne au")
            || has_word(&f, "nee au"))
    {
        return Some(0.93);
    }
    None
}

/// `Apgar 9/10/10`, `NYHA`… : a numeric triple that is a score, not a date.
fn score_context(text: &str, s: usize) -> bool {
    let f = fold(before(text, s, 24));
    ["apgar", "nyha", "eva", "glasgow", "score", "version", "v."]
        .iter()
        .any(|w| has_word(&f, w))
}

/// `21/11/25 cm`: a measurement triple, not a date.
fn unit_follows(text: &str, e: usize) -> bool {
    let f = fold(after(text, e, 12));
    let w = f
        .trim_start()
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    f.starts_with(' ')
        && [
            "cm", "mm", "m", "mg", "g", "ml", "l", "kg", "ui", "mmhg", "cc", "µg", "ng",
        ]
        .contains(&w)
}

/// `le 12/03`, `du 3/4 au 5/4`: a day/month pair needs an article cue and no fraction tail.
fn day_month_cue(text: &str, s: usize, e: usize) -> bool {
    let f = fold(before(text, s, 16));
    let tail = after(text, e, 5);
    if tail.starts_with(" de") || tail.starts_with(" des") || tail.starts_with(" du ") {
        return false;
    }
    // `du 1/3 moyen`: fractions of a bone or an organ follow `du`/`au`.
    let next_word = fold(after(text, e, 16));
    let next_word = next_word
        .trim_start()
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    const ANATOMY: [&str; 22] = [
        // posology and counts: `le 1/2 comprimé`, `rdv 2/3 séances`
        "cp",
        "comprime",
        "gelule",
        "sachet",
        "ampoule",
        "dose",
        "flacon",
        "seance",
        "point",
        "pts",
        "moyen",
        "inferieur",
        "superieur",
        "externe",
        "interne",
        "proximal",
        "distal",
        "anterieur",
        "posterieur",
        "median",
        "lateral",
        "medial",
    ];
    if ANATOMY.iter().any(|w| next_word.starts_with(w)) {
        return false;
    }
    let two_digit_month = text[s..e]
        .split(['/', '.'])
        .nth(1)
        .is_some_and(|m| m.len() == 2);
    let strong = [
        "le",
        "depuis le",
        "des le",
        "jusqu'au",
        "rdv",
        "rendez-vous",
        "rendez vous",
    ]
    .iter()
    .any(|c| ends_with_cue(&f, c));
    let weak = ["du", "au"].iter().any(|c| ends_with_cue(&f, c));
    (strong || (weak && two_digit_month)) && !score_context(text, s)
}

/// A month name alone is a date only after a cue of time (`en mars`, `début novembre`).
fn month_cue(text: &str, s: usize) -> bool {
    let f = fold(before(text, s, 30));
    let t = f.trim_end_matches(|c: char| c.is_whitespace() || c == '-');
    const CUES: [&str; 17] = [
        "en",
        "depuis",
        "debut",
        "fin",
        "mi",
        "courant",
        "mois de",
        "des",
        "avant",
        "apres",
        "entre",
        "vers",
        "jusqu'en",
        "d'ici",
        "partir de",
        "et",
        "ou",
    ];
    CUES.iter().any(|c| ends_with_cue(t, c))
}

/// A bare year is a date after a cue of time (`en 2015`, `depuis 2019`), in parentheses
/// `(2012)`, or opening a history line (`2015 : cholécystectomie`).
fn year_cue(text: &str, s: usize, e: usize) -> Option<f32> {
    let before_txt = before(text, s, 40);
    let f = fold(before_txt);
    let t = f.trim_end_matches(|c: char| c.is_whitespace() || c == '-');
    let prev = words_rev(t).next().unwrap_or("");
    let tail = after(text, e, 12);
    const CUES: [&str; 17] = [
        "en",
        "depuis",
        "des",
        "annee",
        "courant",
        "printemps",
        "ete",
        "automne",
        "hiver",
        "fin",
        "debut",
        "mi",
        "vers",
        "avant",
        "apres",
        "entre",
        "an",
    ];
    let ends_with_word = t.ends_with(prev) && !prev.is_empty();
    if ends_with_word && CUES.contains(&prev) {
        return Some(0.8);
    }
    if ends_with_word && matches!(prev, "et" | "a" | "au") && has_year(before_txt) {
        return Some(0.8);
    }
    if ends_with_word
        && prev == "de"
        && (tail.starts_with(" à ") || tail.starts_with(" a ") || tail.starts_with(" au "))
    {
        return Some(0.8);
    }
    if prev_char(text, s) == Some('(') && next_char(text, e) == Some(')') {
        return Some(0.7);
    }
    let ls = line_start(text, s);
    let head = &text[ls..s];
    let at_line_start = ls == 0 || text.as_bytes()[ls - 1] == b'\n';
    if at_line_start
        && head
            .trim_matches(|c: char| c.is_whitespace() || "-•*·".contains(c))
            .is_empty()
        && (tail.trim_start().starts_with(':')
            || tail.starts_with(" - ")
            || tail.starts_with(" – "))
    {
        return Some(0.75);
    }
    None
}

fn has_year(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(4)
        .any(|w| (w.starts_with(b"19") || w.starts_with(b"20")) && w.iter().all(u8::is_ascii_digit))
}

fn expand_year(y: &str) -> u32 {
    let v: u32 = y.parse().unwrap_or(0);
    if y.len() == 2 {
        // Two-digit years: 00–39 are 20xx, 40–99 are 19xx (clinical records of living people).
        if v < 40 {
            2000 + v
        } else {
            1900 + v
        }
    } else {
        v
    }
}

pub(crate) fn valid_dmy(d: u32, m: u32, y: u32) -> bool {
    (1900..=2099).contains(&y)
        && (1..=12).contains(&m)
        && d >= 1
        && d <= voile_core::calendar::days_in_month(y as i32, m)
}

fn month_number(m: &str) -> Option<u32> {
    let f = unrn(fold(m));
    let k = f.trim_end_matches('.');
    let n = match k.get(..3)? {
        "jan" => 1,
        "fev" => 2,
        "mar" => 3,
        "avr" => 4,
        "mai" => 5,
        "jui" if k.starts_with("juil") => 7,
        "jui" => 6,
        "aou" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// A folded full month name (`mai`, `aout`).
pub(crate) fn is_month_word(folded: &str) -> bool {
    month_number(folded).is_some() && !is_abbreviation(folded)
}

/// OCR reads `m` as `rn` (`novernbre`, `rnars`): undo it in a folded month word.
fn unrn(f: String) -> String {
    if f.contains("rn") {
        f.replace("rn", "m")
    } else {
        f
    }
}

fn is_abbreviation(m: &str) -> bool {
    let k = unrn(fold(m));
    let k = k.trim_end_matches('.');
    !matches!(
        k,
        "janvier"
            | "fevrier"
            | "mars"
            | "avril"
            | "mai"
            | "juin"
            | "juillet"
            | "aout"
            | "septembre"
            | "octobre"
            | "novembre"
            | "decembre"
    )
}

fn parse_day(d: &str) -> Option<u32> {
    let f = fold(d);
    if f == "1er" || f == "1ier" {
        return Some(1);
    }
    if let Ok(n) = f.parse::<u32>() {
        return (1..=31).contains(&n).then_some(n);
    }
    if f == "premier" {
        return Some(1);
    }
    let words: Vec<&str> = f.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    let n = parse_number_words(&words)?;
    (1..=31).contains(&n).then_some(n)
}

fn number_word(w: &str) -> Option<u32> {
    // `et` joins parts (`vingt et un`) and adds nothing.
    match w {
        "et" => Some(0),
        _ => voile_core::calendar::number_word_value(w),
    }
}

/// French number words to a value (`mille neuf cent quatre-vingt-dix-huit` → 1998).
fn parse_number_words(words: &[&str]) -> Option<u32> {
    let (mut total, mut cur) = (0u32, 0u32);
    for w in words {
        match (*w, number_word(w)?) {
            ("et", _) => {}
            (_, 1000) => {
                total += cur.max(1) * 1000;
                cur = 0;
            }
            (_, 100) => cur = cur.max(1) * 100,
            (_, 20) if cur % 100 == 4 => cur += 76,
            (_, v) => cur += v,
        }
    }
    Some(total + cur)
}

/// A spelled-out year right after `pos` (`deux mille vingt`): end offset and value.
fn spelled_year(text: &str, pos: usize) -> Option<(usize, u32)> {
    let line_end = crate::text::line_end(text, pos);
    let mut i = pos;
    let mut words = Vec::new();
    let mut end = pos;
    loop {
        let rest = &text[i..line_end];
        let sep = rest.len() - rest.trim_start_matches([' ', '-', '\t']).len();
        if sep == 0 {
            break;
        }
        let w_start = i + sep;
        let w_len = text[w_start..line_end]
            .char_indices()
            .find(|(_, c)| !c.is_alphabetic())
            .map_or(line_end - w_start, |(k, _)| k);
        if w_len == 0 {
            break;
        }
        let w = fold(&text[w_start..w_start + w_len]);
        if number_word(&w).is_none() {
            break;
        }
        words.push(w);
        i = w_start + w_len;
        end = i;
        if words.len() > 8 {
            break;
        }
    }
    if words.last().is_some_and(|w| w == "et") {
        return None;
    }
    if words.len() < 2 {
        return None;
    }
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    let y = parse_number_words(&refs)?;
    (1900..=2099).contains(&y).then_some((end, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_words() {
        let p = |s: &str| parse_number_words(&s.split([' ', '-']).collect::<Vec<_>>());
        assert_eq!(p("mille neuf cent soixante-dix-huit"), Some(1978));
        assert_eq!(p("deux mille vingt"), Some(2020));
        assert_eq!(p("mil neuf cent quatre-vingt-dix-neuf"), Some(1999));
        assert_eq!(p("dix-neuf cent quatre-vingt-un"), Some(1981));
        assert_eq!(p("vingt et un"), Some(21));
    }

    #[test]
    fn calendar() {
        assert!(valid_dmy(29, 2, 2024));
        assert!(!valid_dmy(29, 2, 2023));
        assert!(!valid_dmy(31, 4, 2020));
        assert!(!valid_dmy(1, 1, 1899));
    }
}
