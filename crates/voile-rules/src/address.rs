//! ADRESSE, ZIP and (weakly) VILLE: street lines (`12 bis rue des Lilas`), number-less
//! address parts (`Lieu-dit La Croix`, `Résidence Les Pins`, `BP 123`, `CS 70001`), joined
//! by commas into one span; postcodes before a city or after a street; the city words
//! after a postcode as a low-score VILLE hint.

use crate::gate::{self, Triggers};
use crate::text::{
    after, before, fold, glued_after, glued_before, is_capitalised, is_upper_word, line_end,
    next_tok,
};
use regex::Regex;
use voile_core::{Label, Span};

pub(crate) struct Address {
    street: Regex,
    /// `douze rue des Lilas`: a street number spelled out in dictation.
    spelled: Regex,
    /// `Chemin des Vignes`, `habite rue Victor Hugo`: a street without a number.
    bare: Regex,
    named: Regex,
    postbox: Regex,
    building: Regex,
    zip: Regex,
    /// Pieces of the words of `bare`, `named`, `postbox` and `building`, which run only on
    /// the lines holding them (see `gate`).
    triggers: Triggers,
}

/// Families of [`Address::triggers`].
const BARE: usize = 0;
const NAMED: usize = 1;
const POSTBOX: usize = 2;
const BUILDING: usize = 3;

/// Every match of `bare` holds one of these.
const BARE_TRIGGERS: [&str; 13] = [
    "rue",
    "avenue",
    "boulevard",
    "all",
    "impasse",
    "chemin",
    "route",
    "quai",
    "place",
    "sentier",
    "cours",
    "square",
    "cit",
];
/// Every match of `named` holds one of these.
const NAMED_TRIGGERS: [&str; 9] = [
    "lieu",
    "sidence",
    "hameau",
    "lotissement",
    "domaine",
    "zone",
    "za",
    "zi",
    "quartier",
];
/// Every match of `postbox` holds one of these.
const POSTBOX_TRIGGERS: [&str; 4] = ["bp", "b.p.", "cs", "tsa"];
/// Every match of `building` holds one of these.
const BUILDING_TRIGGERS: [&str; 7] = ["bat", "bât", "app", "esc", "tage", "porte", "entr"];

/// Street types after which even a lowercase name is accepted (`rue des lilas`).
const SAFE_TYPES: [&str; 8] = [
    "rue",
    "avenue",
    "av",
    "boulevard",
    "bd",
    "allee",
    "impasse",
    "quai",
];

/// Lowercase words a street name may contain. Not `à`: in `12 rue des Roses à Paris` it
/// introduces the city, which is its own span (VILLE).
const PARTICLES: [&str; 16] = [
    "de", "du", "des", "la", "le", "les", "l'", "d'", "aux", "au", "en", "sur", "sous", "et",
    "lès", "saint",
];

/// Capitalised words that end an address rather than continue it.
const STOP_WORDS: [&str; 16] = [
    "tel",
    "tél",
    "tel.",
    "tél.",
    "fax",
    "cedex",
    "france",
    "bp",
    "cs",
    "tsa",
    "mail",
    "email",
    "e-mail",
    "port",
    "portable",
    "telephone",
];

#[derive(Debug, Clone, Copy)]
struct Part {
    start: usize,
    end: usize,
    main: bool,
}

