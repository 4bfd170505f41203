//! Phone numbers, NIR, patient/stay identifiers and professional/sample identifiers, with
//! valid check keys where the real scheme has one (NIR mod 97, RPPS and FINESS Luhn, IBAN).

use crate::rng::Rng;

/// National phone number digits (`0X XX XX XX XX` without separators).
pub fn mobile(rng: &mut Rng) -> String {
    format!(
        "0{}{}",
        if rng.chance(650) { '6' } else { '7' },
        rng.digits(8)
    )
}

/// Landline area digit from a département code (1 Île-de-France … 5 south-west), `9` for boxes.
pub fn area_digit(dept: &str) -> char {
    const NW: [&str; 22] = [
        "14", "18", "22", "27", "28", "29", "35", "36", "37", "41", "44", "45", "49", "50", "53",
        "56", "61", "72", "76", "85", "79", "86",
    ];
    const NE: [&str; 24] = [
        "02", "08", "10", "21", "25", "39", "51", "52", "54", "55", "57", "58", "59", "60", "62",
        "67", "68", "70", "71", "80", "88", "89", "90", "03",
    ];
    const SE: [&str; 22] = [
        "01", "04", "05", "06", "07", "11", "13", "2A", "2B", "26", "30", "34", "38", "42", "43",
        "48", "63", "66", "69", "73", "74", "83",
    ];
    match dept {
        "75" | "77" | "78" | "91" | "92" | "93" | "94" | "95" => '1',
        d if NW.contains(&d) => '2',
        d if NE.contains(&d) => '3',
        d if SE.contains(&d) || d == "84" => '4',
        d if d.starts_with("97") => '9',
        _ => '5',
    }
}

pub fn landline(rng: &mut Rng, dept: Option<&str>) -> String {
    let area = match dept {
        Some(d) if rng.chance(900) => area_digit(d),
        _ => char::from(b'1' + rng.below(5) as u8),
    };
    format!("0{area}{}", rng.digits(8))
}

/// A fax next to a landline: same exchange, different line.
pub fn fax_near(landline: &str, rng: &mut Rng) -> String {
    format!("{}{}", &landline[..6], rng.digits(4))
}

pub const TEL_STYLES: usize = 10;

pub fn draw_tel_style(rng: &mut Rng) -> usize {
    const CUM: [u64; TEL_STYLES] = [45, 60, 67, 79, 87, 90, 93, 97, 99, 100];
    rng.weighted(&CUM)
}

/// Format 10 national digits in one of [`TEL_STYLES`].
pub fn format_tel(n: &str, style: usize) -> String {
    let pairs: Vec<&str> = (0..5).map(|i| &n[2 * i..2 * i + 2]).collect();
    let intl_rest = format!("{} {}", &n[1..2], pairs[1..].join(" "));
    match style {
        0 => pairs.join(" "),
        1 => pairs.join("."),
        2 => pairs.join("-"),
        3 => n.to_string(),
        4 => format!("+33 {intl_rest}"),
        5 => format!("+33 (0){}", intl_rest),
        6 => format!("0033 {intl_rest}"),
        7 => format!("+33{}", &n[1..]),
        8 => pairs.join("/"),
        _ => format!("{} {} {}", &n[..4], &n[4..7], &n[7..]),
    }
}

/// Where a person was born, for the NIR: an INSEE commune code or a foreign country code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BirthPlace {
    Commune { insee: String },
    Abroad { country: &'static str },
}

/// INSEE country codes of frequent birth countries abroad (99 + code in the NIR).
pub const COUNTRIES: [&str; 10] = [
    "352", "350", "351", "139", "127", "134", "109", "122", "341", "312",
];

/// The 13-digit NIR body (sex, year, month, place, order), `2A`/`2B` kept for display.
pub fn nir_body(male: bool, year: i32, month: u32, place: &BirthPlace, rng: &mut Rng) -> String {
    let placecode = match place {
        BirthPlace::Commune { insee } if insee.len() == 5 => insee.clone(),
        BirthPlace::Commune { .. } => format!("{:05}", rng.below(95_000) + 1000),
        BirthPlace::Abroad { country } => format!("99{country}"),
    };
    // Month 20 or 30–42 are used for unknown months; keep a small share of them.
    let month = if rng.chance(8) { 20 } else { month };
    format!(
        "{}{:02}{month:02}{placecode}{:03}",
        if male { 1 } else { 2 },
        year.rem_euclid(100),
        rng.below(999) + 1
    )
}

