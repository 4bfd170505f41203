//! NOM / PRENOM bound to a title (`Dr`, `Mme`, `M.`…) or a header field (`Nom :`,
//! `Patient :`, `épouse`, `née`; on forms also `Nom . . . DUPONT`, `Nom   DUPONT` and the OCR
//! reading `Norn`). Which word is the first name is decided from position and
//! case: `Jean DUPONT`, `DUPONT Jean`, `J.-P. Durand`, `Dr Jean Dupont`; in all-caps text a
//! short list of frequent first names breaks the tie.

use crate::text::{fold, is_capitalised, is_upper_word, next_tok, only_spaces, Tok};
use regex::Regex;
use voile_core::{Label, Span};

pub(crate) struct Names {
    cue: Regex,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Initial,
    Upper,
    Cap,
}

#[derive(Debug, Clone, Copy)]
struct Unit {
    start: usize,
    end: usize,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cue {
    Title,
    /// `– Frère : …`: relatives share the patient's surname, so a lone word is a first name.
    Relative,
    Surname,
    FirstName,
    Person,
}

const PARTICLES: [&str; 16] = [
    "de", "du", "des", "le", "la", "van", "von", "ben", "mc", "da", "di", "del", "della", "dos",
    "el", "ter",
];

/// Words that end a name even when capitalised (function words of all-caps text,
/// institutions, titles, field names).
const STOP: [&str; 70] = [
    "et",
    "a",
    "ou",
    "au",
    "aux",
    "en",
    "par",
    "pour",
    "sur",
    "dans",
    "avec",
    "chez",
    "qui",
    "est",
    "sont",
    "ne",
    "nee",
    "dr",
    "pr",
    "mme",
    "mr",
    "m",
    "mlle",
    "docteur",
    "professeur",
    "monsieur",
    "madame",
    "chu",
    "ch",
    "chr",
    "hopital",
    "service",
    "clinique",
    "centre",
    "unite",
    "pole",
    "ddn",
    "ipp",
    "nda",
    "tel",
    "age",
    "agee",
    "ans",
    "le",
    "la",
    "nom",
    "prenom",
    "date",
    "sexe",
    "adresse",
    "medecin",
    "interne",
    "externe",
    "ide",
    "fax",
    "un",
    "une",
    "ceci",
    "cela",
    "il",
    "elle",
    "ce",
    "cette",
    "on",
    "nous",
    "son",
    "sa",
    "ses",
    "depuis",
    "lors",
];

/// Frequent French first names, to orient all-caps `MME DUPONT MARIE` vs `DR JEAN DUPONT`.
const FIRST_NAMES: [&str; 60] = [
    "jean",
    "marie",
    "pierre",
    "michel",
    "philippe",
    "alain",
    "nicolas",
    "francois",
    "christophe",
    "patrick",
    "daniel",
    "bernard",
    "jacques",
    "eric",
    "laurent",
    "frederic",
    "olivier",
    "thomas",
    "julien",
    "david",
    "stephane",
    "sebastien",
    "paul",
    "louis",
    "claude",
    "andre",
    "rene",
    "christian",
    "isabelle",
    "nathalie",
    "sylvie",
    "catherine",
    "francoise",
    "martine",
    "christine",
    "monique",
    "sophie",
    "valerie",
    "sandrine",
    "anne",
    "julie",
    "camille",
    "emma",
    "lea",
    "chloe",
    "sarah",
    "laura",
    "manon",
    "claire",
    "helene",
    "jeanne",
    "denise",
    "jacqueline",
    "nicole",
    "simone",
    "mohamed",
    "ahmed",
    "fatima",
    "lucas",
    "hugo",
];

impl Names {
    pub(crate) fn new() -> Result<Self, regex::Error> {
        let cue = crate::text::compile(concat!(
            r"(?i:(?P<first>(?-u:\b)pr[ée]no(?:m|rn)s?(?:\(s\))?)|(?P<sur>(?-u:\b)no(?:m|rn)(?:[ \t]+de[ \t]+naissance|[ \t]+d['’]usage|[ \t]+de[ \t]+jeune[ \t]+fille|[ \t]+marital|[ \t]+patronymique|[ \t]+usuel)?)|(?P<person>(?-u:\b)patiente?|(?-u:\b)sign[ée][ \t]+par|(?-u:\b)r[ée]dig[ée][ \t]+par|(?-u:\b)valid[ée][ \t]+par|(?-u:\b)dict[ée][ \t]+par|(?-u:\b)m[ée]decin[ \t]+traitant|(?-u:\b)destinataire|(?-u:\b)copie[ \t]+[àa]",
            // Relatives and care roles as field labels (`– Mère : K. Debruyne`, `Aide : …`).
            r")|(?P<relative>(?-u:\b)(?:m[èe]re|p[èe]re|fr[èe]re|s(?:œ|oe)ur|fils|fille|[ée]poux|conjointe?|compagne|compagnon|enfant|oncle|tante|grand-m[èe]re|grand-p[èe]re)",
            r")|(?P<role>(?-u:\b)(?:tuteur|tutrice|curateur|curatrice|contact(?:[ \t]+famille)?|personne[ \t]+de[ \t]+confiance|cadre[ \t]+de[ \t]+sant[ée]|op[ée]rateur|op[ée]ratrice|aide(?:[- ]op[ée]ratoire)?|anesth[ée]siste|chirurgien(?:ne)?|[ée]chographiste|biologiste|sage-femme|kin[ée]sith[ée]rapeute|psychologue|secr[ée]taire|assistante?[ \t]+sociale?|di[ée]t[ée]ticienne?|victime|t[ée]moin|r[ée]f[ée]rente?|infirmi[èe]re?|praticien(?:ne)?|correspondant|prescripteur|demandeur)))[ \t]*(?P<colon>:|(?:[ \t]*\.){3,}|[ \t]{2,})",
            // `validés par N. NAVECH`: `par` before an initial.
            r"|(?P<by>(?-u:\b)par)[ \t]+",
            // `sa fille Brigitte`, `son frère JEAN-LUIS`, `père (Hermès, né en 2007)`.
            r"|(?P<kin>(?i:(?-u:\b)(?:sa|son|ses)[ \t]+(?:m[èe]re|p[èe]re|fr[èe]re|s(?:œ|oe)ur|fils|filles?|[ée]pouse|[ée]poux|conjointe?|compagne|compagnon|amie?|enfant|petite-fille|petit-fils|neveu|ni[èe]ce|oncle|tante|cousine?|belle-fille|gendre)(?-u:\b)|(?-u:\b)(?:m[èe]re|p[èe]re|fr[èe]re|s(?:œ|oe)ur|fils|fille)[ \t]*\())",
            r"|(?i:(?P<maiden>[ée]pouse|(?-u:\b)n[ée]e|(?-u:\b)veuve)(?-u:\b))",
            // `Drs GIORDANO, BAUDOIN et HUYNH`: a plural title heads a list of names.
            r"|(?P<plural>(?-u:\b)(?:Drs|DRS|Docteurs|DOCTEURS|Prs|PRS|Professeurs|PROFESSEURS)(?-u:\b)\.?)",
            r"|(?P<title>(?-u:\b)(?:Dr|DR|Dre|Docteur|DOCTEUR|Pr|PR|Professeur|PROFESSEUR|Mr|MR|Monsieur|MONSIEUR|Mme|MME|Madame|MADAME|Mlle|MLLE|Mademoiselle|MADEMOISELLE|Me|IDE|Interne|INTERNE)(?-u:\b)\.?|(?-u:\b)M\.)",
            r"[ \t]*"
        ))?;
        Ok(Names { cue })
    }

