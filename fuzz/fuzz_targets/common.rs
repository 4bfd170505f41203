//! Structure-aware inputs: documents assembled from French clinical fragments, identifiers in
//! many shapes, separators, random Unicode and very long tokens, so the fuzzer spends its time
//! on text that reaches deep into the detectors instead of on random bytes.
#![allow(dead_code)]

use arbitrary::{Arbitrary, Unstructured};
use voile_core::Span;

/// Fragments the detectors react to (cues, identifiers, names, places, dates, layouts).
pub const FRAGMENTS: &[&str] = &[
    "Mme ", "M. ", "Dr ", "Pr ", "née le ", "né le ", "DDN : ", "IPP : ", "NDA : ", "NIR : ",
    "Tél : ", "tel. ", "Fax ", "@", "chu-lyon.fr", ".fr", "CHU de ", "Centre hospitalier ",
    "Clinique Saint-", "EHPAD ", "rue ", "avenue ", "bd ", "allée ", "bis ", "BP ", "CEDEX ",
    "Résidence ", "bât. ", "lieu-dit ", "75012", "69003", "97411", "20000", "2A", "Lyon",
    "PARIS", "Saint-Étienne", "Dupont", "LEFÈVRE", "Jean-Pierre", "N'DIAYE", "de VILLIERS",
    "Nguyễn", "Ben Salah", "12/03/2021", "3 mars 2021", "mars 2021", "1998", "2025-06-17T08:40",
    "20250617084000", "le onze juin deux mille dix-huit", "06 12 34 56 78", "+33 (0)1 42 16",
    "0033", "1 84 12 75 108 042 37", "1841275108042", "80012345", "RPPS 10101234567",
    "FR76 3000 6000 0112 3456 7890 189", "PID|1||", "|", "^", "~", "\\", "OBX|", "MSH|^~\\&|",
    "\n", "\r\n", " ", "  ", "\t", ", ", ". ", " : ", "-", "–", "'", "’", "\u{a0}", "\u{202f}",
    "\u{200b}", "e\u{301}", "(", ")", "«", "»", "n°", "N° ", "maladie de Parkinson", "score de Glasgow",
    "Killip", "ORPHA:558", "5 mg", "J3", "à 14h", "chambre 12", "é", "ß", "😀", "\u{0}", "\u{FEFF}",
];

/// One piece of a generated document.
#[derive(Arbitrary, Debug)]
enum Piece {
    Fragment(u8),
    Digits(u8, u8),
    Word(bool, u16),
    Raw(String),
    Repeat(u8, u16),
}

/// A count below `short`, or one time in 16 below `long`: long words and repeats stay in
/// the inputs without making every execution slow (documents average a few kB, so each
/// target reaches 10^7 executions in hours, not days).
fn rarely_long(n: u16, short: u16, long: u16) -> u16 {
    if n % 16 == 0 {
        (n / 16) % long
    } else {
        n % short
    }
}

fn push_piece(doc: &mut String, piece: Piece) {
    match piece {
        Piece::Fragment(i) => doc.push_str(FRAGMENTS[i as usize % FRAGMENTS.len()]),
        Piece::Digits(seed, n) => {
            for k in 0..(n % 20) {
                doc.push(char::from(b'0' + (seed.wrapping_add(k.wrapping_mul(7)) % 10)));
            }
        }
        Piece::Word(upper, len) => {
            // Capitalised word, one in 16 far longer than any context window (512 bytes).
            doc.push(if upper { 'B' } else { 'É' });
            for _ in 0..rarely_long(len, 24, 2000) {
                doc.push(if upper { 'B' } else { 'é' });
            }
        }
        Piece::Raw(s) => doc.push_str(&s),
        Piece::Repeat(i, n) => {
            let f = FRAGMENTS[i as usize % FRAGMENTS.len()];
            for _ in 0..rarely_long(n, 8, 300) {
                doc.push_str(f);
            }
        }
    }
}

/// A document of at most `max_pieces` pieces.
pub fn document(u: &mut Unstructured, max_pieces: usize) -> arbitrary::Result<String> {
    let mut doc = String::new();
    let n = u.int_in_range(0..=max_pieces)?;
    for _ in 0..n {
        push_piece(&mut doc, Piece::arbitrary(u)?);
    }
    Ok(doc)
}

/// Arbitrary spans (any offsets, any order, overlapping) over a text of `len` bytes.
pub fn spans(u: &mut Unstructured, len: usize) -> arbitrary::Result<Vec<Span>> {
    let n = u.int_in_range(0..=40)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let a = u.int_in_range(0..=len + 2)?;
        let b = u.int_in_range(0..=len + 2)?;
        let label = voile_core::Label::ALL[u.int_in_range(0..=voile_core::Label::ALL.len() - 1)?];
        let score: f32 = u.int_in_range(0..=100u8)? as f32 / 100.0;
        out.push(Span::new(a, b, label, "fuzz", score));
    }
    Ok(out)
}

/// The invariants every detector output must hold on `text`.
pub fn check_spans(text: &str, spans: &[Span]) {
    for s in spans {
        assert!(s.start < s.end && s.end <= text.len(), "span out of range");
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end), "span off a char boundary");
    }
}

/// Resolved spans: sorted and non-overlapping.
pub fn check_resolved(text: &str, spans: &[Span]) {
    check_spans(text, spans);
    for w in spans.windows(2) {
        assert!(w[0].end <= w[1].start, "resolved spans overlap or are unsorted");
    }
}