/// NIR key: 97 − (number mod 97), with Corsica's 2A → 19 and 2B → 18.
pub fn nir_key(body: &str) -> u32 {
    u32::from(voile_core::checksum::nir_key(body).expect("NIR body has 13 characters"))
}

pub fn format_nir(body: &str, rng: &mut Rng) -> String {
    let key = format!("{:02}", nir_key(body));
    let (s, y, m, d, c, o) = (
        &body[..1],
        &body[1..3],
        &body[3..5],
        &body[5..7],
        &body[7..10],
        &body[10..13],
    );
    match rng.below(100) {
        0..=44 => format!("{s} {y} {m} {d} {c} {o} {key}"),
        45..=69 => format!("{body}{key}"),
        70..=79 => format!("{body} {key}"),
        80..=87 => format!("{s} {y} {m} {d} {c} {o}"),
        88..=92 => format!("{s}.{y}.{m}.{d}.{c}.{o}.{key}"),
        93..=96 => format!("{s} {y} {m} {d} {c} {o} - {key}"),
        _ => format!("{s}{y}{m}{d}{c}{o} {key}"),
    }
}

/// Luhn check digit for a digit string.
pub fn luhn_digit(payload: &str) -> u32 {
    u32::from(voile_core::checksum::luhn_check_digit(payload).expect("ASCII digits"))
}

pub fn luhn_valid(s: &str) -> bool {
    voile_core::checksum::luhn_valid(s)
}

/// RPPS: 11 digits starting with `10`, Luhn-valid.
pub fn rpps(rng: &mut Rng) -> String {
    let p = format!("10{}", rng.digits(8));
    format!("{p}{}", luhn_digit(&p))
}

/// FINESS: département + 7 digits incl. a Luhn key (9 characters).
pub fn finess(dept: Option<&str>, rng: &mut Rng) -> String {
    let dept = match dept {
        Some(d) if d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()) => d.to_string(),
        _ => format!("{:02}", rng.below(95) + 1),
    };
    let p = format!(
        "{dept}{}{}",
        if rng.chance(500) { '0' } else { '1' },
        rng.digits(5)
    );
    format!("{p}{}", luhn_digit(&p))
}

/// ADELI: département, profession code, serial (9 digits).
pub fn adeli(dept: Option<&str>, rng: &mut Rng) -> String {
    let dept = dept
        .filter(|d| d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or("75");
    let prof = *rng.pick(&["1", "6", "7", "9", "0", "8"]);
    format!("{dept}{prof}{}", rng.digits(6))
}

/// A French IBAN with a valid RIB key and IBAN check digits, grouped by 4.
pub fn iban(rng: &mut Rng) -> String {
    let (bank, branch, account) = (rng.digits(5), rng.digits(5), rng.digits(11));
    let num = |s: &str| s.parse::<u128>().expect("digits");
    let rib = 97 - (89 * num(&bank) + 15 * num(&branch) + 3 * num(&account)) % 97;
    let bban = format!("{bank}{branch}{account}{rib:02}");
    let rearranged = format!("{bban}152700");
    let check = 98 - mod97(&rearranged);
    let full = format!("FR{check:02}{bban}");
    let groups: Vec<String> = full
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    if rng.chance(800) {
        groups.join(" ")
    } else {
        full
    }
}

pub fn mod97(digits: &str) -> u32 {
    digits
        .bytes()
        .fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97)
}

/// Patient identifier shapes (the document's hospital uses one `style`).
pub fn ipp(style: u64, rng: &mut Rng) -> String {
    match style % 8 {
        0 => rng.digits(8),
        1 => format!("{}{}", rng.range(1, 9), rng.digits(9)),
        2 => format!("80{}", rng.digits(7)),
        3 => format!("P{}", rng.digits(8)),
        4 => format!("{}{}", rng.pick(&["NA", "IP", "PA", "GH"]), rng.digits(7)),
        5 => format!("000{}", rng.digits(6)),
        6 => format!("{} {} {}", rng.digits(3), rng.digits(3), rng.digits(3)),
        _ => rng.digits(9),
    }
}

