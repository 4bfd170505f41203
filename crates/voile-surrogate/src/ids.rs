//! Identifier surrogates that keep their format and stay valid: NIR with its mod-97 key,
//! RPPS (11 digits) and FINESS/ADELI (9 digits) with their Luhn digit, and a shape-preserving
//! surrogate (digits → digits, letters → letters of the same case, separators kept) for
//! every other identifier.

use crate::pseudonymiser::Ctx;
use crate::rng::Rng;

/// Luhn check digit for `payload` (digit values 0–9, most significant first).
pub(crate) fn luhn_digit(payload: &[u8]) -> u8 {
    let ascii: String = payload.iter().map(|&d| char::from(b'0' + d)).collect();
    voile_core::checksum::luhn_check_digit(&ascii).expect("digit values")
}

/// Whether `digits` (digit values 0–9) ends with its Luhn check digit.
pub fn luhn_valid(digits: &[u8]) -> bool {
    if digits.iter().any(|&d| d > 9) {
        return false;
    }
    let ascii: String = digits.iter().map(|&d| char::from(b'0' + d)).collect();
    voile_core::checksum::luhn_valid(&ascii)
}

/// The NIR key (`97 - n mod 97`) of 13 significant characters (ASCII, Corsica allowed).
pub fn nir_key(chars: &[u8]) -> Option<u8> {
    voile_core::checksum::nir_key(std::str::from_utf8(chars.get(..13)?).ok()?)
}

/// Whether `s` (spacing allowed) is a 15-character NIR whose key is right.
pub fn nir_valid(s: &str) -> bool {
    let c: Vec<u8> = s
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
        .collect();
    c.len() == 15
        && c[13..].iter().all(u8::is_ascii_digit)
        && nir_key(&c).is_some_and(|k| k == (c[13] - b'0') * 10 + (c[14] - b'0'))
}

fn alnum_upper(s: &str) -> Vec<u8> {
    s.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
        .collect()
}

/// Write `new` (ASCII alphanumerics) into the alphanumeric slots of `template`, keeping its
/// separators; `new` must have as many characters as the template has slots.
fn fill_slots(template: &str, new: &[u8], lower: bool, out: &mut String) {
    let mut it = new.iter();
    for c in template.chars() {
        if c.is_ascii_alphanumeric() {
            let n = *it.next().expect("as many new characters as slots") as char;
            out.push(if lower { n.to_ascii_lowercase() } else { n });
        } else {
            out.push(c);
        }
    }
}

/// NIR surrogate: sex digit kept, year and month those of the surrogate birth date when the
/// scope has one, else the original's shifted by the scope's date shift; a real commune's
/// INSEE code as birthplace; random order number; valid key; layout and presence of the
/// key kept. `None` when the surface is not NIR-shaped.
pub(crate) fn nir(ctx: &Ctx, surface: &str, attempt: u32, out: &mut String) -> Option<()> {
    let c = alnum_upper(surface);
    if !(c.len() == 13 || c.len() == 15) || !c[..5].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut rng = ctx.rng("secu", std::str::from_utf8(&c).ok()?, attempt);
    let (yy, mm) = nir_birth(ctx, &c);
    let mut new = Vec::with_capacity(15);
    new.push(c[0]);
    new.extend_from_slice(format!("{:02}{:02}", yy, mm).as_bytes());
    let mut place = birthplace(ctx, &mut rng);
    for _ in 0..8 {
        if place[..] != c[5..10] {
            break;
        }
        place = birthplace(ctx, &mut rng);
    }
    new.extend_from_slice(&place);
    for i in 0..3 {
        new.push(rng.digit(i == 0) as u8);
    }
    if c.len() == 15 {
        let k = nir_key(&new)?;
        new.extend_from_slice(format!("{k:02}").as_bytes());
    }
    fill_slots(surface, &new, false, out);
    Some(())
}

fn nir_birth(ctx: &Ctx, c: &[u8]) -> (u32, u32) {
    let two = |i: usize| (c[i] - b'0') as u32 * 10 + (c[i + 1] - b'0') as u32;
    let (yy, mm) = (two(1), two(3));
    if let Some((y, m)) = ctx.birth_year_month {
        return (y.rem_euclid(100) as u32, m);
    }
    if !(1..=12).contains(&mm) {
        return (yy, mm); // unknown or special month codes carry no date
    }
    let year = if yy < 50 {
        2000 + yy as i32
    } else {
        1900 + yy as i32
    };
    let (y, m, _) = crate::dates::civil_from_days(
        crate::dates::days_from_civil(year, mm, 15) + ctx.shift.days as i64,
    );
    (y.rem_euclid(100) as u32, m)
}

/// Five characters: department and commune of a real commune (INSEE code) when known.
fn birthplace(ctx: &Ctx, rng: &mut Rng) -> [u8; 5] {
    let d = ctx.data;
    if let Some(i) = d.commune_pool.draw(rng) {
        let insee = d
            .communes_insee
            .get(i as usize)
            .map(String::as_bytes)
            .unwrap_or_default();
        if insee.len() == 5 && insee.iter().all(u8::is_ascii_alphanumeric) {
            let mut out = [0u8; 5];
            out.copy_from_slice(insee);
            out.make_ascii_uppercase();
            return out;
        }
    }
    let dep = 1 + rng.below(95) as u32;
    let dep = if dep == 20 { 21 } else { dep };
    let s = format!("{dep:02}{:03}", 1 + rng.below(999));
    s.as_bytes().try_into().expect("five ASCII digits")
}