    pub(crate) fn detect(&self, text: &str, out: &mut Vec<Span>) {
        for c in self.cue.captures_iter(text) {
            let whole = c.get(0).expect("group 0");
            let cue_end = [
                "title", "plural", "first", "sur", "person", "relative", "role", "kin", "maiden",
                "by",
            ]
            .iter()
            .find_map(|n| c.name(n))
            .map_or(whole.end(), |g| g.end());
            // ASCII word boundaries split at accented letters (`Prénom`, `épouse`): recheck.
            let glued = |ch: Option<char>| ch.is_some_and(|ch| ch.is_alphabetic());
            let cue_ends_in_letter = text[..cue_end]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic);
            if glued(text[..whole.start()].chars().next_back())
                || (cue_ends_in_letter && glued(text[cue_end..].chars().next()))
            {
                continue;
            }
            let colon = c.name("colon").is_some();
            // A form's gap or dot leader stands for the colon only after `Nom` / `Prénom`
            // (`Signature du patient      Signature…` is a layout, not a field).
            let form_gap = c.name("colon").is_some_and(|m| !m.as_str().contains(':'));
            if form_gap && c.name("first").is_none() && c.name("sur").is_none() {
                continue;
            }
            let cue = if c.name("kin").is_some() {
                Cue::Relative
            } else if c.name("by").is_some() {
                if !starts_with_initial(&text[whole.end()..]) {
                    continue;
                }
                Cue::Person
            } else if c.name("title").is_some() || c.name("plural").is_some() {
                Cue::Title
            } else if c.name("maiden").is_some() {
                Cue::Surname
            } else if !colon {
                continue; // `nom`, `patient` in prose
            } else if c.name("first").is_some() {
                Cue::FirstName
            } else if c.name("sur").is_some() {
                Cue::Surname
            } else if c.name("relative").is_some() {
                Cue::Relative
            } else {
                Cue::Person
            };
            let end = c.get(0).expect("group 0").end();
            let units = name_units(text, end);
            if units.is_empty() {
                continue;
            }
            assign(text, cue, &units, out);
            if c.name("plural").is_some() {
                assign_list_items(text, units[units.len() - 1].end, out);
            }
        }
        detect_initial_names(text, out);
    }
}

