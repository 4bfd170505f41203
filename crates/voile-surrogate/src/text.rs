//! Case and accent folding, and rendering a surrogate in the original's typographic form.

/// The base letter of a Latin letter with diacritics (lowercase in, lowercase out);
/// ligatures expand (`œ` → `oe`).
fn push_folded_char(c: char, out: &mut String) {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
        'ç' => out.push('c'),
        'è' | 'é' | 'ê' | 'ë' => out.push('e'),
        'ì' | 'í' | 'î' | 'ï' => out.push('i'),
        'ñ' => out.push('n'),
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => out.push('o'),
        'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
        'ý' | 'ÿ' => out.push('y'),
        'œ' => out.push_str("oe"),
        'æ' => out.push_str("ae"),
        _ => out.push(c),
    }
}

/// Lowercase, accents removed, every other character kept.
pub(crate) fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        for l in c.to_lowercase() {
            push_folded_char(l, &mut out);
        }
    }
    out
}

/// [`fold`] keeping only letters and digits: the comparison key of a surface
/// (`Le-Floch`, `LE FLOCH` and `le floch` agree).
pub(crate) fn fold_alnum(s: &str) -> String {
    if s.is_ascii() {
        return s
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_lowercase() as char)
            .collect();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| c.is_alphanumeric()) {
        for l in c.to_lowercase() {
            push_folded_char(l, &mut out);
        }
    }
    out
}

/// `s` with accents removed, case kept (for originals written without accents in capitals).
pub(crate) fn strip_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_uppercase() {
            let mut low = String::new();
            for l in c.to_lowercase() {
                push_folded_char(l, &mut low);
            }
            out.extend(low.chars().flat_map(char::to_uppercase));
        } else {
            push_folded_char(c, &mut out);
        }
    }
    out
}

/// How a surface is capitalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// `DUPONT`
    Upper,
    /// `dupont`
    Lower,
    /// `Dupont`, `Le Floch`, `de Villiers`: rendered in the list's own form.
    Natural,
}

impl Case {
    /// The case of `s`'s letters; a lone capital (`J`) counts as natural.
    pub(crate) fn of(s: &str) -> Case {
        let mut upper = 0;
        let mut lower = 0;
        for c in s.chars() {
            if c.is_uppercase() {
                upper += 1;
            } else if c.is_lowercase() {
                lower += 1;
            }
        }
        match (upper, lower) {
            (u, 0) if u >= 2 => Case::Upper,
            (0, l) if l > 0 => Case::Lower,
            _ => Case::Natural,
        }
    }

    /// Append `s` to `out` in this case. `ascii_original` drops accents from capitals, as
    /// French capitals are often written (`HELENE`).
    pub(crate) fn push(self, s: &str, ascii_original: bool, out: &mut String) {
        match self {
            Case::Upper if ascii_original => {
                out.extend(strip_accents(s).chars().flat_map(char::to_uppercase))
            }
            Case::Upper => out.extend(s.chars().flat_map(char::to_uppercase)),
            Case::Lower => out.extend(s.chars().flat_map(char::to_lowercase)),
            Case::Natural => out.push_str(s),
        }
    }
}

/// Uppercase the first letter of `s` (for a sentence-initial rendering).
pub(crate) fn capitalise_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The folded first letter of `s` as `0..26`, if it is a Latin letter.
pub(crate) fn letter_index(s: &str) -> Option<usize> {
    let c = s.chars().find(|c| c.is_alphabetic())?;
    let f = fold(&c.to_string());
    let b = *f.as_bytes().first()?;
    b.is_ascii_lowercase().then(|| (b - b'a') as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("Élise-Œdipe"), "elise-oedipe");
        assert_eq!(fold_alnum("LE-FLOCH"), fold_alnum("le floch"));
        assert_eq!(strip_accents("HÉLÈNE Noël"), "HELENE Noel");
    }

    #[test]
    fn case_detection_and_rendering() {
        assert_eq!(Case::of("DUPONT"), Case::Upper);
        assert_eq!(Case::of("dupont"), Case::Lower);
        assert_eq!(Case::of("Le Floch"), Case::Natural);
        assert_eq!(Case::of("J"), Case::Natural);
        let mut s = String::new();
        Case::Upper.push("Hélène", true, &mut s);
        Case::Upper.push("Hélène", false, &mut s);
        Case::Lower.push("Hélène", false, &mut s);
        assert_eq!(s, "HELENEHÉLÈNEhélène");
        assert_eq!(letter_index("Émile"), Some(4));
        assert_eq!(letter_index("'"), None);
        assert_eq!(capitalise_first("deux"), "Deux");
    }
}
