//! Check digits of French identifiers, shared by the detectors (validation), the surrogates
//! (valid replacements) and the synthetic corpus (valid gold identifiers).
//!
//! - Luhn (RPPS, FINESS, ADELI, SIRET): every second digit from the right doubled.
//! - NIR key: `97 − (n mod 97)` over the 13 significant characters, Corsica's `2A`/`2B`
//!   department counted as `19`/`18`.

/// Luhn check digit to append to `payload` (ASCII digits); `None` if a byte is not a digit.
pub fn luhn_check_digit(payload: &str) -> Option<u8> {
    let mut sum = 0u32;
    for (i, b) in payload.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let mut d = u32::from(b - b'0');
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    Some(((10 - sum % 10) % 10) as u8)
}

/// Whether `digits` (ASCII digits, at least two) ends with its Luhn check digit.
pub fn luhn_valid(digits: &str) -> bool {
    if digits.len() < 2 || !digits.is_char_boundary(digits.len() - 1) {
        return false;
    }
    let (payload, last) = digits.split_at(digits.len() - 1);
    let last = last.as_bytes()[0];
    last.is_ascii_digit() && luhn_check_digit(payload) == Some(last - b'0')
}

/// The NIR key (1–97) of its 13 significant characters (`2A`/`2B` in either case at
/// positions 6–7); `None` if they are not 13 digits after the Corsica mapping.
pub fn nir_key(body: &str) -> Option<u8> {
    let b = body.as_bytes();
    if b.len() != 13 {
        return None;
    }
    let mut n: u64 = 0;
    for (i, &c) in b.iter().enumerate() {
        let d = match (i, c.to_ascii_uppercase()) {
            (5, b'2') if matches!(b[6].to_ascii_uppercase(), b'A' | b'B') => 1,
            (6, b'A') if b[5] == b'2' => 9,
            (6, b'B') if b[5] == b'2' => 8,
            (_, c) if c.is_ascii_digit() => u64::from(c - b'0'),
            _ => return None,
        };
        n = n * 10 + d;
    }
    Some((97 - n % 97) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_on_known_numbers() {
        // A Luhn-valid RPPS-shaped number and the classic test number 79927398713.
        assert!(luhn_valid("79927398713"));
        assert!(!luhn_valid("79927398710"));
        assert_eq!(luhn_check_digit("7992739871"), Some(3));
        let p = "1000000000";
        let full = format!("{p}{}", luhn_check_digit(p).unwrap());
        assert!(luhn_valid(&full));
        assert_eq!(luhn_check_digit("12a"), None);
        assert!(!luhn_valid("5") && !luhn_valid("") && !luhn_valid("1é"));
    }

    #[test]
    fn nir_key_with_and_without_corsica() {
        // Key = 97 − (n mod 97) on the plain 13 digits.
        let body = "1850578006084";
        let n: u64 = body.parse().unwrap();
        assert_eq!(nir_key(body), Some((97 - n % 97) as u8));
        // Corsica: 2A counts as 19, 2B as 18, in either case.
        let a: u64 = "2850519006084".parse().unwrap();
        assert_eq!(nir_key("285052A006084"), Some((97 - a % 97) as u8));
        assert_eq!(nir_key("285052a006084"), nir_key("285052A006084"));
        let b: u64 = "2850518006084".parse().unwrap();
        assert_eq!(nir_key("285052B006084"), Some((97 - b % 97) as u8));
        assert_eq!(nir_key("28505XA006084"), None);
        assert_eq!(nir_key("123"), None);
    }
}