/// Stay/visit identifier shapes.
pub fn nda(style: u64, year: i32, rng: &mut Rng) -> String {
    let yy = year.rem_euclid(100);
    match style % 7 {
        0 => format!("{yy:02}{}", rng.digits(7)),
        1 => rng.digits(10),
        2 => format!("V{}", rng.digits(8)),
        3 => format!("{year}{}", rng.digits(6)),
        4 => format!("S{year}-{}", rng.digits(6)),
        5 => format!("E{}", rng.digits(9)),
        _ => rng.digits(8),
    }
}

pub fn echantillon(year: i32, rng: &mut Rng) -> String {
    let yy = year.rem_euclid(100);
    match rng.below(6) {
        0 => format!("ECH-{year}-{}", rng.digits(6)),
        1 => format!("T{yy:02}-{}", rng.digits(5)),
        2 => format!(
            "{yy:02}{}{}",
            rng.pick(&["M", "G", "B", "S"]),
            rng.digits(6)
        ),
        3 => format!("DNA{yy:02}{}", rng.digits(5)),
        4 => rng.digits(10),
        _ => format!("BB-{}-{}", rng.digits(4), rng.digits(3)),
    }
}

pub fn examen(year: i32, rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => format!("AN{year}{}", rng.digits(6)),
        1 => format!("A{}", rng.digits(8)),
        2 => format!("RX-{year}{:02}-{}", rng.range(1, 12), rng.digits(4)),
        3 => format!("{}{}", year.rem_euclid(100), rng.digits(8)),
        _ => format!("EX{}", rng.digits(9)),
    }
}

pub fn demande(year: i32, rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("{} {} {}", rng.digits(2), rng.digits(2), rng.digits(5)),
        1 => format!("LAB-{}", rng.digits(7)),
        2 => format!("D{}{}", year.rem_euclid(100), rng.digits(7)),
        _ => rng.digits(10),
    }
}

pub fn bloc(year: i32, rng: &mut Rng) -> String {
    let yy = year.rem_euclid(100);
    match rng.below(3) {
        0 => format!(
            "{yy:02}H{}-{}{}",
            rng.digits(5),
            rng.pick(&["A", "B", "C"]),
            rng.range(1, 9)
        ),
        1 => format!(
            "B{year}-{} {}{}",
            rng.digits(4),
            rng.pick(&["A", "B"]),
            rng.range(1, 6)
        ),
        _ => format!("{}{yy:02}-{}", rng.pick(&["P", "H", "C"]), rng.digits(5)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nir_keys_are_valid_including_corsica() {
        // Known example: 1 55 08 2A 123 456 → with 2A→19.
        let body = "1550819123456";
        let n: u64 = body.parse().unwrap();
        assert_eq!(nir_key("155082A123456"), (97 - n % 97) as u32);
        let mut rng = Rng::from_parts(&[1]);
        for _ in 0..100 {
            let place = BirthPlace::Commune {
                insee: "2B033".into(),
            };
            let b = nir_body(false, 1962, 7, &place, &mut rng);
            assert!(b.starts_with("262") && b.contains("2B033"), "{b}");
            let numeric: u64 = b.replace("2B", "18").parse().unwrap();
            assert_eq!((numeric + u64::from(nir_key(&b))) % 97, 0);
        }
    }

    #[test]
    fn rpps_finess_iban_are_valid() {
        let mut rng = Rng::from_parts(&[2]);
        for _ in 0..100 {
            let r = rpps(&mut rng);
            assert_eq!(r.len(), 11);
            assert!(luhn_valid(&r));
            let f = finess(Some("44"), &mut rng);
            assert!(f.len() == 9 && f.starts_with("44") && luhn_valid(&f), "{f}");
            let i = iban(&mut rng).replace(' ', "");
            assert_eq!(i.len(), 27);
            let rearranged = format!("{}1527{}", &i[4..], &i[2..4]);
            assert_eq!(mod97(&rearranged), 1, "{i}");
        }
        assert!(luhn_valid("79927398713"));
    }

    #[test]
    fn phone_styles_keep_all_digits() {
        let n = "0240123456";
        for s in 0..TEL_STYLES {
            let f = format_tel(n, s);
            let digits: String = f.chars().filter(char::is_ascii_digit).collect();
            assert!(digits.ends_with("240123456"), "{f}");
            assert_eq!(f.trim(), f);
        }
        assert_eq!(area_digit("44"), '2');
        assert_eq!(area_digit("75"), '1');
    }
}
