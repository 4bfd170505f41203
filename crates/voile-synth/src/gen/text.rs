//! Case and accent helpers shared by the entity renderers.

/// Strip French diacritics (and ligatures) from one char; `None` when unchanged.
pub fn strip_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
        'À' | 'Â' | 'Ä' | 'Á' | 'Ã' | 'Å' => "A",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'É' | 'È' | 'Ê' | 'Ë' => "E",
        'î' | 'ï' | 'í' | 'ì' => "i",
        'Î' | 'Ï' | 'Í' | 'Ì' => "I",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
        'Ô' | 'Ö' | 'Ó' | 'Ò' | 'Õ' => "O",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'Ù' | 'Û' | 'Ü' | 'Ú' => "U",
        'ç' => "c",
        'Ç' => "C",
        'ÿ' => "y",
        'Ÿ' => "Y",
        'ñ' => "n",
        'Ñ' => "N",
        'œ' => "oe",
        'Œ' => "OE",
        'æ' => "ae",
        'Æ' => "AE",
        _ => return None,
    })
}

pub fn strip_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match strip_char(c) {
            Some(r) => out.push_str(r),
            None => out.push(c),
        }
    }
    out
}

/// Lowercase ASCII slug for e-mail local parts and domains: accents stripped, letters and
/// digits kept, every other run of characters replaced by `sep` (or dropped when empty).
pub fn slug(s: &str, sep: &str) -> String {
    let mut out = String::new();
    let mut pending = false;
    for c in strip_accents(s).chars() {
        if c.is_ascii_alphanumeric() {
            if pending && !out.is_empty() {
                out.push_str(sep);
            }
            pending = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending = true;
        }
    }
    out
}

const LOWER_PARTICLES: [&str; 5] = ["de", "du", "des", "d'", "et"];

/// `JEAN-PIERRE` → `Jean-Pierre`, `LE FLOCH` → `Le Floch`, `N'DIAYE` → `N'Diaye`,
/// `DE LA FONTAINE` → `de La Fontaine`. Words already in mixed case are kept.
pub fn title_case(s: &str) -> String {
    if s.chars().any(|c| c.is_lowercase()) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String, next: Option<char>| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        let is_particle =
            LOWER_PARTICLES.contains(&lower.as_str()) || (lower == "d" && next == Some('\''));
        let lower_particle = matches!(lower.as_str(), "de" | "du" | "des");
        if is_particle && (!out.is_empty() || lower_particle) {
            out.push_str(&lower);
        } else {
            let mut cs = lower.chars();
            if let Some(f) = cs.next() {
                out.extend(f.to_uppercase());
                out.push_str(cs.as_str());
            }
        }
        word.clear();
    };
    for c in s.chars() {
        if c == ' ' || c == '-' || c == '\'' || c == '’' {
            flush(&mut word, &mut out, Some(c));
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out, None);
    out
}

/// First letter upper-cased (`mars` → `Mars`).
pub fn capitalise(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_handles_particles_and_apostrophes() {
        assert_eq!(title_case("JEAN-PIERRE"), "Jean-Pierre");
        assert_eq!(title_case("LE FLOCH"), "Le Floch");
        assert_eq!(title_case("N'DIAYE"), "N'Diaye");
        assert_eq!(title_case("DE LA FONTAINE"), "de La Fontaine");
        assert_eq!(title_case("D'ALMEIDA"), "D'Almeida");
        assert_eq!(title_case("JEAN D'ARC"), "Jean d'Arc");
        assert_eq!(title_case("Éloïse"), "Éloïse");
        assert_eq!(title_case("ÉLODIE"), "Élodie");
    }

    #[test]
    fn slugs_are_ascii_lowercase() {
        assert_eq!(slug("Jean-Pierre", ""), "jeanpierre");
        assert_eq!(slug("de Villiers", "-"), "de-villiers");
        assert_eq!(slug("Saint-Étienne", "-"), "saint-etienne");
        assert_eq!(strip_accents("Cœur éléphant Ç"), "Coeur elephant C");
    }
}
