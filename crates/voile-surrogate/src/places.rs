//! Places: communes drawn with their own real postcode (a ZIP next to a city follows the
//! city's surrogate), street addresses with the same number shape and street type and a
//! generic street name, establishments of the same kind.

use crate::pseudonymiser::Ctx;
use crate::rng::Rng;
use crate::text::{fold, fold_alnum, Case};

/// Generic French street names (common to thousands of towns, so not identifying).
const STREET_NAMES: [&str; 60] = [
    "des Lilas",
    "des Roses",
    "des Tilleuls",
    "des Chênes",
    "des Peupliers",
    "du Moulin",
    "de la Gare",
    "de l'Église",
    "de la Mairie",
    "du Stade",
    "des Écoles",
    "Victor Hugo",
    "Jean Jaurès",
    "Pasteur",
    "Gambetta",
    "de la République",
    "de la Paix",
    "Jean Moulin",
    "du Général de Gaulle",
    "Voltaire",
    "Émile Zola",
    "Anatole France",
    "Saint-Martin",
    "Saint-Michel",
    "Sainte-Anne",
    "des Acacias",
    "des Érables",
    "des Marronniers",
    "des Mimosas",
    "des Glycines",
    "des Pâquerettes",
    "des Bleuets",
    "des Vignes",
    "des Prés",
    "du Château",
    "de la Fontaine",
    "du Lavoir",
    "des Jardins",
    "du Verger",
    "de la Forêt",
    "du Bois",
    "des Sources",
    "de la Liberté",
    "Carnot",
    "Molière",
    "Jules Ferry",
    "Louis Pasteur",
    "Paul Bert",
    "Marcel Pagnol",
    "de Verdun",
    "de la Libération",
    "Pierre Curie",
    "Marie Curie",
    "George Sand",
    "des Cerisiers",
    "des Pommiers",
    "des Hirondelles",
    "des Mésanges",
    "du Port",
    "de la Croix",
];
/// Generic locality names for address parts without a street type (`Lieu-dit …`).
const LOCALITY_NAMES: [&str; 12] = [
    "Les Tilleuls",
    "La Croix Blanche",
    "Le Moulin",
    "Les Prés",
    "La Fontaine",
    "Le Bourg",
    "Les Vignes",
    "La Forge",
    "Le Clos",
    "Les Chênes",
    "Le Verger",
    "Les Sables",
];
/// Words kept as they are in addresses (building, flat, postal box markers).
const ADDRESS_WORDS: [&str; 22] = [
    "bis",
    "ter",
    "quater",
    "bat",
    "batiment",
    "bt",
    "appt",
    "appartement",
    "apt",
    "escalier",
    "esc",
    "etage",
    "porte",
    "bp",
    "cs",
    "tsa",
    "cedex",
    "residence",
    "res",
    "entree",
    "hall",
    "n",
];

/// A commune (index) for the folded key, weighted by population, whose name differs
/// from the key.
pub(crate) fn commune(ctx: &Ctx, key: &str, attempt: u32) -> u32 {
    let d = ctx.data;
    let mut rng = ctx.rng("ville", key, attempt);
    for _ in 0..24 {
        if let Some(i) = d.commune_pool.draw(&mut rng) {
            if fold_alnum(&d.communes[i as usize].0) != key {
                return i;
            }
        }
    }
    d.communes
        .iter()
        .position(|c| fold_alnum(&c.0) != key)
        .unwrap_or(0) as u32
}

pub(crate) fn ville(ctx: &Ctx, surface: &str, attempt: u32, out: &mut String) {
    let i = commune(ctx, &fold_alnum(surface), attempt);
    Case::of(surface).push(&ctx.data.communes[i as usize].0, surface.is_ascii(), out);
}

