//! Date surrogates: parse a French date surface, shift it by the scope's offset and write
//! it back in exactly the same form (separators, widths, month spelling, case, `1er`,
//! spelled-out numbers).
//!
//! Precision is kept: a full date moves by the shift exactly (so intervals and ages are
//! preserved); a month-year moves its 15th by the shift; a bare year moves by the shift
//! rounded to whole years (at least one year, never 0); a day and month without year is
//! placed in the document's most common year (else the most recent year since 1980 whose
//! weekday matches the written one, else 2001) and its weekday is recomputed from the
//! shifted date.

use crate::text::{capitalise_first, fold, Case};

// Calendar arithmetic and names come from voile-core, shared with the detectors.
pub(crate) use voile_core::calendar::{civil_from_days, days_from_civil};
use voile_core::calendar::{days_in_month, weekday, MONTHS, MONTHS_FOLDED, WEEKDAYS};

/// Whole years in a shift, rounded, never 0 (a bare year must change).
pub(crate) fn year_delta(shift: i32) -> i32 {
    let y = (shift as f64 / 365.25).round() as i32;
    if y == 0 {
        shift.signum()
    } else {
        y
    }
}

// ---- vocabulary ----

const MONTHS_ABBR: [&str; 12] = [
    "janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc",
];
/// Three-letter abbreviations, for originals written that short (`fév`, `jan`).
const MONTHS_SHORT: [&str; 12] = [
    "jan", "fév", "mars", "avr", "mai", "juin", "juil", "août", "sep", "oct", "nov", "déc",
];
/// Words that may surround a date inside its span and stay as they are.
const KEPT_WORDS: [&str; 11] = [
    "le", "l", "du", "en", "au", "depuis", "courant", "fin", "debut", "mi", "et",
];

fn month_of(word: &str) -> Option<usize> {
    if word.len() < 3 {
        return None;
    }
    match word {
        "jun" => return Some(5),
        "jul" => return Some(6),
        _ => {}
    }
    let mut found = None;
    for (i, m) in MONTHS_FOLDED.iter().enumerate() {
        if m.starts_with(word) {
            if found.is_some() {
                return None; // ambiguous prefix (`jui`)
            }
            found = Some(i);
        }
    }
    found
}

fn weekday_of(word: &str) -> Option<usize> {
    if word.len() < 3 {
        return None;
    }
    WEEKDAYS.iter().position(|w| w.starts_with(word))
}

// ---- French numbers in words ----

fn below_100(n: u32, out: &mut String) {
    const UNITS: [&str; 17] = [
        "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
        "onze", "douze", "treize", "quatorze", "quinze", "seize",
    ];
    const TENS: [&str; 7] = [
        "",
        "",
        "vingt",
        "trente",
        "quarante",
        "cinquante",
        "soixante",
    ];
    match n {
        0..=16 => out.push_str(UNITS[n as usize]),
        17..=19 => {
            out.push_str("dix-");
            out.push_str(UNITS[(n - 10) as usize]);
        }
        20..=69 => {
            out.push_str(TENS[(n / 10) as usize]);
            match n % 10 {
                0 => {}
                1 => out.push_str(" et un"),
                u => {
                    out.push('-');
                    out.push_str(UNITS[u as usize]);
                }
            }
        }
        70..=79 => {
            out.push_str("soixante");
            out.push_str(if n == 71 { " et " } else { "-" });
            below_100(n - 60, out);
        }
        _ => {
            out.push_str("quatre-vingt");
            if n == 80 {
                out.push('s');
            } else {
                out.push('-');
                below_100(n - 80, out);
            }
        }
    }
}

fn below_1000(n: u32, out: &mut String) {
    let (h, r) = (n / 100, n % 100);
    if h > 0 {
        if h > 1 {
            below_100(h, out);
            out.push(' ');
        }
        out.push_str("cent");
        if h > 1 && r == 0 {
            out.push('s');
        }
        if r > 0 {
            out.push(' ');
        }
    }
    if r > 0 || h == 0 {
        below_100(r, out);
    }
}

