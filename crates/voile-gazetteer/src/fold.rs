//! Case and accent folding with a byte map back to the original text.
//!
//! The folded text is ASCII-lowercase for every French letter (`É`→`e`, `œ`→`oe`, `ﬁ`→`fi`),
//! apostrophes are unified to `'`, hyphens inside words to `-`, and any other non-alphanumeric
//! non-ASCII character becomes a space, so word boundaries are plain ASCII tests.

/// Folded text plus, for every folded byte, the byte offset of the original char it came from.
#[derive(Debug, Default, Clone)]
pub struct Folded {
    pub text: String,
    /// `map[i]` = original start of the char that produced folded byte `i`; `map[len]` = original length.
    pub map: Vec<u32>,
}

impl Folded {
    /// Original byte range of the folded range `fs..fe` (both on folded char boundaries
    /// produced by distinct original chars, which holds at word boundaries).
    pub fn original(&self, fs: usize, fe: usize) -> (usize, usize) {
        (self.map[fs] as usize, self.map[fe] as usize)
    }
}

/// Fold `text` (see module doc). Runs in one pass; ASCII takes a fast path.
pub fn fold(text: &str) -> Folded {
    let mut out = Folded {
        text: String::with_capacity(text.len() + 8),
        map: Vec::with_capacity(text.len() + 9),
    };
    fold_into(text, &mut out);
    out
}

/// Same as [`fold`], reusing `out`'s buffers.
pub fn fold_into(text: &str, out: &mut Folded) {
    out.text.clear();
    out.map.clear();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            out.text.push(b.to_ascii_lowercase() as char);
            out.map.push(i as u32);
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("char boundary");
        let len = c.len_utf8();
        let prev = text[..i].chars().next_back();
        let next = text[i + len..].chars().next();
        push_folded(c, prev, next, i as u32, out);
        i += len;
    }
    out.map.push(text.len() as u32);
}

fn push_str(s: &str, at: u32, out: &mut Folded) {
    out.text.push_str(s);
    out.map.extend(std::iter::repeat_n(at, s.len()));
}

fn push_folded(c: char, prev: Option<char>, next: Option<char>, at: u32, out: &mut Folded) {
    if let Some(s) = fold_char(c) {
        return push_str(s, at, out);
    }
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{00B4}' | '\u{2032}' => push_str("'", at, out),
        '\u{2010}' | '\u{2011}' => push_str("-", at, out),
        '\u{2012}' | '\u{2013}' | '\u{2212}' => {
            let inside =
                prev.is_some_and(char::is_alphabetic) && next.is_some_and(char::is_alphabetic);
            push_str(if inside { "-" } else { " " }, at, out)
        }
        // Combining marks (NFD input) belong to the previous letter: they produce nothing.
        '\u{0300}'..='\u{036F}' => {}
        _ if c.is_alphanumeric() => {
            let mut buf = [0u8; 4];
            for l in c.to_lowercase() {
                push_str(l.encode_utf8(&mut buf), at, out);
            }
        }
        _ => push_str(" ", at, out),
    }
}

/// ASCII folding of Latin letters used in French and neighbouring languages.
fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'ā' | 'ă' | 'ą'
        | 'Ā' | 'Ă' | 'Ą' => "a",
        'ç' | 'Ç' | 'ć' | 'č' | 'Ć' | 'Č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'Ē' | 'Ė' | 'Ę'
        | 'Ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'ī' | 'į' | 'ı' | 'İ' => "i",
        'ñ' | 'Ñ' | 'ń' | 'ň' | 'Ń' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'ō' | 'ő' | 'Ō'
        | 'Ő' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'ū' | 'ů' | 'ű' | 'Ū' | 'Ů' | 'Ű' => {
            "u"
        }
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => "s",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        'ł' | 'Ł' => "l",
        'ř' | 'Ř' => "r",
        'ğ' | 'Ğ' => "g",
        'ď' | 'đ' | 'Ď' | 'Đ' => "d",
        'ţ' | 'ť' | 'Ţ' | 'Ť' => "t",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬀ' => "ff",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        '\u{00A0}' | '\u{202F}' | '\u{2009}' => " ",
        _ => return None,
    })
}

/// Fold a list entry (same rules as text), collapsing runs of spaces.
pub fn fold_key(s: &str) -> String {
    let s = s.trim();
    if s.is_ascii() {
        return ascii_key(s);
    }
    let f = fold(s).text;
    let mut out = String::with_capacity(f.len());
    for w in f.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// [`fold_key`] for ASCII input (most list entries): lowercase, runs of spaces to one.
/// Must agree with the general path, which a test checks.
fn ascii_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().map(|c| c.to_ascii_lowercase()));
    }
    out
}

/// Word characters of the folded text: ASCII alphanumerics and any remaining non-ASCII letter.
#[inline]
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

#[cfg(test)]
mod tests {
    #[test]
    fn ascii_key_agrees_with_the_general_fold() {
        for s in [
            "DUPONT",
            "  Jean  Pierre ",
            "Saint-Jean-de-Luz",
            "L'Hay",
            "Dr.",
            "a\tb",
            "O'NEIL  x",
        ] {
            let f = super::fold(s.trim()).text;
            let general: Vec<&str> = f.split(' ').filter(|w| !w.is_empty()).collect();
            assert_eq!(super::ascii_key(s.trim()), general.join(" "), "{s:?}");
        }
    }

    use super::*;

    fn orig<'a>(text: &'a str, f: &Folded, needle: &str) -> &'a str {
        let fs = f.text.find(needle).unwrap();
        let (s, e) = f.original(fs, fs + needle.len());
        &text[s..e]
    }

    #[test]
    fn folds_accents_ligatures_apostrophes_and_maps_back() {
        let text = "Dr Élodie CŒUR, ﬁlle d’Hélène — Jean‐Pierre à Saint–Étienne";
        let f = fold(text);
        assert_eq!(
            f.text,
            "dr elodie coeur, fille d'helene   jean-pierre a saint-etienne"
        );
        assert_eq!(orig(text, &f, "elodie"), "Élodie");
        assert_eq!(orig(text, &f, "coeur"), "CŒUR");
        assert_eq!(orig(text, &f, "fille"), "ﬁlle");
        assert_eq!(orig(text, &f, "d'helene"), "d’Hélène");
        assert_eq!(orig(text, &f, "jean-pierre"), "Jean‐Pierre");
        assert_eq!(orig(text, &f, "saint-etienne"), "Saint–Étienne");
        assert_eq!(f.map.len(), f.text.len() + 1);
    }

    #[test]
    fn nfd_combining_marks_stay_inside_the_word() {
        let text = "He\u{301}le\u{300}ne X";
        let f = fold(text);
        assert_eq!(f.text, "helene x");
        assert_eq!(orig(text, &f, "helene"), "He\u{301}le\u{300}ne");
    }

    #[test]
    fn keys_collapse_spaces() {
        assert_eq!(fold_key("  Le   Gall "), "le gall");
        assert_eq!(fold_key("N’DIAYE"), "n'diaye");
    }
}