impl Address {
    pub(crate) fn new() -> Result<Self, regex::Error> {
        let word_types = "rue|avenue|ave|bd|boulevard|bld|all[ée]e|impasse|chemin|route|quai|place|cours|square|voie|sentier|passage|r[ée]sidence|lotissement|hameau|faubourg|fbg|mont[ée]e|cite|parvis|rond[- ]point|esplanade|promenade|villa|domaine|zone|za|zi|zac|chauss[ée]e|traverse|ruelle|venelle|clos|carrefour|rampe|sente|cour|parc|r[ée]sidence|quartier|avn|prc|rle|imp|rte|chem|crs|qrt|r|pl|sq|mte|tsse|vla|cte";
        let dot_types =
            r"av|bd|bld|imp|ch|chem|rte|pl|sq|lot|fg|r|all|sent|crs|r[ée]s|prom|esp|pass";
        let street = crate::text::compile(&format!(
            r"(?i)(?-u:\b)[0-9]{{1,4}}(?:[\-/][0-9]{{1,4}})?(?:[ ]?(?:bis|ter|quater|[abt])(?-u:\b))?,?[ \t]+(?:(?:{word_types})(?-u:\b)|cit[ée](?:[ \t]|$)|(?:{dot_types})\.)"
        ))?;
        let nums = "un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?";
        let spelled = crate::text::compile(&format!(
            r"(?i)(?-u:\b)(?:{nums})(?:(?:[ \-]|[ \-]et[ \-])(?:{nums}))*(?:[ ](?:bis|ter))?,?[ \t]+(?:rue|avenue|boulevard|bd|all[ée]e|impasse|chemin|route|place|quai)(?-u:\b)"
        ))?;
        let bare = crate::text::compile(
            r"(?i)(?-u:\b)(?:rue|avenue|boulevard|all[ée]e|impasse|chemin|route|quai|place|sentier|cours|square)(?-u:\b)|(?i)cit(?:e(?-u:\b)|é)",
        )?;
        let named = crate::text::compile(
            r"(?i)(?-u:\b)(?:lieu[- ]?dit|r[ée]sidence|hameau|lotissement|domaine|zone industrielle|zone artisanale|zac|za|zi|quartier)(?-u:\b)",
        )?;
        let postbox =
            crate::text::compile(r"(?-u:\b)(?:BP|B\.P\.|CS|TSA|Bp)[ ]?[0-9]{1,6}(?-u:\b)")?;
        let building = crate::text::compile(
            r"(?i:(?-u:\b)(?:b[aâ]t(?:iment)?\.?|appt?\.?|appartement|esc(?:alier)?\.?|[ée]tage|porte|entr[ée]e))(?:[ \t]+|[ \t]*n[°o][ \t]*)[A-Z0-9]{1,4}(?-u:\b)",
        )?;
        let zip = crate::text::compile(r"(?-u:\b)(?:F-)?([0-9]{5})(?-u:\b)")?;
        Ok(Address {
            street,
            spelled,
            bare,
            named,
            postbox,
            building,
            zip,
            triggers: Triggers::new(&[
                &BARE_TRIGGERS,
                &NAMED_TRIGGERS,
                &POSTBOX_TRIGGERS,
                &BUILDING_TRIGGERS,
            ]),
        })
    }

    pub(crate) fn detect(
        &self,
        text: &str,
        out: &mut Vec<Span>,
        want_address: bool,
        want_zip: bool,
    ) {
        let parts = self.address_parts(text);
        // Street spans are only needed when addresses are wanted (the OCR pass asks for
        // postcodes alone).
        let merged = if want_address {
            merge_parts(text, &parts)
        } else {
            Vec::new()
        };
        for &(s, e) in &merged {
            out.push(Span::new(s, e, Label::Adresse, "rule:adresse", 0.85));
        }
        if want_zip {
            let from = out.len();
            self.detect_zips(text, &parts, out);
            if want_address {
                let zips: Vec<usize> = out[from..]
                    .iter()
                    .filter(|z| z.label == Label::Zip && z.score >= 0.88)
                    .map(|z| z.start)
                    .collect();
                for z in zips {
                    segment_address(text, z, &merged, out);
                }
            }
        }
    }