/// `n` (0..10 000) in French words, traditional spelling (`mille neuf cent
/// soixante-dix-huit`); with `hundreds`, years 1100–1999 are said in hundreds
/// (`dix-neuf cent soixante-dix-huit`).
pub(crate) fn number_words(n: u32, hundreds: bool) -> String {
    let mut out = String::new();
    if hundreds && (1100..2000).contains(&n) {
        below_100(n / 100, &mut out);
        out.push_str(" cent");
        if !n.is_multiple_of(100) {
            out.push(' ');
            below_100(n % 100, &mut out);
        }
        return out;
    }
    let (th, r) = (n / 1000, n % 1000);
    if th > 0 {
        if th > 1 {
            below_1000(th, &mut out);
            out.push(' ');
        }
        out.push_str("mille");
        if r > 0 {
            out.push(' ');
        }
    }
    if r > 0 || th == 0 {
        below_1000(r, &mut out);
    }
    out
}

fn number_word_value(w: &str) -> Option<u32> {
    match w {
        "zero" => Some(0),
        "premier" => Some(1),
        _ => voile_core::calendar::number_word_value(w),
    }
}

/// The value of a sequence of folded French number words (`et` allowed between).
fn parse_number_words(words: &[&str]) -> Option<u32> {
    let (mut total, mut current, mut last) = (0u32, 0u32, 0u32);
    for &w in words {
        if w == "et" {
            continue;
        }
        let v = number_word_value(w)?;
        match v {
            1000 => {
                total += current.max(1) * 1000;
                current = 0;
            }
            100 => current = current.max(1) * 100,
            20 if last == 4 => current += 76, // quatre-vingt(s)
            _ => current += v,
        }
        last = v;
    }
    let n = total + current;
    (!words.is_empty()).then_some(n)
}

// ---- tokens ----

#[derive(Debug, Clone, PartialEq)]
enum TokKind {
    Num { val: u32, width: u8, ordinal: bool },
    Word { folded: String, dot: bool },
}

#[derive(Debug, Clone)]
struct Tok {
    start: usize,
    /// End of the token including an abbreviation dot or ordinal suffix.
    end: usize,
    kind: TokKind,
}

fn tokenize(s: &str) -> Option<Vec<Tok>> {
    let b = s.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next()?;
        if c.is_ascii_digit() {
            let start = i;
            while i < s.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start > 8 {
                return None;
            }
            let val: u32 = s[start..i].parse().ok()?;
            let width = (i - start) as u8;
            let mut end = i;
            let letters_end = i + s[i..]
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(s.len() - i);
            let suffix = fold(&s[i..letters_end]);
            let ordinal = val == 1 && matches!(suffix.as_str(), "er" | "ere" | "re");
            if ordinal {
                end = letters_end;
                i = letters_end;
            } else if !suffix.is_empty() {
                return None; // `14h`, `3e`: not a date we can rewrite
            }
            toks.push(Tok {
                start,
                end,
                kind: TokKind::Num {
                    val,
                    width,
                    ordinal,
                },
            });
        } else if c.is_alphabetic() {
            let start = i;
            while i < s.len() {
                let c = s[i..].chars().next()?;
                if !c.is_alphabetic() {
                    break;
                }
                i += c.len_utf8();
            }
            let folded = fold(&s[start..i]);
            let dot = b.get(i) == Some(&b'.');
            let end = if dot { i + 1 } else { i };
            toks.push(Tok {
                start,
                end,
                kind: TokKind::Word { folded, dot },
            });
            i = end;
        } else {
            i += c.len_utf8();
        }
    }
    Some(toks)
}

// ---- parsing ----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    Full { y: i32, m: u32, d: u32 },
    DayMonth { m: u32, d: u32, wd: Option<usize> },
    MonthYear { y: i32, m: u32 },
    Month { m: u32 },
    Year { y: i32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Weekday,
    /// A day number; `textual` when written in words' company (`3 mars`), where `1er` and
    /// unpadded numbers are the norm.
    Day {
        textual: bool,
    },
    Month,
    Year,
    /// Number words from this token to the given token (inclusive).
    SpelledDay(usize),
    SpelledYear(usize),
}

/// A parsed date surface: its tokens, the role of the tokens to rewrite, and the value.
#[derive(Debug, Clone)]
pub(crate) struct ParsedDate {
    toks: Vec<Tok>,
    roles: Vec<(usize, Role)>,
    value: Value,
}

fn two_digit_year(v: u32) -> i32 {
    if v < 50 {
        2000 + v as i32
    } else {
        1900 + v as i32
    }
}

