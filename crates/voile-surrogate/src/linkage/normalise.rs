//! Normalisation of the identity fields hashed by [`super::Linker`]: one canonical form per
//! field, so that the spellings different sources use for one person agree. The rules are
//! documented on [`normalise_nom`], [`normalise_prenom`], [`normalise_naissance`],
//! [`normalise_sexe`] and [`normalise_nir`], and in the README ("Linkage pseudonyms").

use super::{Field, Problem, Reason};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use voile_core::calendar::{days_in_month, MONTHS_FOLDED, WEEKDAYS};

/// Values that stand for "unknown" rather than a name (compared after normalisation).
const NAME_PLACEHOLDERS: [&str; 14] = [
    "INCONNU",
    "INCONNUE",
    "ANONYME",
    "NONRENSEIGNE",
    "NONCONNU",
    "SANSNOM",
    "SANSPRENOM",
    "NULL",
    "NONE",
    "NAN",
    "NC",
    "ND",
    "NR",
    "NEANT",
];

/// Married/usage-name markers after which the birth name follows (`MARTIN née DUPONT`).
const BIRTH_NAME_FOLLOWS: [&str; 3] = ["NEE", "NE", "NEES"];
/// Markers after which another name follows, the birth name being before them
/// (`DUPONT épouse MARTIN`, `DUPONT ép. MARTIN`, `DUPONT veuve MARTIN`, `DUPONT dit MARTIN`).
const OTHER_NAME_FOLLOWS: [&str; 9] = [
    "EPOUSE", "EPOUX", "EP", "EPSE", "VEUVE", "VVE", "VEUF", "DIT", "DITE",
];

/// Earliest and latest accepted birth years: outside them a date is a sentinel (`9999-12-31`)
/// or a typo, not a birth date.
const YEARS: std::ops::RangeInclusive<i32> = 1850..=2100;

