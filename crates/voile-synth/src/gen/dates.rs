//! Calendar dates and every French surface form of them (numeric, long, day-only, month-only,
//! year, spelled out).

use crate::gen::text::capitalise;
use crate::rng::Rng;
use crate::template::Form;
use voile_core::calendar::{self, MONTHS, WEEKDAYS};

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

impl Date {
    /// Days since 1970-01-01.
    pub fn to_days(self) -> i64 {
        calendar::days_from_civil(self.y, self.m, self.d)
    }

    pub fn from_days(z: i64) -> Date {
        let (y, m, d) = calendar::civil_from_days(z);
        Date { y, m, d }
    }

    pub fn ymd(y: i32, m: u32, d: u32) -> Date {
        Date { y, m, d }
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.to_days() + n)
    }

    /// 0 = Monday.
    pub fn weekday(self) -> usize {
        calendar::weekday(self.to_days())
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }

    pub fn clamp(self, lo: Date, hi: Date) -> Date {
        self.max(lo).min(hi)
    }

    /// A uniformly random date in `lo..=hi`.
    pub fn random_between(rng: &mut Rng, lo: Date, hi: Date) -> Date {
        Date::from_days(rng.range(lo.to_days(), hi.to_days()))
    }
}

const MONTHS_ABBR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const MONTHS_ABBR2: [&str; 12] = [
    "jan.", "fév.", "mar.", "avr.", "mai", "juin", "juil.", "août", "sep.", "oct.", "nov.", "déc.",
];

/// Per-document numeric style so most dates of one document look alike, as in real systems.
pub const NUM_STYLES: usize = 9;

fn num(date: Date, style: usize) -> String {
    let Date { y, m, d } = date;
    let yy = y.rem_euclid(100);
    match style {
        0 => format!("{d:02}/{m:02}/{y}"),
        1 => format!("{d:02}/{m:02}/{yy:02}"),
        2 => format!("{d:02}.{m:02}.{y}"),
        3 => format!("{d:02}.{m:02}.{yy:02}"),
        4 => format!("{d:02}-{m:02}-{y}"),
        5 => format!("{y}-{m:02}-{d:02}"),
        6 => format!("{d}/{m}/{y}"),
        7 => format!("{d:02}{m:02}{y}"),
        _ => format!("{d:02} / {m:02} / {y}"),
    }
}

/// Weights of [`NUM_STYLES`] for drawing a document's numeric style.
pub fn draw_num_style(rng: &mut Rng) -> usize {
    const CUM: [u64; NUM_STYLES] = [55, 65, 73, 78, 85, 92, 96, 98, 100];
    rng.weighted(&CUM)
}

fn day_word(d: u32, rng: &mut Rng) -> String {
    if d == 1 && rng.chance(700) {
        "1er".to_string()
    } else if rng.chance(200) {
        format!("{d:02}")
    } else {
        d.to_string()
    }
}

fn month_word(m: u32, rng: &mut Rng) -> String {
    let i = (m - 1) as usize;
    match rng.below(100) {
        0..=74 => MONTHS[i].to_string(),
        75..=82 => MONTHS_ABBR[i].to_string(),
        83..=87 => MONTHS_ABBR2[i].to_string(),
        88..=94 => MONTHS[i].to_uppercase(),
        _ => capitalise(MONTHS[i]),
    }
}

fn long(date: Date, rng: &mut Rng) -> String {
    let body = format!(
        "{} {} {}",
        day_word(date.d, rng),
        month_word(date.m, rng),
        date.y
    );
    if rng.chance(120) {
        let wd = WEEKDAYS[date.weekday()];
        let wd = if rng.chance(300) {
            capitalise(wd)
        } else {
            wd.to_string()
        };
        format!("{wd} {body}")
    } else {
        body
    }
}

fn jour(date: Date, rng: &mut Rng) -> String {
    match rng.below(100) {
        0..=34 => format!(
            "{} {} {}",
            WEEKDAYS[date.weekday()],
            day_word(date.d, rng),
            MONTHS[(date.m - 1) as usize]
        ),
        35..=69 => format!("{} {}", day_word(date.d, rng), month_word(date.m, rng)),
        70..=84 => format!("{}/{:02}", date.d, date.m),
        _ => format!("{:02}/{:02}", date.d, date.m),
    }
}

fn mois(date: Date, rng: &mut Rng) -> String {
    let m = MONTHS[(date.m - 1) as usize];
    match rng.below(100) {
        0..=44 => format!("{m} {}", date.y),
        45..=59 => format!("{:02}/{}", date.m, date.y),
        60..=79 => m.to_string(),
        80..=89 => format!("{} {}", capitalise(m), date.y),
        90..=94 => format!("{:02}/{:02}", date.m, date.y.rem_euclid(100)),
        _ => format!("{} {}", MONTHS_ABBR[(date.m - 1) as usize], date.y),
    }
}