fn num(t: &Tok) -> Option<(u32, u8, bool)> {
    match t.kind {
        TokKind::Num {
            val,
            width,
            ordinal,
        } => Some((val, width, ordinal)),
        _ => None,
    }
}

fn valid(y: i32, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

fn year_of_num(val: u32, width: u8) -> Option<i32> {
    match width {
        4 if (1000..=2999).contains(&val) => Some(val as i32),
        2 => Some(two_digit_year(val)),
        _ => None,
    }
}

/// Parse a date surface; `None` when its form is not understood.
pub(crate) fn parse(surface: &str) -> Option<ParsedDate> {
    let toks = tokenize(surface)?;
    if toks.is_empty() {
        return None;
    }
    if toks
        .iter()
        .all(|t| matches!(t.kind, TokKind::Num { ordinal: false, .. }))
    {
        return parse_numeric(toks);
    }
    parse_textual(toks)
}

fn parse_numeric(toks: Vec<Tok>) -> Option<ParsedDate> {
    let n: Vec<(u32, u8)> = toks
        .iter()
        .filter_map(num)
        .map(|(v, w, _)| (v, w))
        .collect();
    let (value, roles) = match n.as_slice() {
        [(y, 4), (m, 1..=2), (d, 1..=2)] => (
            Value::Full {
                y: *y as i32,
                m: *m,
                d: *d,
            },
            vec![
                (0, Role::Year),
                (1, Role::Month),
                (2, Role::Day { textual: false }),
            ],
        ),
        [(d, 1..=2), (m, 1..=2), (y, w @ (2 | 4))] => {
            let y = year_of_num(*y, *w)?;
            (
                Value::Full { y, m: *m, d: *d },
                vec![
                    (0, Role::Day { textual: false }),
                    (1, Role::Month),
                    (2, Role::Year),
                ],
            )
        }
        [(m, 1..=2), (y, 4)] => (
            Value::MonthYear {
                y: *y as i32,
                m: *m,
            },
            vec![(0, Role::Month), (1, Role::Year)],
        ),
        [(y, 4), (m, 1..=2)] => (
            Value::MonthYear {
                y: *y as i32,
                m: *m,
            },
            vec![(0, Role::Year), (1, Role::Month)],
        ),
        [(m, 1..=2), (y, 2)] if *y > 12 => (
            Value::MonthYear {
                y: two_digit_year(*y),
                m: *m,
            },
            vec![(0, Role::Month), (1, Role::Year)],
        ),
        [(d, 1..=2), (m, 1..=2)] => (
            Value::DayMonth {
                m: *m,
                d: *d,
                wd: None,
            },
            vec![(0, Role::Day { textual: false }), (1, Role::Month)],
        ),
        [(y, 4)] => (
            Value::Year {
                y: year_of_num(*y, 4)?,
            },
            vec![(0, Role::Year)],
        ),
        [(v, 8)] => return parse_compact(toks, *v),
        _ => return None,
    };
    check(value)?;
    Some(ParsedDate { toks, roles, value })
}

/// `12032021` / `20210312`: split into three virtual tokens over the same digits.
fn parse_compact(toks: Vec<Tok>, v: u32) -> Option<ParsedDate> {
    let s = toks[0].start;
    let (a, b, c) = (v / 1_000_000, (v / 10_000) % 100, v % 10_000);
    let mk = |start, end, val, width| Tok {
        start,
        end,
        kind: TokKind::Num {
            val,
            width,
            ordinal: false,
        },
    };
    let (y1, m1, d1) = ((v / 10_000) as i32, (v / 100) % 100, v % 100);
    if (1900..=2100).contains(&y1) && valid(y1, m1, d1) {
        let t = vec![
            mk(s, s + 4, y1 as u32, 4),
            mk(s + 4, s + 6, m1, 2),
            mk(s + 6, s + 8, d1, 2),
        ];
        let roles = vec![
            (0, Role::Year),
            (1, Role::Month),
            (2, Role::Day { textual: false }),
        ];
        return Some(ParsedDate {
            toks: t,
            roles,
            value: Value::Full {
                y: y1,
                m: m1,
                d: d1,
            },
        });
    }
    let (d, m, y) = (a, b, c as i32);
    if !valid(y, m, d) {
        return None;
    }
    let t = vec![
        mk(s, s + 2, d, 2),
        mk(s + 2, s + 4, m, 2),
        mk(s + 4, s + 8, y as u32, 4),
    ];
    let roles = vec![
        (0, Role::Day { textual: false }),
        (1, Role::Month),
        (2, Role::Year),
    ];
    Some(ParsedDate {
        toks: t,
        roles,
        value: Value::Full { y, m, d },
    })
}

fn check(v: Value) -> Option<()> {
    let ok = match v {
        Value::Full { y, m, d } => valid(y, m, d),
        Value::DayMonth { m, d, .. } => valid(2000, m, d),
        Value::MonthYear { m, .. } | Value::Month { m } => (1..=12).contains(&m),
        Value::Year { .. } => true,
    };
    ok.then_some(())
}

fn word(t: &Tok) -> Option<&str> {
    match &t.kind {
        TokKind::Word { folded, .. } => Some(folded),
        _ => None,
    }
}

fn is_number_word(t: &Tok) -> bool {
    word(t).is_some_and(|w| w == "et" || number_word_value(w).is_some())
}

fn parse_textual(toks: Vec<Tok>) -> Option<ParsedDate> {
    let mi = toks
        .iter()
        .position(|t| word(t).and_then(month_of).is_some())?;
    let m = word(&toks[mi]).and_then(month_of)? as u32 + 1;
    let mut roles = vec![(mi, Role::Month)];
    let mut wd = None;
    let mut day = None;
    // Before the month: kept words, a weekday, a day (digits or words).
    let mut i = 0;
    while i < mi {
        let t = &toks[i];
        if let Some((v, _, _)) = num(t) {
            if day.is_some() || i + 1 != mi {
                return None;
            }
            day = Some(v);
            roles.push((i, Role::Day { textual: true }));
        } else if is_number_word(t) && word(t) != Some("et") {
            let j = (i..mi).take_while(|&j| is_number_word(&toks[j])).last()?;
            if j + 1 != mi || day.is_some() {
                return None;
            }
            let words: Vec<&str> = toks[i..=j].iter().filter_map(word).collect();
            day = Some(parse_number_words(&words)?);
            roles.push((i, Role::SpelledDay(j)));
            i = j;
        } else if let Some(w) = word(t).and_then(weekday_of) {
            wd = Some(w);
            roles.push((i, Role::Weekday));
        } else if !word(t).is_some_and(|w| KEPT_WORDS.contains(&w)) {
            return None;
        }
        i += 1;
    }
    // After the month: a year (digits or words), nothing else.
    let mut year = None;
    let rest = &toks[mi + 1..];
    if let Some(t) = rest.first() {
        if let Some((v, w, false)) = num(t) {
            if rest.len() != 1 {
                return None;
            }
            year = Some(year_of_num(v, w)?);
            roles.push((mi + 1, Role::Year));
        } else if rest.iter().all(is_number_word) {
            let words: Vec<&str> = rest.iter().filter_map(word).collect();
            let y = parse_number_words(&words)?;
            if !(1000..=2999).contains(&y) {
                return None;
            }
            year = Some(y as i32);
            roles.push((mi + 1, Role::SpelledYear(toks.len() - 1)));
        } else {
            return None;
        }
    }
    if wd.is_some() && day.is_none() {
        return None;
    }
    let value = match (day, year) {
        (Some(d), Some(y)) => Value::Full { y, m, d },
        (Some(d), None) => Value::DayMonth { m, d, wd },
        (None, Some(y)) => Value::MonthYear { y, m },
        (None, None) => Value::Month { m },
    };
    check(value)?;
    roles.sort_by_key(|r| r.0);
    Some(ParsedDate { toks, roles, value })
}

impl ParsedDate {
    /// The year written in the date, if any (to pick the reference year of yearless dates).
    pub(crate) fn year(&self) -> Option<i32> {
        match self.value {
            Value::Full { y, .. } | Value::MonthYear { y, .. } | Value::Year { y } => Some(y),
            _ => None,
        }
    }

    /// Year and month of a full date once shifted (the NIR of the surrogate person).
    pub(crate) fn shifted_year_month(&self, s: Shift) -> Option<(i32, u32)> {
        match self.value {
            Value::Full { .. } => {
                let nd = new_date(self.value, s);
                Some((nd.y, nd.m))
            }
            _ => None,
        }
    }
}

// ---- shifting ----

/// Per-scope date settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shift {
    pub(crate) days: i32,
    /// Year placed on day-month dates without a year (the document's most common year).
    pub(crate) ref_year: Option<i32>,
}