/// ZIP surrogate: the postcode of the surrogate of the adjacent city when there is one,
/// else the postcode of a commune drawn for this ZIP, written in the original's layout.
pub(crate) fn zip(ctx: &Ctx, surface: &str, city: Option<&str>, attempt: u32, out: &mut String) {
    let digits: String = surface.chars().filter(char::is_ascii_digit).collect();
    let d = ctx.data;
    let from_city = city
        .filter(|_| attempt == 0)
        .map(|c| {
            d.communes[commune(ctx, &fold_alnum(c), 0) as usize]
                .1
                .clone()
        })
        .filter(|p| *p != digits);
    let code = from_city.unwrap_or_else(|| {
        let mut rng = ctx.rng("zip", &digits, attempt);
        (0..24)
            .filter_map(|_| d.commune_pool.draw(&mut rng))
            .map(|i| d.communes[i as usize].1.clone())
            .find(|p| *p != digits && p.len() == 5)
            .unwrap_or_else(|| {
                if digits == "49000" {
                    "53000".into()
                } else {
                    "49000".into()
                }
            })
    });
    if digits.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return crate::ids::shaped(ctx, "zip", surface, attempt, out);
    }
    let mut it = code.chars();
    for c in surface.chars() {
        out.push(if c.is_ascii_digit() {
            it.next().unwrap_or(c)
        } else {
            c
        });
    }
}

/// Street address: comma-separated parts handled one by one. In a part with a street type
/// (`12 rue des Lilas`), numbers get random digits of the same shape, the type is kept and
/// the name after it becomes a generic street name in the original's case; a part without
/// type keeps its marker words (`Bât.`, `BP`) with random numbers and letters, and an
/// unrecognised named place becomes a generic locality name.
pub(crate) fn address(ctx: &Ctx, surface: &str, attempt: u32, out: &mut String) {
    let mut rng = ctx.rng("adresse", &fold_alnum(surface), attempt);
    let mut first = true;
    for part in surface.split(',') {
        if !first {
            out.push(',');
        }
        first = false;
        address_part(ctx, &mut rng, part, out);
    }
}

fn street_type_at(ctx: &Ctx, words: &[&str], i: usize) -> Option<usize> {
    let w = fold(words[i]);
    let bare = w.trim_end_matches('.');
    let two = words.get(i + 1).map(|n| format!("{w} {}", fold(n)));
    for (name, abbrs) in &ctx.data.street_types {
        if let Some(t) = &two {
            if t == name || abbrs.contains(t) {
                return Some(2);
            }
        }
        if *name == w
            || bare == name
            || abbrs
                .iter()
                .any(|a| *a == w || a.trim_end_matches('.') == bare)
        {
            return Some(1);
        }
    }
    None
}

fn address_part(ctx: &Ctx, rng: &mut Rng, part: &str, out: &mut String) {
    let words: Vec<&str> = part.split(' ').collect();
    // The street type must open the part or follow a number (`12 bis rue`): `r` or `pl`
    // elsewhere is a word, not a type.
    let mut ty = None;
    for i in 0..words.len() {
        let after_number =
            i > 0 && (words[i - 1].bytes().any(|b| b.is_ascii_digit()) || is_marker(words[i - 1]));
        if i == first_word(&words) || after_number {
            if let Some(n) = street_type_at(ctx, &words, i) {
                ty = Some((i, n));
                break;
            }
        }
    }
    match ty {
        Some((i, n)) => {
            let before = words[..i].join(" ");
            push_kept(rng, &before, out);
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&words[i..i + n].join(" "));
            if i + n < words.len() {
                out.push(' ');
            }
            let rest = words[i + n..].join(" ");
            let body = rest.trim();
            if body.is_empty() {
                out.push_str(&rest);
            } else {
                let lead = rest.len() - rest.trim_start().len();
                out.push_str(&rest[..lead]);
                let names: &[&str] = if is_locality_type(&words[i..i + n].join(" ")) {
                    &LOCALITY_NAMES
                } else {
                    &STREET_NAMES
                };
                Case::of(body).push(rng.pick::<&str>(names), body.is_ascii(), out);
                out.push_str(&rest[lead + body.len()..]);
            }
        }
        None => {
            let has_digit = part.bytes().any(|b| b.is_ascii_digit());
            let all_markers = words.iter().all(|w| {
                is_marker(w) || w.bytes().any(|b| b.is_ascii_digit()) || w.chars().count() <= 1
            });
            if has_digit || all_markers {
                push_kept(rng, part, out);
            } else {
                let lead = part.len() - part.trim_start().len();
                out.push_str(&part[..lead]);
                let body = part.trim();
                Case::of(body).push(rng.pick::<&str>(&LOCALITY_NAMES), body.is_ascii(), out);
                out.push_str(&part[lead + body.len()..]);
            }
        }
    }
}