/// The other names of a list after a plural title (`Drs GIORDANO, BAUDOIN et HUYNH`): items
/// separated by `,`, `et`, `&` or `/` on the same line, each read as after a title.
fn assign_list_items(text: &str, mut pos: usize, out: &mut Vec<Span>) {
    const MAX_ITEMS: usize = 12;
    for _ in 0..MAX_ITEMS {
        let rest = &text[pos..];
        let Some(sep) = [", ", " et ", " & ", " / ", ","]
            .iter()
            .find(|sep| rest.starts_with(**sep))
        else {
            return;
        };
        let units = name_units(text, pos + sep.len());
        let Some(last) = units.last() else {
            return;
        };
        assign(text, Cue::Title, &units, out);
        pos = last.end;
    }
}

/// `avec F. Rolland`, `par A. BARDOT`, `IDE : J.-P. Martin`: initials then a capitalised or
/// uppercase word form a name without any cue (lower score). `M.` is the title Monsieur and
/// is handled as a cue; a lowercase word after the initial (`S. aureus`) is not a name.
fn detect_initial_names(text: &str, out: &mut Vec<Span>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 3 < b.len() {
        let starts_initial = b[i].is_ascii_uppercase()
            && b[i] != b'M'
            && b[i + 1] == b'.'
            && (i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'(' | b'"'));
        if !starts_initial {
            i += 1;
            continue;
        }
        let units = name_units(text, i);
        let initials = units.iter().take_while(|u| u.kind == Kind::Initial).count();
        let named = &units[initials..];
        // A 3+ letter word; in all-capitals lines `P. FALCIPARUM` is as likely a species.
        let first_is_name = named.first().is_some_and(|u| {
            let word = &text[u.start..u.end];
            let line = &text[crate::text::line_start(text, i)..crate::text::line_end(text, i)];
            let upper_line = !line.chars().any(char::is_lowercase);
            word.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && (u.kind == Kind::Cap || (u.kind == Kind::Upper && !upper_line))
        });
        if initials > 0 && first_is_name {
            let k = named
                .iter()
                .take_while(|u| u.kind != Kind::Initial)
                .count()
                .min(2);
            push(out, Label::Prenom, &units[..initials], 0.8);
            push(out, Label::Nom, &named[..k], 0.8);
            i = named[k - 1].end;
        } else {
            i += 2;
        }
    }
}

/// `N. `, `J.-P. `: an initial then a space.
fn starts_with_initial(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b[0].is_ascii_uppercase() && b[1] == b'.' && (b[2] == b' ' || b[2] == b'-')
}

fn classify(w: &str) -> Option<Kind> {
    let b = w.as_bytes();
    let initial = b.len() >= 2
        && w.split_inclusive('.').all(|p| {
            let p = p.trim_start_matches('-');
            p.len() == 2 && p.as_bytes()[0].is_ascii_uppercase() && p.ends_with('.')
        });
    if initial {
        return Some(Kind::Initial);
    }
    let w = w.trim_end_matches('.');
    let body = w
        .strip_prefix("d'")
        .or_else(|| w.strip_prefix("D'"))
        .or_else(|| w.strip_prefix("N'"))
        .or_else(|| w.strip_prefix("n'"))
        .unwrap_or(w);
    if body.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    if is_upper_word(body) {
        Some(Kind::Upper)
    } else if is_capitalised(body)
        && body
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
    {
        Some(Kind::Cap)
    } else {
        None
    }
}