fn shifted(y: i32, m: u32, d: u32, days: i32) -> (i32, u32, u32) {
    civil_from_days(days_from_civil(y, m, d) + days as i64)
}

/// The reference year of a yearless day and month.
fn reference_year(m: u32, d: u32, wd: Option<usize>, ref_year: Option<i32>) -> i32 {
    let fits = |y: i32| valid(y, m, d) && wd.is_none_or(|w| weekday(days_from_civil(y, m, d)) == w);
    if let Some(y) = ref_year.filter(|&y| valid(y, m, d)) {
        return y;
    }
    if let Some(y) = (1980..=2035).rev().find(|&y| fits(y)) {
        return y;
    }
    if valid(2001, m, d) {
        2001
    } else {
        2000
    }
}

/// Move a month by the shift of its 15th; if that lands in the same month (short shifts),
/// step one month in the shift's direction so the surrogate always differs.
fn shifted_month(y: i32, m: u32, days: i32) -> (i32, u32) {
    let (ny, nm, _) = shifted(y, m, 15, days);
    if (ny, nm) != (y, m) {
        return (ny, nm);
    }
    let idx = y * 12 + m as i32 - 1 + days.signum();
    (idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1)
}

#[derive(Debug, Clone, Copy)]
struct NewDate {
    y: i32,
    m: u32,
    d: u32,
    wd: usize,
}