/// The words of a name: NFKD decomposition, combining marks (accents) dropped, `œ`/`æ`/`ß`
/// expanded to `OE`/`AE`/`SS` (`ø`, `ł`, `đ` to `O`, `L`, `D`), letters upper-cased; every
/// character that is not a letter (space, hyphen, apostrophe, dot, digit…) separates words.
pub(crate) fn name_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if !c.is_alphabetic() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        match c {
            'œ' | 'Œ' => word.push_str("OE"),
            'æ' | 'Æ' => word.push_str("AE"),
            'ß' | 'ẞ' => word.push_str("SS"),
            'ø' | 'Ø' => word.push('O'),
            'ł' | 'Ł' => word.push('L'),
            'đ' | 'Đ' => word.push('D'),
            _ => word.extend(c.to_uppercase()),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The birth name among the words of a surname field: the words after `NÉE`/`NÉ` when any,
/// else the words before the first other marker (`ÉPOUSE`, `ÉP.`, `VEUVE`, `VVE`, `DIT`…),
/// else the only name given (`ÉPOUSE MARTIN` → `MARTIN`).
fn birth_name_words(words: Vec<String>) -> Vec<String> {
    let is_marker = |w: &String| {
        BIRTH_NAME_FOLLOWS.contains(&w.as_str()) || OTHER_NAME_FOLLOWS.contains(&w.as_str())
    };
    // Segments between markers, each with the marker that opens it.
    let mut segments: Vec<(Option<String>, Vec<String>)> = vec![(None, Vec::new())];
    for w in words {
        if is_marker(&w) {
            segments.push((Some(w), Vec::new()));
        } else {
            segments.last_mut().expect("one segment").1.push(w);
        }
    }
    let after_nee = segments.iter().position(|(m, seg)| {
        m.as_deref()
            .is_some_and(|m| BIRTH_NAME_FOLLOWS.contains(&m))
            && !seg.is_empty()
    });
    let chosen = after_nee
        .or_else(|| (!segments[0].1.is_empty()).then_some(0))
        .or_else(|| segments.iter().position(|(_, seg)| !seg.is_empty()));
    match chosen {
        Some(i) => segments.swap_remove(i).1,
        None => Vec::new(),
    }
}

/// Words joined without separator, refused when empty, a placeholder or a single letter.
fn joined_name(words: Vec<String>, field: Field) -> Result<String, Problem> {
    let name: String = words.concat();
    if name.is_empty() {
        return Err(Problem::new(field, Reason::Missing));
    }
    let single_letter = name.chars().count() == 1;
    let all_x = name.chars().all(|c| c == 'X');
    if single_letter || all_x || NAME_PLACEHOLDERS.contains(&name.as_str()) {
        return Err(Problem::new(field, Reason::NotAName));
    }
    Ok(name)
}

/// The surname (`nom`) as hashed: the birth name when the field also holds a usage name
/// (`DUPONT épouse MARTIN`, `DUPONT ép. MARTIN`, `MARTIN née DUPONT` → `DUPONT`), words
/// upper-cased without accents ([`name_words`]), `ST`/`STE` written out as `SAINT`/`SAINTE`,
/// particles kept, and the words joined with no separator: `Le Goff`, `LE-GOFF` and `LEGOFF`
/// → `LEGOFF`; `N'Diaye` → `NDIAYE`.
pub fn normalise_nom(s: &str) -> Result<String, Problem> {
    let words = birth_name_words(name_words(s))
        .into_iter()
        .map(|w| match w.as_str() {
            "ST" => "SAINT".to_string(),
            "STE" => "SAINTE".to_string(),
            _ => w,
        })
        .collect();
    joined_name(words, Field::Nom)
}

/// The first name (`prénom`) as hashed: the whole compound first name, words upper-cased
/// without accents ([`name_words`]) and joined with no separator (`Jean-Pierre`, `JEAN PIERRE`
/// → `JEANPIERRE`; `Jean Pierre Marie` → `JEANPIERREMARIE`). A list of given names separated
/// by `,`, `;` or `/` keeps its first element (`Jean-Pierre, Marie` → `JEANPIERRE`).
pub fn normalise_prenom(s: &str) -> Result<String, Problem> {
    let first = s.split([',', ';', '/']).next().unwrap_or("");
    joined_name(name_words(first), Field::Prenom)
}

/// Sex as hashed: `1` for `M`, `H`, `1`, `masculin`, `masc`, `homme`, `male`; `2` for `F`,
/// `2`, `féminin`, `fém`, `femme`, `female` (any case, accents and a trailing dot ignored).
/// Anything else (`I`, `X`, `0`, `9`, `inconnu`) is refused.
pub fn normalise_sexe(s: &str) -> Result<u8, Problem> {
    let folded: String = name_words(s).concat();
    let digits = s.trim().trim_end_matches('.');
    let code = match (folded.as_str(), digits) {
        (_, "1") | ("M" | "H" | "MASCULIN" | "MASC" | "HOMME" | "MALE", _) => 1,
        (_, "2") | ("F" | "FEMININ" | "FEM" | "FEMME" | "FEMALE", _) => 2,
        ("", "") => return Err(Problem::new(Field::Sexe, Reason::Missing)),
        _ => return Err(Problem::new(Field::Sexe, Reason::Unparseable)),
    };
    Ok(code)
}

/// The birth date as hashed: `YYYYMMDD`. Accepted: `1946-12-30`, `1946/12/30`, `30/12/1946`,
/// `30-12-1946`, `30.12.1946` (day before month; one-digit day or month allowed),
/// `19461230`, `30121946` (eight digits: year first when that reading is a valid date, else
/// day first; both cannot be valid), a time after the date (`1946-12-30T00:00:00`,
/// `30/12/1946 00:00`), and written months (`30 décembre 1946`, `1er janvier 1946`,
/// `30 déc. 1946`: a month is its name or an unambiguous prefix of at least 3 letters; a
/// leading weekday is ignored). Two-digit years (`30/12/46`) are refused, never guessed, and
/// so are impossible dates (`31/02/1946`, `00/12/1946`) and years outside 1850–2100.
pub fn normalise_naissance(s: &str) -> Result<String, Problem> {
    let bad = |r| Problem::new(Field::Naissance, r);
    let s = without_time(s.trim());
    if s.is_empty() {
        return Err(bad(Reason::Missing));
    }
    let (y, m, d) = if s.bytes().all(|b| b.is_ascii_digit()) {
        compact_date(s).map_err(bad)?
    } else if s
        .bytes()
        .all(|b| b.is_ascii_digit() || b"-/. ".contains(&b))
    {
        numeric_date(s).map_err(bad)?
    } else {
        written_date(s).map_err(bad)?
    };
    if !valid_date(y, m, d) {
        return Err(bad(Reason::ImpossibleDate));
    }
    Ok(format!("{y:04}{m:02}{d:02}"))
}

/// `s` without a trailing time of day (`T00:00:00`, ` 00:00`, `T00:00:00.000Z`).
fn without_time(s: &str) -> &str {
    let Some(p) = s.find(['T', 't', ' ']) else {
        return s;
    };
    let rest = s[p + 1..].trim();
    let time_like = rest.contains(':')
        && rest
            .bytes()
            .all(|b| b.is_ascii_digit() || b":.,+-Zz ".contains(&b));
    if time_like {
        s[..p].trim_end()
    } else {
        s
    }
}

fn valid_date(y: i32, m: u32, d: u32) -> bool {
    YEARS.contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

fn num<T: std::str::FromStr>(s: &str) -> Result<T, Reason> {
    s.parse().map_err(|_| Reason::Unparseable)
}

/// Eight digits, `YYYYMMDD` or `DDMMYYYY`; six digits are a two-digit year.
fn compact_date(s: &str) -> Result<(i32, u32, u32), Reason> {
    match s.len() {
        8 => {
            let year_first = (num(&s[..4])?, num(&s[4..6])?, num(&s[6..])?);
            if valid_date(year_first.0, year_first.1, year_first.2) {
                return Ok(year_first);
            }
            Ok((num(&s[4..])?, num(&s[2..4])?, num(&s[..2])?))
        }
        6 => Err(Reason::TwoDigitYear),
        _ => Err(Reason::Unparseable),
    }
}

/// Three groups of digits: year first when it has four digits, else day, month, year.
fn numeric_date(s: &str) -> Result<(i32, u32, u32), Reason> {
    let groups: Vec<&str> = s
        .split(['-', '/', '.', ' '])
        .filter(|g| !g.is_empty())
        .collect();
    let [a, b, c] = groups[..] else {
        return Err(Reason::Unparseable);
    };
    match (a.len(), b.len(), c.len()) {
        (4, 1..=2, 1..=2) => Ok((num(a)?, num(b)?, num(c)?)),
        (1..=2, 1..=2, 4) => Ok((num(c)?, num(b)?, num(a)?)),
        (1..=2, 1..=2, 2) => Err(Reason::TwoDigitYear),
        _ => Err(Reason::Unparseable),
    }
}

/// `[weekday] day month-name year`, e.g. `30 décembre 1946`, `1er janvier 1946`.
fn written_date(s: &str) -> Result<(i32, u32, u32), Reason> {
    let lower: String = s
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    let mut tokens: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '-' | '/'))
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.first().is_some_and(|t| *t == "le") {
        tokens.remove(0);
    }
    if tokens.first().is_some_and(|t| WEEKDAYS.contains(t)) {
        tokens.remove(0);
    }
    let [day, month, year] = tokens[..] else {
        return Err(Reason::Unparseable);
    };
    let day = day.strip_suffix("er").unwrap_or(day);
    if year.len() == 2 && year.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Reason::TwoDigitYear);
    }
    if year.len() != 4 || day.is_empty() || day.len() > 2 {
        return Err(Reason::Unparseable);
    }
    Ok((num(year)?, month_number(month)?, num(day)?))
}

