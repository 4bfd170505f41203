//! E-mail surrogates built from the surrogate person: each name-like word of the local part
//! (`jean.dupont`, `j.dupont`, `jdupont`, `dupont.jean2`) is replaced by the same surrogate
//! the name gets in the text, so the address stays readable and coherent with the report.
//! Institutional domains become a generic hospital domain of a surrogate town, other
//! domains a common French or international provider (`.fr` stays `.fr`).

use crate::names::{first_part, surname_part};
use crate::pseudonymiser::Ctx;
use crate::text::{fold, fold_alnum, Case};

const ROLE_WORDS: [&str; 16] = [
    "contact",
    "secretariat",
    "secretariats",
    "accueil",
    "info",
    "infos",
    "rdv",
    "consultation",
    "consultations",
    "service",
    "cardio",
    "urgences",
    "admission",
    "admissions",
    "direction",
    "cabinet",
];
const FR_PROVIDERS: [&str; 6] = [
    "orange.fr",
    "free.fr",
    "sfr.fr",
    "wanadoo.fr",
    "laposte.fr",
    "bbox.fr",
];
const OTHER_PROVIDERS: [&str; 5] = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "hotmail.com",
    "icloud.com",
];
const INSTITUTION_HINTS: [&str; 10] = [
    "chu", "chr", "ch-", "hopital", "hosp", "clinique", "aphp", "ap-hm", "sante", "hcl",
];

pub(crate) fn email(ctx: &Ctx, surface: &str, attempt: u32, out: &mut String) {
    let Some(at) = surface.rfind('@') else {
        return crate::ids::shaped(ctx, "mail", surface, attempt, out);
    };
    let (local, domain) = (&surface[..at], &surface[at + 1..]);
    local_part(ctx, local, attempt, out);
    out.push('@');
    email_domain(ctx, domain, attempt, out);
}

fn local_part(ctx: &Ctx, local: &str, attempt: u32, out: &mut String) {
    let mut rest = local;
    while !rest.is_empty() {
        let end = rest.find(['.', '_', '-', '+']).unwrap_or(rest.len());
        let token = &rest[..end];
        local_token(ctx, token, local, attempt, out);
        let sep_end = rest[end..]
            .find(|c| !matches!(c, '.' | '_' | '-' | '+'))
            .map_or(rest.len(), |i| end + i);
        out.push_str(&rest[end..sep_end]);
        rest = &rest[sep_end..];
    }
}

/// One word of a local part: digits → random digits, an initial → the permuted initial,
/// a first name → its surrogate, a role word kept, anything else treated as a surname.
fn local_token(ctx: &Ctx, token: &str, local: &str, attempt: u32, out: &mut String) {
    let letters: String = token.chars().take_while(|c| c.is_alphabetic()).collect();
    let digits = &token[letters.len()..];
    if !letters.is_empty() {
        let key = fold_alnum(&letters);
        let case = Case::of(&letters);
        let lower_first = |s: &str| fold(s).replace(['\'', ' '], "");
        if letters.chars().count() == 1 {
            crate::names::push_initials(ctx, &letters, out);
        } else if ROLE_WORDS.contains(&key.as_str()) {
            out.push_str(&letters);
        } else if ctx.is_first_name(&key) {
            case.push(
                &lower_first(first_part(ctx, &key, ctx.data.sex_of(&key), attempt)),
                true,
                out,
            );
        } else if let Some(rest) = glued_initial_surname(ctx, &key) {
            // `jdupont`: an initial glued to a surname.
            crate::names::push_initials(ctx, first_char(&letters), out);
            case.push(&lower_first(surname_part(ctx, rest, attempt)), true, out);
        } else {
            case.push(&lower_first(surname_part(ctx, &key, attempt)), true, out);
        }
    }
    if !digits.is_empty() {
        let mut rng = ctx.rng("mail-digits", local, attempt);
        crate::ids::push_shaped(&mut rng, digits, out);
    }
}

/// The surname after a glued initial (`jdupont` → `dupont`) when the whole is not a surname.
fn glued_initial_surname<'k>(ctx: &Ctx, key: &'k str) -> Option<&'k str> {
    let rest = &key[first_char(key).len()..];
    (!ctx.is_surname(key) && rest.len() >= 3 && ctx.is_surname(rest)).then_some(rest)
}

/// The first character of `s` as a slice (never splits a multi-byte letter such as `é`).
fn first_char(s: &str) -> &str {
    s.chars().next().map_or("", |c| &s[..c.len_utf8()])
}

fn email_domain(ctx: &Ctx, domain: &str, attempt: u32, out: &mut String) {
    let folded = fold(domain);
    if FR_PROVIDERS.contains(&folded.as_str()) || OTHER_PROVIDERS.contains(&folded.as_str()) {
        out.push_str(domain); // a public provider says nothing about the person
        return;
    }
    let mut rng = ctx.rng("mail-domain", &folded, attempt);
    if INSTITUTION_HINTS.iter().any(|h| folded.contains(h)) {
        let town = crate::places::commune(ctx, &folded, attempt);
        out.push_str("ch-");
        out.push_str(&slug(&ctx.data.communes[town as usize].0));
        out.push_str(".fr");
    } else if folded.ends_with(".fr") {
        out.push_str(rng.pick::<&str>(&FR_PROVIDERS));
    } else {
        out.push_str(rng.pick::<&str>(&OTHER_PROVIDERS));
    }
}

/// `Saint-Étienne` → `saint-etienne`.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}