fn new_date(v: Value, s: Shift) -> NewDate {
    let mk = |y, m, d| NewDate {
        y,
        m,
        d,
        wd: weekday(days_from_civil(y, m, d)),
    };
    match v {
        Value::Full { y, m, d } => {
            let (y, m, d) = shifted(y, m, d, s.days);
            mk(y, m, d)
        }
        Value::DayMonth { m, d, wd } => {
            let (y, m, d) = shifted(reference_year(m, d, wd, s.ref_year), m, d, s.days);
            mk(y, m, d)
        }
        Value::MonthYear { y, m } => {
            let (y, m) = shifted_month(y, m, s.days);
            mk(y, m, 15)
        }
        Value::Month { m } => {
            let (y, m) = shifted_month(s.ref_year.unwrap_or(2001), m, s.days);
            mk(y, m, 15)
        }
        Value::Year { y } => mk(y + year_delta(s.days), 1, 1),
    }
}

// ---- rendering ----

/// Append the shifted date to `out` in the form of `surface`.
pub(crate) fn render(surface: &str, p: &ParsedDate, s: Shift, out: &mut String) {
    let nd = new_date(p.value, s);
    let mut pos = 0;
    for &(ti, role) in &p.roles {
        let t = &p.toks[ti];
        out.push_str(&surface[pos..t.start]);
        pos = match role {
            Role::SpelledDay(last) | Role::SpelledYear(last) => {
                let end = p.toks[last].end;
                let n = if matches!(role, Role::SpelledDay(_)) {
                    nd.d
                } else {
                    nd.y as u32
                };
                render_spelled(
                    &surface[t.start..end],
                    n,
                    matches!(role, Role::SpelledDay(_)),
                    out,
                );
                end
            }
            _ => {
                render_token(&surface[t.start..t.end], t, role, nd, out);
                t.end
            }
        };
    }
    out.push_str(&surface[pos..]);
}

fn push_padded(n: u32, width: usize, out: &mut String) {
    use std::fmt::Write;
    let _ = write!(out, "{n:0width$}");
}