    fn address_parts(&self, text: &str) -> Vec<Part> {
        let lines = self.triggers.lines(text);
        let mut parts = Vec::new();
        for m in self.street.find_iter(text) {
            if glued_before(text, m.start()) {
                continue;
            }
            let ty = fold(m.as_str().rsplit([' ', '\t', ',']).next().unwrap_or(""));
            let lower_ok = SAFE_TYPES.contains(&ty.trim_end_matches('.'));
            if let Some(end) = street_name_end(text, m.end(), lower_ok) {
                parts.push(Part {
                    start: m.start(),
                    end,
                    main: true,
                });
            }
        }
        parts.sort_by_key(|p| (p.start, std::cmp::Reverse(p.end)));
        let mut bare = Vec::new();
        for m in gate::find(&self.bare, text, &lines[BARE]) {
            let s = m.start();
            // `douze rue des Lilas`: a spelled number right before the street type.
            let ws = s - before(text, s, 60).len();
            if let Some(sm) = self
                .spelled
                .find_iter(&text[ws..m.end()])
                .find(|sm| ws + sm.end() == m.end())
            {
                let ty = fold(m.as_str());
                let (ss, se) = (ws + sm.start(), m.end());
                if !glued_before(text, ss) && spelled_number_ok(&text[ss..se]) {
                    if let Some(end) = street_name_end(text, se, SAFE_TYPES.contains(&ty.as_str()))
                    {
                        bare.push(Part {
                            start: ss,
                            end,
                            main: true,
                        });
                        continue;
                    }
                }
            }
            if parts_before(&parts, s).iter().any(|p| s < p.end)
                || text[..s].ends_with(|c: char| c.is_alphanumeric() || c == '-')
            {
                continue;
            }
            // Capitalised (`Chemin des Vignes`, an address line) or after a residence cue.
            let capital = m.as_str().starts_with(|c: char| c.is_uppercase());
            if !(capital || residence_cue(text, s)) {
                continue;
            }
            if let Some(end) = street_name_end(text, m.end(), false) {
                bare.push(Part {
                    start: s,
                    end,
                    main: true,
                });
            }
        }
        parts.extend(bare);
        parts.sort_by_key(|p| (p.start, std::cmp::Reverse(p.end)));
        for m in gate::find(&self.named, text, &lines[NAMED]) {
            if parts_before(&parts, m.start())
                .iter()
                .any(|p| m.start() < p.end)
            {
                continue;
            }
            if let Some(end) = street_name_end(text, m.end(), false) {
                parts.push(Part {
                    start: m.start(),
                    end,
                    main: true,
                });
            }
        }
        for m in gate::find(&self.postbox, text, &lines[POSTBOX]) {
            let rest = fold(after(text, m.end(), 80));
            let postal_context =
                rest.contains("cedex") || has_zip_shape(&rest) || rest.trim().is_empty();
            if postal_context {
                parts.push(Part {
                    start: m.start(),
                    end: m.end(),
                    main: true,
                });
            }
        }
        for m in gate::find(&self.building, text, &lines[BUILDING]) {
            parts.push(Part {
                start: m.start(),
                end: m.end(),
                main: false,
            });
        }
        parts.sort_by_key(|p| (p.start, std::cmp::Reverse(p.end)));
        parts
    }

    fn detect_zips(&self, text: &str, parts: &[Part], out: &mut Vec<Span>) {
        // A postcode is a whole run of exactly five digits.
        let lines = gate::lines_where(text, |l| digit_run_lengths(l).any(|n| n == 5));
        for c in gate::captures(&self.zip, text, &lines) {
            let g = c.get(1).expect("zip group");
            let (s, e) = (g.start(), g.end());
            let m0 = c.get(0).expect("group 0");
            if glued_before(text, m0.start()) || glued_after(text, e) || !valid_postcode(g.as_str())
            {
                continue;
            }
            if parts_before(parts, s).iter().any(|p| s < p.end) {
                continue;
            }
            let after_address = after_address_part(text, s, parts);
            let cue = {
                let f = fold(before(text, s, 20));
                let t = f.trim_end_matches(|c: char| c.is_whitespace() || c == ':');
                t.ends_with("cp") || t.ends_with("code postal") || t.ends_with("c.p.")
            };
            let city = city_after(text, e);
            let score = match (cue, after_address, &city) {
                (true, _, _) => 0.95,
                (_, true, _) => 0.92,
                (_, _, Some(c)) if c.strong => 0.88,
                (_, _, Some(_)) => 0.75,
                _ => continue,
            };
            out.push(Span::new(s, e, Label::Zip, "rule:zip", score));
            if let Some(c) = city {
                out.push(Span::new(c.start, c.end, Label::Ville, "rule:ville", 0.5));
            }
        }
    }
}