/// Name-like tokens after a cue: up to four units, particles glued to the following unit.
fn name_units(text: &str, pos: usize) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut cur = pos;
    let mut pending: Option<usize> = None; // start of particles waiting for a name word
    while let Some(t) = next_tok(text, cur) {
        let column_gap = t.start - cur >= 3 || text[cur..t.start].contains('\t');
        if !only_spaces(text, cur, t.start) || units.len() >= 4 || (column_gap && !units.is_empty())
        {
            break;
        }
        let Tok { start, s, .. } = t;
        let f = fold(s);
        let is_particle =
            PARTICLES.contains(&f.as_str()) && (s.starts_with(char::is_lowercase) || s.len() <= 4);
        let lower_particle = s.starts_with(char::is_lowercase);
        if is_particle
            && !(lower_particle && units.is_empty() && !matches!(f.as_str(), "de" | "du" | "des"))
        {
            pending.get_or_insert(start);
            cur = t.end;
            continue;
        }
        // `B. A`: a lone capital after an initial is the surname's initial.
        let lone_initial = s.len() == 1 && s.as_bytes()[0].is_ascii_uppercase();
        if lone_initial && units.last().is_some_and(|u| u.kind == Kind::Initial) {
            units.push(Unit {
                start,
                end: t.end,
                kind: Kind::Initial,
            });
            cur = t.end;
            continue;
        }
        let Some(kind) = classify(s) else { break };
        // `A.` is an initial, not the preposition `à` of the stop list.
        if kind != Kind::Initial && STOP.contains(&f.trim_end_matches('.')) {
            break;
        }
        let trimmed = if kind == Kind::Initial {
            s
        } else {
            s.trim_end_matches('.')
        };
        let sentence_end = kind != Kind::Initial && s.ends_with('.');
        let had_particle = pending.is_some();
        units.push(Unit {
            start: pending.take().unwrap_or(start),
            end: start + trimmed.len(),
            kind: if had_particle { Kind::Upper } else { kind },
        });
        cur = t.end;
        if sentence_end {
            break;
        }
    }
    units
}

fn push(out: &mut Vec<Span>, label: Label, units: &[Unit], score: f32) {
    if let (Some(a), Some(b)) = (units.first(), units.last()) {
        out.push(Span::new(a.start, b.end, label, "rule:name", score));
    }
}

fn is_first_name(text: &str, u: &Unit) -> bool {
    FIRST_NAMES.contains(&fold(&text[u.start..u.end]).split('-').next().unwrap_or(""))
}

/// Decide PRENOM vs NOM for the units after a cue.
fn assign(text: &str, cue: Cue, units: &[Unit], out: &mut Vec<Span>) {
    let score = if cue == Cue::Title { 0.9 } else { 0.92 };
    let particle_start = |u: &Unit| text[u.start..u.end].contains(' ');
    match cue {
        Cue::FirstName => return push(out, Label::Prenom, &units[..1], score),
        Cue::Surname if units.len() == 1 || units.iter().all(|u| u.kind == units[0].kind) => {
            return push(out, Label::Nom, units, score)
        }
        _ => {}
    }
    if units.len() == 1 {
        // A lone word is a surname unless it is an initial or, after a person field
        // (`– Frère : Jean`), a frequent first name.
        let label = if units[0].kind == Kind::Initial
            || cue == Cue::Relative
            || (cue == Cue::Person && is_first_name(text, &units[0]))
        {
            Label::Prenom
        } else {
            Label::Nom
        };
        return push(out, label, units, score);
    }
    let first = units[0];
    if first.kind == Kind::Initial {
        push(out, Label::Prenom, &units[..1], score);
        return push(out, Label::Nom, &units[1..], score);
    }
    let first_upper = units.iter().position(|u| u.kind == Kind::Upper);
    let all_upper = units.iter().all(|u| u.kind == Kind::Upper);
    if cue == Cue::Relative && all_upper {
        // `SON FRÈRE JEAN HABITE…`: in capitals the next word may be a verb; keep the name.
        return push(out, Label::Prenom, &units[..1], score);
    }
    if all_upper {
        // `DR JEAN DUPONT` vs `MME DUPONT JEANNE`.
        let first_is_given = is_first_name(text, &first)
            || (!is_first_name(text, &units[units.len() - 1])
                && cue == Cue::Title
                && !particle_start(&first));
        if first_is_given && !particle_start(&first) {
            push(out, Label::Prenom, &units[..1], score);
            push(out, Label::Nom, &units[1..], score);
        } else {
            push(out, Label::Nom, &units[..units.len() - 1], score);
            push(out, Label::Prenom, &units[units.len() - 1..], score);
        }
        return;
    }
    match first_upper {
        Some(0) => {
            // `DUPONT Jean`: uppercase surname(s) then capitalised first name(s).
            let k = units
                .iter()
                .position(|u| u.kind != Kind::Upper)
                .unwrap_or(units.len());
            push(out, Label::Nom, &units[..k], score);
            push(out, Label::Prenom, &units[k..], score);
        }
        Some(k) => {
            // `Jean-Pierre DUPONT`, `Ana Paula DA SILVA`.
            push(out, Label::Prenom, &units[..k], score);
            push(out, Label::Nom, &units[k..], score);
        }
        None => {
            // `Jean Dupont`, `Marie Le Floch`: first name then surname.
            if particle_start(&first) {
                return push(out, Label::Nom, units, score);
            }
            push(out, Label::Prenom, &units[..1], score);
            push(out, Label::Nom, &units[1..], score);
        }
    }
}