/// RPPS (11 digits) / FINESS, ADELI (9 digits) surrogate with a valid Luhn digit, when the
/// original is one (right length and valid key). RPPS keep their `10` prefix.
pub(crate) fn health_id(ctx: &Ctx, surface: &str, attempt: u32, out: &mut String) -> Option<()> {
    let c = alnum_upper(surface);
    if !c.iter().all(u8::is_ascii_digit) || !(c.len() == 9 || c.len() == 11) {
        return None;
    }
    let digits: Vec<u8> = c.iter().map(|b| b - b'0').collect();
    if !luhn_valid(&digits) {
        return None;
    }
    let mut rng = ctx.rng("id-luhn", std::str::from_utf8(&c).ok()?, attempt);
    let mut new: Vec<u8> = Vec::with_capacity(c.len());
    if c.len() == 11 {
        new.extend_from_slice(&digits[..2]);
    } else {
        let dep = 1 + rng.below(95) as u8;
        let dep = if dep == 20 { 21 } else { dep };
        new.extend_from_slice(&[dep / 10, dep % 10]);
    }
    while new.len() < c.len() - 1 {
        new.push(rng.below(10) as u8);
    }
    new.push(luhn_digit(&new));
    let ascii: Vec<u8> = new.iter().map(|d| d + b'0').collect();
    fill_slots(surface, &ascii, false, out);
    Some(())
}

/// Shape-preserving surrogate: each digit → a random digit (a leading non-zero digit stays
/// non-zero), each ASCII letter → a random letter of the same case, everything else kept.
pub(crate) fn shaped(ctx: &Ctx, tag: &str, surface: &str, attempt: u32, out: &mut String) {
    let key: String = alnum_upper(surface).into_iter().map(char::from).collect();
    let mut rng = ctx.rng(tag, &key, attempt);
    push_shaped(&mut rng, surface, out);
}

pub(crate) fn push_shaped(rng: &mut Rng, surface: &str, out: &mut String) {
    let mut prev_digit = false;
    for c in surface.chars() {
        if c.is_ascii_digit() {
            out.push(rng.digit(!prev_digit && c != '0'));
            prev_digit = true;
            continue;
        }
        prev_digit = false;
        if c.is_ascii_uppercase() {
            out.push((b'A' + rng.below(26) as u8) as char);
        } else if c.is_ascii_lowercase() {
            out.push((b'a' + rng.below(26) as u8) as char);
        } else {
            out.push(c);
        }
    }
}

/// Phone surrogate: international prefix style (`+33`, `0033`, `(0)`, leading `0`) and
/// separators kept; mobiles (6, 7) stay mobile, geographic numbers (1–5) stay geographic,
/// 8 and 9 keep their type; the other eight digits are random. Numbers that are not French
/// 10-digit numbers get a shape-preserving surrogate.
pub(crate) fn phone(ctx: &Ctx, surface: &str, attempt: u32, out: &mut String) {
    let digits: Vec<u8> = surface.bytes().filter(u8::is_ascii_digit).collect();
    let prefix_len = national_prefix_len(surface, &digits);
    let key: String = digits.iter().map(|&b| b as char).collect();
    let mut rng = ctx.rng("tel", &key, attempt);
    let Some(p) = prefix_len.filter(|&p| digits.len() == p + 9) else {
        return push_shaped(&mut rng, surface, out);
    };
    let kind = digits[p];
    let mut new: Vec<u8> = digits[..p].to_vec();
    new.push(match kind {
        b'6' | b'7' => b'6' + rng.below(2) as u8,
        b'1'..=b'5' => b'1' + rng.below(5) as u8,
        other => other,
    });
    for _ in 0..8 {
        new.push(rng.digit(false) as u8);
    }
    let mut it = new.into_iter();
    for c in surface.chars() {
        if c.is_ascii_digit() {
            out.push(it.next().expect("one new digit per digit") as char);
        } else {
            out.push(c);
        }
    }
}

/// How many leading digits are the trunk/international prefix (`0`, `33`, `330` for
/// `+33 (0)`, `0033`).
fn national_prefix_len(surface: &str, digits: &[u8]) -> Option<usize> {
    let t = surface.trim_start();
    let intl = if t.starts_with('+') && digits.starts_with(b"33") {
        2
    } else if digits.starts_with(b"0033") {
        4
    } else if digits.first() == Some(&b'0') {
        return Some(1);
    } else {
        return None;
    };
    Some(
        if digits.get(intl) == Some(&b'0') && digits.len() == intl + 10 {
            intl + 1
        } else {
            intl
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums() {
        assert!(luhn_valid(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]));
        assert!(!luhn_valid(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 4]));
        // A textbook NIR and its key.
        assert!(nir_valid("1 85 05 78 006 084 91"));
        assert!(!nir_valid("1 85 05 78 006 084 92"));
        let corsica = b"285052A006084";
        let k = nir_key(corsica).unwrap();
        assert!(nir_valid(&format!("285052A006084{k:02}")));
    }
}