/// A month's number from its folded name or an unambiguous prefix of at least 3 letters.
fn month_number(token: &str) -> Result<u32, Reason> {
    if let Some(i) = MONTHS_FOLDED.iter().position(|m| *m == token) {
        return Ok(i as u32 + 1);
    }
    let matches: Vec<usize> = (0..12)
        .filter(|&i| token.len() >= 3 && MONTHS_FOLDED[i].starts_with(token))
        .collect();
    match matches[..] {
        [i] => Ok(i as u32 + 1),
        _ => Err(Reason::Unparseable),
    }
}

/// The NIR as hashed: its 13 significant characters (sex, year, month, department — `2A`/`2B`
/// upper-cased —, commune, order number). Spaces, dots, dashes and underscores are ignored;
/// 13 characters (no key) are accepted, and with 15 the key must be right
/// (`97 − (n mod 97)`, `2A`/`2B` counted as `19`/`18`). The first digit must be 1, 2, 3, 4,
/// 7 or 8.
pub fn normalise_nir(s: &str) -> Result<String, Problem> {
    let bad = |r| Problem::new(Field::Nir, r);
    let c: String = s
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '.' | '-' | '_' | '\u{2010}' | '\u{2011}')))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if c.is_empty() {
        return Err(bad(Reason::Missing));
    }
    if !(c.len() == 13 || c.len() == 15) || !c.is_ascii() {
        return Err(bad(Reason::Unparseable));
    }
    let b = c.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let department_ok = digits(5..7) || matches!(&b[5..7], b"2A" | b"2B");
    if !matches!(b[0], b'1' | b'2' | b'3' | b'4' | b'7' | b'8')
        || !digits(1..5)
        || !department_ok
        || !digits(7..c.len())
    {
        return Err(bad(Reason::Unparseable));
    }
    if c.len() == 15 {
        let written = u8::try_from(num::<u32>(&c[13..]).map_err(bad)?).unwrap_or(0);
        if voile_core::checksum::nir_key(&c[..13]) != Some(written) {
            return Err(bad(Reason::WrongKey));
        }
    }
    Ok(c[..13].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nom(s: &str) -> String {
        normalise_nom(s).unwrap_or_else(|p| panic!("{s:?}: {p}"))
    }
    fn prenom(s: &str) -> String {
        normalise_prenom(s).unwrap_or_else(|p| panic!("{s:?}: {p}"))
    }
    fn date(s: &str) -> String {
        normalise_naissance(s).unwrap_or_else(|p| panic!("{s:?}: {p}"))
    }
    fn reason<T: std::fmt::Debug>(r: Result<T, Problem>) -> Reason {
        r.expect_err("refused").reason
    }

    #[test]
    fn surnames_fold_case_accents_separators_and_keep_particles() {
        let table = [
            ("Le Goff", "LEGOFF"),
            ("LEGOFF", "LEGOFF"),
            ("le goff", "LEGOFF"),
            ("Le-Goff", "LEGOFF"),
            ("N'Diaye", "NDIAYE"),
            ("N’DIAYE", "NDIAYE"),
            ("NDIAYE", "NDIAYE"),
            ("Lefèvre", "LEFEVRE"),
            ("LEFÈVRE", "LEFEVRE"),
            ("Lefe\u{300}vre", "LEFEVRE"), // NFD input
            ("de  Villiers", "DEVILLIERS"),
            ("D'Artagnan", "DARTAGNAN"),
            ("Cœurdevey", "COEURDEVEY"),
            ("Lætitia", "LAETITIA"),
            ("Strauß", "STRAUSS"),
            ("Østergaard", "OSTERGAARD"),
            ("St-Just", "SAINTJUST"),
            ("SAINT JUST", "SAINTJUST"),
            ("Ste. Marie", "SAINTEMARIE"),
            ("  Dupont-Durand ", "DUPONTDURAND"),
            ("DUPONT DURAND", "DUPONTDURAND"),
            ("Ｄｕｐｏｎｔ", "DUPONT"), // full-width (NFKD)
        ];
        for (input, want) in table {
            assert_eq!(nom(input), want, "{input:?}");
        }
    }

    #[test]
    fn birth_name_is_preferred_over_usage_name() {
        for input in [
            "DUPONT épouse MARTIN",
            "Dupont ép. Martin",
            "DUPONT EP MARTIN",
            "DUPONT Epse MARTIN",
            "DUPONT veuve MARTIN",
            "DUPONT vve MARTIN",
            "MARTIN née DUPONT",
            "Martin nee Dupont",
            "née DUPONT",
            "MARTIN (née DUPONT)",
            "DUPONT",
        ] {
            assert_eq!(nom(input), "DUPONT", "{input:?}");
        }
        // Only a usage name given: it is the only name there is.
        assert_eq!(nom("épouse MARTIN"), "MARTIN");
        assert_eq!(nom("LE GOFF épouse N'DIAYE"), "LEGOFF");
    }

    #[test]
    fn placeholders_initials_and_empty_names_are_refused() {
        assert_eq!(reason(normalise_nom("")), Reason::Missing);
        assert_eq!(reason(normalise_nom(" - ")), Reason::Missing);
        assert_eq!(reason(normalise_nom("épouse")), Reason::Missing);
        for p in ["X", "XXX", "Inconnu", "INCONNUE", "N.C.", "null", "J."] {
            assert_eq!(reason(normalise_nom(p)), Reason::NotAName, "{p:?}");
        }
        assert_eq!(reason(normalise_prenom("J.")), Reason::NotAName);
    }

    #[test]
    fn first_names_keep_the_whole_compound() {
        let table = [
            ("Jean-Pierre", "JEANPIERRE"),
            ("JEAN PIERRE", "JEANPIERRE"),
            ("jean  pierre", "JEANPIERRE"),
            ("Jean Pierre Marie", "JEANPIERREMARIE"),
            ("Jean-Pierre, Marie, Joseph", "JEANPIERRE"),
            ("Jean-Pierre; Marie", "JEANPIERRE"),
            ("Anne-Cécile", "ANNECECILE"),
            ("Zoé", "ZOE"),
            ("Noël", "NOEL"),
        ];
        for (input, want) in table {
            assert_eq!(prenom(input), want, "{input:?}");
        }
        assert_ne!(prenom("Jean"), prenom("Jean-Pierre"));
    }

    #[test]
    fn birth_dates_in_every_accepted_form() {
        for input in [
            "1946-12-30",
            "1946/12/30",
            "30/12/1946",
            "30-12-1946",
            "30.12.1946",
            " 30 / 12 / 1946 ",
            "30121946",
            "19461230",
            "1946-12-30T00:00:00",
            "1946-12-30T00:00:00.000Z",
            "1946-12-30 00:00:00",
            "30/12/1946 00:00",
            "30 décembre 1946",
            "30 DECEMBRE 1946",
            "30 déc. 1946",
            "lundi 30 décembre 1946",
            "le 30 décembre 1946",
        ] {
            assert_eq!(date(input), "19461230", "{input:?}");
        }
        assert_eq!(date("1er janvier 1950"), "19500101");
        assert_eq!(date("1/2/1950"), "19500201");
        assert_eq!(date("01021950"), "19500201");
        assert_eq!(date("29/02/1948"), "19480229");
        assert_eq!(date("3 juil 1950"), "19500703");
    }

    #[test]
    fn doubtful_dates_are_refused_with_a_reason() {
        assert_eq!(reason(normalise_naissance("")), Reason::Missing);
        assert_eq!(
            reason(normalise_naissance("30/12/46")),
            Reason::TwoDigitYear
        );
        assert_eq!(reason(normalise_naissance("301246")), Reason::TwoDigitYear);
        assert_eq!(
            reason(normalise_naissance("30 déc 46")),
            Reason::TwoDigitYear
        );
        for impossible in [
            "31/02/1946",
            "29/02/1949",
            "00/12/1946",
            "1946-13-01",
            "9999-12-31",
        ] {
            assert_eq!(
                reason(normalise_naissance(impossible)),
                Reason::ImpossibleDate,
                "{impossible:?}"
            );
        }
        for garbage in [
            "1946",
            "12/1946",
            "30 jui 1946",
            "hier",
            "30/12/1946/1",
            "1946123",
        ] {
            assert_eq!(
                reason(normalise_naissance(garbage)),
                Reason::Unparseable,
                "{garbage:?}"
            );
        }
    }

    #[test]
    fn sex_encodings() {
        for m in ["M", "m", "H", "1", "Masculin", "masc.", "HOMME", " m "] {
            assert_eq!(normalise_sexe(m), Ok(1), "{m:?}");
        }
        for f in ["F", "f", "2", "Féminin", "FEMININ", "fém.", "Femme"] {
            assert_eq!(normalise_sexe(f), Ok(2), "{f:?}");
        }
        assert_eq!(reason(normalise_sexe(" ")), Reason::Missing);
        for other in ["I", "X", "0", "9", "inconnu", "3"] {
            assert_eq!(
                reason(normalise_sexe(other)),
                Reason::Unparseable,
                "{other:?}"
            );
        }
    }

    /// A valid NIR with its key, built from a 13-character body.
    fn with_key(body: &str) -> String {
        format!("{body}{:02}", voile_core::checksum::nir_key(body).unwrap())
    }

    #[test]
    fn nir_spacing_key_and_corsica() {
        let full = with_key("1461275123456");
        let spaced = format!(
            "{} {} {} {} {} {} {}",
            &full[..1],
            &full[1..3],
            &full[3..5],
            &full[5..7],
            &full[7..10],
            &full[10..13],
            &full[13..]
        );
        for input in [
            full.clone(),
            spaced.clone(),
            spaced.replace(' ', "."),
            spaced.replace(' ', "-"),
            "1461275123456".to_string(),
        ] {
            assert_eq!(
                normalise_nir(&input),
                Ok("1461275123456".into()),
                "{input:?}"
            );
        }
        let corsica = with_key("246122A123456");
        assert_eq!(normalise_nir(&corsica), Ok("246122A123456".into()));
        assert_eq!(
            normalise_nir(&corsica.to_lowercase()),
            Ok("246122A123456".into())
        );
        let wrong = format!(
            "1461275123456{:02}",
            (voile_core::checksum::nir_key("1461275123456").unwrap() % 97) + 1
        );
        assert_eq!(reason(normalise_nir(&wrong)), Reason::WrongKey);
        assert_eq!(reason(normalise_nir("")), Reason::Missing);
        for bad in [
            "146127512345",
            "5461275123456",
            "14612751234X6",
            "1461275123456789",
        ] {
            assert_eq!(reason(normalise_nir(bad)), Reason::Unparseable, "{bad:?}");
        }
    }
}