/// The address line before a postcode that the street patterns did not read: number-less,
/// rural, overseas and complemented forms (`La Grande Métairie – 49280 …`, `Mas de la
/// Carrière, route de Sommières, 34400 …`, `Rés. Les Jardins, bât. 2 – 20290 …`, `PK 32,5 côté
/// montagne, 98727 …`), on the postcode's line after the last delimiter, or alone on the line
/// above. It must hold an address word ([`crate::lexicon::address_words`]) or be a short
/// `Le/La/Les` + capitalised name on the postcode's line. Street parts found inside it are
/// widened to it; one that runs past it keeps its own reading.
fn segment_address(text: &str, zip: usize, merged: &[(usize, usize)], out: &mut Vec<Span>) {
    let Some((s, e, same_line)) = segment_before(text, zip) else {
        return;
    };
    let seg = &text[s..e];
    if !(has_address_word(seg) || same_line && article_name(seg)) {
        return;
    }
    let overlapping: Vec<&(usize, usize)> =
        merged.iter().filter(|&&(a, z)| a < e && s < z).collect();
    if overlapping.iter().any(|&&(a, z)| a < s || z > e) {
        return;
    }
    let score = if overlapping.is_empty() { 0.8 } else { 0.86 };
    out.push(Span::new(s, e, Label::Adresse, "rule:adresse", score));
}

/// `(start, end, on the postcode's line)` of the candidate segment before the postcode at `zip`:
/// the part after the last delimiter of the text before it on its line, or of the line above
/// when the postcode opens its line.
fn segment_before(text: &str, zip: usize) -> Option<(usize, usize, bool)> {
    let ls = crate::text::line_start(text, zip);
    let head = text[ls..zip].trim_end_matches([' ', '\t']);
    let head = head
        .strip_suffix([',', '–', '-'])
        .map_or(head, |h| h.trim_end_matches([' ', '\t']));
    if !head.trim().is_empty() {
        return last_segment(text, ls, ls + head.len()).map(|(s, e)| (s, e, true));
    }
    // No line above: the text's start, or a line longer than the window `line_start` reads
    // (found by the `rules` fuzz target: `ls - 1` then fell inside a character).
    if ls == 0 || text.as_bytes()[ls - 1] != b'\n' {
        return None;
    }
    let pls = crate::text::line_start(text, ls - 1);
    let end = pls + text[pls..ls - 1].trim_end().len();
    last_segment(text, pls, end)
        .filter(|(s, e)| e - s <= 70)
        .map(|(s, e)| (s, e, false))
}

/// The part of `text[from..to]` after its last delimiter (` – `, `(`, `:`, a tab, two spaces…).
fn last_segment(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let head = &text[from..to];
    let cut = [" – ", " - ", " — ", "(", ":", "|", "\t", "  ", ";", "="]
        .iter()
        .filter_map(|d| head.rfind(d).map(|i| i + d.len()))
        .max()
        .unwrap_or(0);
    let seg = &head[cut..];
    let start = from + cut + (seg.len() - seg.trim_start().len());
    (to > start).then_some((start, to))
}

const ESTABLISHMENT_WORDS: [&str; 8] = [
    "hopital", "clinique", "chu", "ch", "centre", "service", "cabinet", "pole",
];

fn segment_words(seg: &str) -> Vec<String> {
    seg.split(|c: char| c.is_whitespace() || ",.()\"«»".contains(c))
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect()
}

/// A plausible address line: 1–12 words, no e-mail or web address, starting with a capital
/// or a digit, not with a title, no establishment word, one address word.
fn has_address_word(seg: &str) -> bool {
    let words = segment_words(seg);
    let plausible = (1..=12).contains(&words.len())
        && seg.len() <= 90
        && !seg.contains('@')
        && !seg.contains("://")
        && seg.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        && !crate::lexicon::TITLES.contains(&words[0].as_str())
        && !words
            .iter()
            .any(|w| ESTABLISHMENT_WORDS.contains(&w.as_str()));
    plausible
        && words.iter().any(|w| {
            let w = w.trim_start_matches("l'").trim_start_matches("d'");
            crate::lexicon::address_words().contains(&w)
        })
}

/// `Le Bourg`, `La Grande Métairie`: an article and one to three capitalised words.
fn article_name(seg: &str) -> bool {
    let words: Vec<&str> = seg.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && matches!(words[0], "Le" | "La" | "Les" | "LE" | "LA" | "LES")
        && words[1..]
            .iter()
            .all(|w| is_capitalised(w) || is_upper_word(w))
}