fn render_token(orig: &str, t: &Tok, role: Role, nd: NewDate, out: &mut String) {
    match (role, &t.kind) {
        (
            Role::Day { textual },
            TokKind::Num {
                val,
                width,
                ordinal,
            },
        ) => {
            let padded = *width == 2 && (!textual || *val < 10);
            if textual && !padded && nd.d == 1 {
                out.push('1');
                let digits_end = orig
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(orig.len());
                out.push_str(if *ordinal { &orig[digits_end..] } else { "er" });
            } else {
                push_padded(nd.d, if padded { 2 } else { 1 }, out);
            }
        }
        (Role::Month, TokKind::Num { width, .. }) => push_padded(nd.m, *width as usize, out),
        (Role::Year, TokKind::Num { width: 2, .. }) => {
            push_padded(nd.y.rem_euclid(100) as u32, 2, out)
        }
        (Role::Year, TokKind::Num { .. }) => push_padded(nd.y as u32, 4, out),
        (Role::Month, TokKind::Word { folded, dot }) => {
            let abbreviated = month_of(folded).is_some_and(|i| MONTHS_FOLDED[i] != folded);
            let full = MONTHS[nd.m as usize - 1];
            let chosen = if abbreviated {
                abbreviation(folded, nd.m)
            } else {
                full
            };
            render_word(orig, folded, *dot, full, chosen, out)
        }
        (Role::Weekday, TokKind::Word { folded, dot }) => {
            let abbreviated = weekday_of(folded).is_some_and(|i| WEEKDAYS[i] != folded);
            let full = WEEKDAYS[nd.wd];
            render_word(
                orig,
                folded,
                *dot,
                full,
                if abbreviated { &full[..3] } else { full },
                out,
            )
        }
        _ => out.push_str(orig),
    }
}

/// The abbreviation of month `m` (1-based) in the style of the original word.
fn abbreviation(orig_folded: &str, m: u32) -> &'static str {
    if orig_folded.len() <= 3 {
        MONTHS_SHORT[m as usize - 1]
    } else {
        MONTHS_ABBR[m as usize - 1]
    }
}

/// A month or weekday name, full or abbreviated like the original, in its case, with its
/// dot when still abbreviated, without accents when the original had none where expected.
fn render_word(orig: &str, folded: &str, dot: bool, full: &str, chosen: &str, out: &mut String) {
    let letters = orig.trim_end_matches('.');
    let unaccented_original = letters.is_ascii() && written_without_accents(folded);
    let text = if unaccented_original {
        fold(chosen)
    } else {
        chosen.to_string()
    };
    let case = Case::of(letters);
    match case {
        Case::Natural if letters.chars().next().is_some_and(char::is_uppercase) => {
            out.push_str(&capitalise_first(&text))
        }
        _ => case.push(&text, false, out),
    }
    if dot && chosen.len() < full.len() {
        out.push('.');
    }
}

/// Whether a folded month/weekday word stands for a name whose written prefix carries an
/// accent (`fevr`, `aout`, `decembre`): its ASCII writer drops accents.
fn written_without_accents(folded: &str) -> bool {
    let n = folded.chars().count();
    MONTHS
        .iter()
        .zip(MONTHS_FOLDED)
        .any(|(m, f)| f.starts_with(folded) && m.chars().take(n).any(|c| !c.is_ascii()))
}