/// Types followed by a place name rather than a street name (`Lieu-dit La Croix`).
fn is_locality_type(t: &str) -> bool {
    let f = fold_alnum(t);
    [
        "lieudit",
        "ld",
        "hameau",
        "ham",
        "residence",
        "res",
        "domaine",
        "dom",
        "lotissement",
        "lot",
        "cite",
        "quartier",
        "parc",
    ]
    .contains(&f.as_str())
}

fn first_word(words: &[&str]) -> usize {
    words.iter().position(|w| !w.is_empty()).unwrap_or(0)
}

fn is_marker(w: &str) -> bool {
    let f = fold_alnum(w);
    ADDRESS_WORDS.contains(&f.as_str())
}

/// Keep marker words, randomise numbers (same shape) and lone letters (`Bât. B`).
fn push_kept(rng: &mut Rng, s: &str, out: &mut String) {
    let mut first = true;
    for w in s.split(' ') {
        if !first {
            out.push(' ');
        }
        first = false;
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if is_marker(w) || (letters > 1 && !w.bytes().any(|b| b.is_ascii_digit())) {
            out.push_str(w);
        } else {
            crate::ids::push_shaped(rng, w, out);
        }
    }
}

/// The kind of an establishment from its name (or the list when it is listed).
fn hospital_kind(ctx: &Ctx, surface: &str) -> Option<String> {
    if let Some(k) = ctx.data.hospital_kind.get(&fold_alnum(surface)) {
        return Some(k.clone());
    }
    let f = format!(" {} ", fold(surface).replace(['-', '\''], " "));
    let has = |s: &str| f.contains(s);
    let kind = if has(" chu ")
        || has(" chru ")
        || has("universitaire")
        || has(" ap hp ")
        || has(" aphp ")
        || has(" ap hm ")
        || has("hospices civils")
    {
        "CHU"
    } else if has(" chr ") || has("centre hospitalier regional") {
        "CHR"
    } else if has(" clcc ") || has("lutte contre le cancer") {
        "CLCC"
    } else if has("polyclinique") {
        "POLYCLINIQUE"
    } else if has("clinique") {
        "CLINIQUE"
    } else if has(" ehpad ") {
        "EHPAD"
    } else if has(" ssr ") || has("soins de suite") {
        "SSR"
    } else if has(" ghu ") || has("groupe hospitalier") || has(" gh ") {
        "GHU"
    } else if has("institut") {
        "INSTITUT"
    } else if has("centre hospitalier") || has(" ch ") || has(" chi ") || has(" chs ") {
        "CH"
    } else if has("hopital") {
        "HOPITAL"
    } else {
        return None;
    };
    Some(kind.to_string())
}

/// Establishment surrogate: a listed establishment of the same kind (a CHU for a CHU, a
/// clinic for a clinic), else `Centre hospitalier de <surrogate town>`.
pub(crate) fn hospital(ctx: &Ctx, surface: &str, attempt: u32, out: &mut String) {
    let d = ctx.data;
    let key = fold_alnum(surface);
    let mut rng = ctx.rng("hopital", &key, attempt);
    let candidates = hospital_kind(ctx, surface).and_then(|k| {
        let fallback = match k.as_str() {
            "POLYCLINIQUE" => "CLINIQUE",
            "CHR" => "CHU",
            "GHU" | "HOPITAL" => "CH",
            _ => "",
        };
        d.hospitals_by_kind
            .get(&k)
            .filter(|v| {
                v.iter()
                    .any(|&i| fold_alnum(&d.hospitals[i as usize]) != key)
            })
            .or_else(|| d.hospitals_by_kind.get(fallback))
    });
    let case = Case::of(surface);
    if let Some(list) = candidates {
        for _ in 0..24 {
            let name = &d.hospitals[*rng.pick(list) as usize];
            if fold_alnum(name) != key {
                return case.push(name, surface.is_ascii(), out);
            }
        }
    }
    let town = &d.communes[commune(ctx, &key, attempt) as usize].0;
    let name = format!(
        "Centre hospitalier {}{town}",
        if starts_with_vowel(town) { "d'" } else { "de " }
    );
    case.push(&name, surface.is_ascii(), out);
}

fn starts_with_vowel(s: &str) -> bool {
    fold(s).starts_with(['a', 'e', 'i', 'o', 'u', 'y', 'h'])
}