/// Lengths of the maximal ASCII digit runs of a line.
fn digit_run_lengths(line: &[u8]) -> impl Iterator<Item = usize> + '_ {
    line.split(|b| !b.is_ascii_digit())
        .map(<[u8]>::len)
        .filter(|&n| n > 0)
}

/// `habite`, `domicilié(e)`, `demeurant`, `adresse :` shortly before a number-less street.
fn residence_cue(text: &str, s: usize) -> bool {
    let f = fold(before(text, s, 40));
    [
        "habite",
        "habitant",
        "domicilie",
        "domiciliee",
        "domicile",
        "demeurant",
        "demeurante",
        "reside",
        "residant",
        "residante",
        "adresse",
        "vit",
    ]
    .iter()
    .any(|w| crate::text::has_word(&f, w))
}

/// The spelled number of a street is a whole number word sequence, not the tail of a
/// sentence (`il y a deux rue…` is rare; `un`/`une` alone are articles).
fn spelled_number_ok(m: &str) -> bool {
    let first = fold(m.split([' ', '-']).next().unwrap_or(""));
    first != "un"
}

/// French postcode ranges: metropolitan départements 01–95 (Corsica 20), overseas 97x/98x.
fn valid_postcode(z: &str) -> bool {
    let d: u32 = z[..2].parse().unwrap_or(0);
    let n: u32 = z.parse().unwrap_or(0);
    ((1..=95).contains(&d) && n >= 1000) || (97100..=98899).contains(&n)
}

fn has_zip_shape(s: &str) -> bool {
    s.as_bytes()
        .windows(5)
        .any(|w| w.iter().all(u8::is_ascii_digit))
}

/// Parts (sorted by start) starting at most `MAX_PART` bytes before `pos` and not after
/// it: the only ones that can contain or touch `pos`. Keeps the lookups logarithmic.
fn parts_before(parts: &[Part], pos: usize) -> &[Part] {
    const MAX_PART: usize = 512;
    let hi = parts.partition_point(|p| p.start <= pos);
    let lo = parts[..hi].partition_point(|p| p.start + MAX_PART < pos);
    &parts[lo..hi]
}

/// The text between the last address part on this line and the postcode is only `, ` / spaces.
fn after_address_part(text: &str, s: usize, parts: &[Part]) -> bool {
    parts_before(parts, s).iter().any(|p| {
        p.end <= s && {
            let gap = &text[p.end..s];
            gap.len() <= 6
                && gap
                    .chars()
                    .all(|c| c == ',' || c == ' ' || c == '-' || c == '–' || c == '\t')
        }
    })
}

struct City {
    start: usize,
    end: usize,
    /// Ends the line / precedes CEDEX or punctuation: a real address line, not prose.
    strong: bool,
}

/// Words after a postcode that look like a city: Capitalised or UPPERCASE, with `-`/`'`
/// compounds and lowercase joiners (`sur`, `en`, `lès`…), until CEDEX, punctuation or eol.
fn city_after(text: &str, pos: usize) -> Option<City> {
    let le = line_end(text, pos);
    // A token running past the line window (a 600-byte "word") is no city: `t.end <= le`
    // also keeps every slice below inside the line.
    let first = next_tok(text, pos).filter(|t| t.start > pos && t.end <= le)?;
    let w = first.s.trim_end_matches('.');
    if !(is_capitalised(w) || is_upper_word(w)) || NON_CITY.contains(&fold(w).as_str()) {
        return None;
    }
    let mut end = first.start + w.len();
    let mut cur = first.end;
    let mut n = 1;
    while let Some(t) = next_tok(text, cur).filter(|t| t.end <= le && t.start == cur + 1) {
        let f = fold(t.s);
        if n >= 5 || f.starts_with("cedex") || STOP_WORDS.contains(&f.as_str()) {
            break;
        }
        let ws = t.s.trim_end_matches('.');
        if is_capitalised(ws) || is_upper_word(ws) {
            end = t.start + ws.len();
            cur = t.end;
            n += 1;
        } else if [
            "sur", "en", "les", "lès", "le", "la", "de", "du", "d'", "l'", "aux", "sous",
        ]
        .contains(&f.as_str())
        {
            cur = t.end;
        } else {
            break;
        }
    }
    let tail = fold(&text[end..le]);
    let tail = tail.trim_start();
    let strong = tail.is_empty()
        || tail.starts_with("cedex")
        || tail.starts_with([',', '-', '–', '(', '.', ')', ';', '/'])
        || tail.starts_with("tel")
        || tail.starts_with("france");
    Some(City {
        start: first.start,
        end,
        strong,
    })
}