/// A date spelled out in words: `deux janvier mille neuf cent soixante-dix-huit`.
pub fn lettres(date: Date) -> String {
    let day = if date.d == 1 {
        "premier".to_string()
    } else {
        fr_number(date.d)
    };
    format!(
        "{day} {} {}",
        MONTHS[(date.m - 1) as usize],
        fr_number(date.y as u32)
    )
}

const UNITS: [&str; 17] = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize",
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

fn below_100(n: u32) -> String {
    match n {
        0..=16 => UNITS[n as usize].to_string(),
        17..=19 => format!("dix-{}", UNITS[(n - 10) as usize]),
        20..=69 => {
            let (t, u) = (TENS[(n / 10) as usize], n % 10);
            match u {
                0 => t.to_string(),
                1 => format!("{t} et un"),
                _ => format!("{t}-{}", UNITS[u as usize]),
            }
        }
        70..=79 => {
            if n == 71 {
                "soixante et onze".to_string()
            } else {
                format!("soixante-{}", below_100(n - 60))
            }
        }
        80 => "quatre-vingts".to_string(),
        _ => format!("quatre-vingt-{}", below_100(n - 80)),
    }
}

/// French cardinal for `0..10_000` (traditional spelling).
pub fn fr_number(n: u32) -> String {
    let (th, rest) = (n / 1000, n % 1000);
    let (h, r) = (rest / 100, rest % 100);
    let mut parts: Vec<String> = Vec::new();
    match th {
        0 => {}
        1 => parts.push("mille".into()),
        _ => parts.push(format!("{} mille", below_100(th))),
    }
    match h {
        0 => {}
        1 => parts.push("cent".into()),
        _ if r == 0 => parts.push(format!("{} cents", UNITS[h as usize])),
        _ => parts.push(format!("{} cent", UNITS[h as usize])),
    }
    if r > 0 || parts.is_empty() {
        parts.push(below_100(r));
    }
    parts.join(" ")
}

/// Render `date` in `form` (default: numeric 70%, long 30%). `num_style` is the document's.
pub fn render(date: Date, form: Option<Form>, num_style: usize, rng: &mut Rng) -> String {
    let form = form.unwrap_or_else(|| {
        if rng.chance(700) {
            Form::Num
        } else {
            Form::Long
        }
    });
    match form {
        Form::Long => long(date, rng),
        Form::Jour => jour(date, rng),
        Form::Mois => mois(date, rng),
        Form::Annee => date.y.to_string(),
        Form::Lettres => lettres(date),
        _ => {
            let style = if rng.chance(750) {
                num_style
            } else {
                draw_num_style(rng)
            };
            num(date, style)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_arithmetic_round_trips() {
        for z in [-30_000i64, -1, 0, 59, 10_957, 20_000, 30_000] {
            assert_eq!(Date::from_days(z).to_days(), z);
        }
        assert_eq!(Date::ymd(2000, 3, 1).add_days(-1), Date::ymd(2000, 2, 29));
        assert_eq!(
            Date::ymd(2024, 4, 9).weekday(),
            1,
            "9 April 2024 was a Tuesday"
        );
    }

    #[test]
    fn spelled_out_numbers_follow_french_rules() {
        assert_eq!(fr_number(1978), "mille neuf cent soixante-dix-huit");
        assert_eq!(fr_number(1980), "mille neuf cent quatre-vingts");
        assert_eq!(fr_number(1991), "mille neuf cent quatre-vingt-onze");
        assert_eq!(fr_number(2021), "deux mille vingt et un");
        assert_eq!(fr_number(1900), "mille neuf cents");
        assert_eq!(fr_number(71), "soixante et onze");
        assert_eq!(
            lettres(Date::ymd(1978, 1, 2)),
            "deux janvier mille neuf cent soixante-dix-huit"
        );
        assert_eq!(lettres(Date::ymd(2001, 5, 1)), "premier mai deux mille un");
    }

    #[test]
    fn every_form_renders_the_same_calendar_date() {
        let mut rng = Rng::from_parts(&[3]);
        let d = Date::ymd(2021, 3, 12);
        for _ in 0..200 {
            let s = render(d, Some(Form::Num), 0, &mut rng);
            assert!(s.contains("12") && s.contains('3'), "{s}");
            let s = render(d, Some(Form::Long), 0, &mut rng);
            assert!(s.contains("2021") && s.to_lowercase().contains("ma"), "{s}");
            let s = render(d, Some(Form::Jour), 0, &mut rng);
            assert!(!s.contains("2021"), "{s}");
            assert_eq!(s.trim(), s);
        }
    }
}