fn render_spelled(orig: &str, n: u32, is_day: bool, out: &mut String) {
    let folded = fold(orig);
    let text = if is_day && n == 1 {
        "premier".to_string()
    } else {
        number_words(
            n,
            folded.starts_with("dix") || folded.starts_with("onze") || folded.starts_with("douze"),
        )
    };
    let case = Case::of(orig);
    match case {
        Case::Natural if orig.chars().next().is_some_and(char::is_uppercase) => {
            out.push_str(&capitalise_first(&text))
        }
        _ => case.push(&text, false, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(surface: &str, days: i32) -> Option<String> {
        shift_ref(surface, days, None)
    }

    fn shift_ref(surface: &str, days: i32, ref_year: Option<i32>) -> Option<String> {
        let p = parse(surface)?;
        let mut out = String::new();
        render(surface, &p, Shift { days, ref_year }, &mut out);
        Some(out)
    }

    #[test]
    fn calendar_round_trips() {
        for z in [-800_000i64, -1, 0, 1, 11_016, 19_000, 60_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(weekday(days_from_civil(2021, 3, 2)), 1); // a Tuesday
    }

    #[test]
    fn numeric_forms_keep_separators_and_widths() {
        assert_eq!(shift("12/03/2021", 10).unwrap(), "22/03/2021");
        assert_eq!(shift("12.03.21", -12).unwrap(), "28.02.21");
        assert_eq!(shift("2021-03-12", 20).unwrap(), "2021-04-01");
        assert_eq!(shift("2/3/2021", 1).unwrap(), "3/3/2021");
        assert_eq!(shift("12-03-2021", 365 + 10).unwrap(), "22-03-2022");
        assert_eq!(shift("03/2021", 30).unwrap(), "04/2021");
        assert_eq!(shift("03/2021", 3).unwrap(), "04/2021");
        assert_eq!(shift("03/2021", -3).unwrap(), "02/2021");
        assert_eq!(shift("12032021", 1).unwrap(), "13032021");
        assert_eq!(shift("2015", 200).unwrap(), "2016");
        assert_eq!(shift("2015", -100).unwrap(), "2014");
        assert_eq!(shift("2015", -300).unwrap(), "2014");
        assert_eq!(shift("12/03", 1).unwrap(), "13/03");
    }

    #[test]
    fn textual_forms_keep_style() {
        assert_eq!(shift("le 3 mars 2021", 2).unwrap(), "le 5 mars 2021");
        assert_eq!(shift("3 fév. 2021", 1).unwrap(), "4 fév. 2021");
        assert_eq!(shift("3 févr. 2021", 30).unwrap(), "5 mars 2021");
        assert_eq!(shift("28 févr. 2021", 1).unwrap(), "1er mars 2021");
        assert_eq!(shift("1er mars 2021", 1).unwrap(), "2 mars 2021");
        assert_eq!(shift("03 MARS 2021", 30).unwrap(), "02 AVRIL 2021");
        assert_eq!(shift("3 Mars 2021", 30).unwrap(), "2 Avril 2021");
        assert_eq!(
            shift("mardi 2 mars 2021", 1).unwrap(),
            "mercredi 3 mars 2021"
        );
        assert_eq!(
            shift("Mardi 2 Mars 2021", 1).unwrap(),
            "Mercredi 3 Mars 2021"
        );
        assert_eq!(shift("mars 2021", 30).unwrap(), "avril 2021");
        assert_eq!(shift("3 aout 2021", 10).unwrap(), "13 aout 2021");
        assert_eq!(shift("3 juillet 2021", 31).unwrap(), "3 août 2021");
        assert_eq!(shift("3 decembre 2021", -31).unwrap(), "2 novembre 2021");
        assert_eq!(shift("en novembre", 20).unwrap(), "en décembre");
    }

    #[test]
    fn yearless_dates_use_reference_year_and_recompute_weekday() {
        // 2 March 2021 is a Tuesday: with the document's year the weekday follows the shift.
        assert_eq!(
            shift_ref("mardi 2 mars", 2, Some(2021)).unwrap(),
            "jeudi 4 mars"
        );
        // Without a reference year, a year where the written weekday holds is chosen.
        assert_eq!(shift("mardi 2 mars", 7).unwrap(), "mardi 9 mars");
        assert_eq!(shift("29 février", 1).unwrap(), "1er mars");
    }

    #[test]
    fn spelled_dates_round_trip_through_words() {
        assert_eq!(
            shift("deux janvier mille neuf cent soixante-dix-huit", -2).unwrap(),
            "trente et un décembre mille neuf cent soixante-dix-sept"
        );
        assert_eq!(
            shift("premier mars deux mille vingt et un", 1).unwrap(),
            "deux mars deux mille vingt et un"
        );
        assert_eq!(
            shift("vingt-huit février dix-neuf cent quatre-vingt-dix-neuf", 1).unwrap(),
            "premier mars dix-neuf cent quatre-vingt-dix-neuf"
        );
        for n in 1..=2099 {
            let w = number_words(n, false);
            let folded = fold(&w);
            let parts: Vec<&str> = folded.split([' ', '-']).collect();
            assert_eq!(parse_number_words(&parts), Some(n), "{w}");
        }
        for n in 1100..2000 {
            let w = number_words(n, true);
            let folded = fold(&w);
            let parts: Vec<&str> = folded.split([' ', '-']).collect();
            assert_eq!(parse_number_words(&parts), Some(n), "{w}");
        }
        assert_eq!(number_words(80, false), "quatre-vingts");
        assert_eq!(number_words(71, false), "soixante et onze");
        assert_eq!(number_words(200, false), "deux cents");
    }

    #[test]
    fn unreadable_forms_are_refused() {
        for s in [
            "14h30",
            "J3",
            "32/13/2021",
            "il y a 2 ans",
            "mardi",
            "3e trimestre",
            "12/03/2021 à 14h",
            "",
        ] {
            assert!(parse(s).is_none(), "{s}");
        }
    }
}