/// Capitalised words after a 5-digit number that are units, lab words or amounts.
const NON_CITY: [&str; 20] = [
    "ui",
    "u",
    "g",
    "mg",
    "ml",
    "euros",
    "eur",
    "plaquettes",
    "leucocytes",
    "hematies",
    "globules",
    "gb",
    "gr",
    "pnn",
    "cas",
    "patients",
    "copies",
    "unites",
    "cellules",
    "elements",
];

/// End of a street name starting at `pos`; `None` when no name word follows.
fn street_name_end(text: &str, pos: usize, lower_ok: bool) -> Option<usize> {
    let le = line_end(text, pos);
    let mut cur = pos;
    let mut end = None;
    let mut prev_fold = String::new();
    let mut words = 0;
    while let Some(t) = next_tok(text, cur) {
        if t.start >= le || words >= 8 || !crate::text::only_spaces(text, cur, t.start) {
            break;
        }
        let raw = t.s;
        let sentence_end = raw.len() > 5 && raw.ends_with('.');
        let w = raw.trim_end_matches('.');
        let f = fold(w);
        let is_digits = w.bytes().all(|b| b.is_ascii_digit());
        let cont_dash = raw == "-" || raw == "–";
        if cont_dash
            || STOP_WORDS.contains(&f.as_str())
            || (is_digits && w.len() == 5)
            || f == "a"
            || f == "à"
        {
            break;
        }
        let particle = PARTICLES.contains(&f.as_str())
            || f.starts_with("l'")
            || f.starts_with("d'") && w.len() > 2;
        let accepted = if is_digits {
            (prev_fold == "du" || prev_fold == "de" || crate::dates::is_month_word(&prev_fold))
                && w.len() <= 4
        } else if particle {
            if f.starts_with("l'") || f.starts_with("d'") {
                let rest = w.char_indices().nth(2).map_or("", |(i, _)| &w[i..]);
                w.len() > 2 && (lower_ok || is_capitalised(rest) || is_upper_word(rest))
            } else {
                true
            }
        } else {
            is_capitalised(w)
                || is_upper_word(w)
                || (lower_ok && end.is_none() && w.chars().all(char::is_alphabetic))
                || w.len() == 1 && w.chars().all(|c| c.is_ascii_uppercase())
        };
        if !accepted {
            break;
        }
        words += 1;
        cur = t.start + raw.len();
        let is_joiner = particle && !(f.starts_with("l'") || f.starts_with("d'"));
        if !is_joiner {
            end = Some(if sentence_end {
                t.start + w.len()
            } else {
                t.start + raw.len()
            });
        }
        if sentence_end {
            break;
        }
        prev_fold = f;
    }
    end
}

/// Join address parts separated only by commas/spaces (`Bât. B, 3 allée des Pins`);
/// keep groups holding at least one main part.
fn merge_parts(text: &str, parts: &[Part]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, usize, bool)> = None;
    for p in parts {
        match cur {
            Some((s, e, main)) if p.start < e => cur = Some((s, e.max(p.end), main || p.main)),
            Some((s, e, main))
                if text[e..p.start]
                    .chars()
                    .all(|c| c == ' ' || c == ',' || c == '\t')
                    && p.start - e <= 3 =>
            {
                cur = Some((s, p.end, main || p.main));
            }
            _ => {
                if let Some((s, e, true)) = cur {
                    out.push((s, e));
                }
                cur = Some((p.start, p.end, p.main));
            }
        }
    }
    if let Some((s, e, true)) = cur {
        out.push((s, e));
    }
    out
}
