//! Person names: linked variants (`DUPONT`, `Dupont`, `J. Dupont`, `de Villiers`) map to
//! one surrogate, rendered in the original's form.
//!
//! Each name part (a surname or first name word) is mapped on its own, keyed by its folded
//! form, so `Dupont-Durand` and `Dupont` share `Dupont`'s surrogate. Initials go through a
//! per-scope keyed letter permutation without fixed points, and every surrogate name part is
//! drawn among names starting with the permuted letter of the original: `J.` and `Jean`
//! therefore get coherent surrogates (`M.` and `Marc`) without any shared state. First names
//! keep the sex recorded in the list (`X` or unknown: any sex). Leading particles (`de`,
//! `Le`, `Ben`, `d'`…) are dropped from surnames, so `de Villiers` and `Villiers` agree.

use crate::data::{ANY, FEMALE, MALE};
use crate::pseudonymiser::Ctx;
use crate::rng::Weighted;
use crate::text::{fold, fold_alnum, letter_index, Case};
use voile_gazetteer::lists::Sex;

const PARTICLES: [&str; 26] = [
    "de", "du", "des", "la", "le", "les", "van", "von", "der", "den", "ten", "ter", "ben", "ibn",
    "bin", "el", "al", "di", "da", "dos", "das", "del", "della", "degli", "mac", "st",
];

/// Words of a name with the separator that follows each (`-`, ` `, or empty at the end).
pub(crate) fn split_words(s: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let w_end = rest.find([' ', '-', '\u{2010}']).unwrap_or(rest.len());
        let sep_end = rest[w_end..]
            .find(|c: char| !matches!(c, ' ' | '-' | '\u{2010}'))
            .map_or(rest.len(), |i| w_end + i);
        out.push((&rest[..w_end], &rest[w_end..sep_end]));
        rest = &rest[sep_end..];
    }
    out
}

/// Whether the surface is only initials (`J.`, `J.-P.`, `É`).
pub(crate) fn is_initials(s: &str) -> bool {
    let mut letters = 0;
    let mut run = 0;
    for c in s.chars() {
        if c.is_alphabetic() {
            run += 1;
            letters += 1;
            if run > 1 {
                return false;
            }
        } else {
            run = 0;
        }
    }
    letters > 0
}

/// The core parts of a surname: leading particles and elisions (`d'`, `l'`) removed.
fn surname_core(s: &str) -> Vec<(&str, &str)> {
    let words = split_words(s);
    let mut i = 0;
    while i + 1 < words.len() && PARTICLES.contains(&fold(words[i].0).as_str()) {
        i += 1;
    }
    let mut core = words[i..].to_vec();
    if let Some(first) = core.first_mut() {
        let f = fold(first.0);
        if (f.starts_with("d'")
            || f.starts_with("d’")
            || f.starts_with("l'")
            || f.starts_with("l’"))
            && first.0.chars().count() > 3
        {
            let cut = first.0.char_indices().nth(2).map_or(0, |(i, _)| i);
            first.0 = &first.0[cut..];
        }
    }
    core
}

/// The normalised identity of a surname (folded core, particles and punctuation removed).
pub(crate) fn surname_key(s: &str) -> String {
    surname_core(s).iter().map(|(w, _)| fold_alnum(w)).collect()
}

/// Map initials through the scope's letter permutation, keeping case and punctuation.
pub(crate) fn push_initials(ctx: &Ctx, s: &str, out: &mut String) {
    for c in s.chars() {
        match letter_index(&c.to_string()).filter(|_| c.is_alphabetic()) {
            Some(i) => {
                let l = (b'a' + ctx.perm[i]) as char;
                out.push(if c.is_uppercase() {
                    l.to_ascii_uppercase()
                } else {
                    l
                });
            }
            None => out.push(c),
        }
    }
}

/// Draw a name from the first non-empty pool, different from `avoid` (folded alnum).
fn draw_distinct<'d>(
    pools: &[&Weighted],
    names: &'d [String],
    rng: &mut crate::rng::Rng,
    avoid: &str,
) -> &'d str {
    for pool in pools.iter().filter(|p| !p.is_empty()) {
        for _ in 0..24 {
            if let Some(i) = pool.draw(rng) {
                let n = &names[i as usize];
                if fold_alnum(n) != avoid {
                    return n;
                }
            }
        }
    }
    // Every pool only holds the original: any other name will do.
    names
        .iter()
        .find(|n| fold_alnum(n) != avoid)
        .map_or("Martin", |n| n.as_str())
}

/// The surrogate of one surname part (folded alnum key).
pub(crate) fn surname_part<'d>(ctx: &Ctx<'d>, key: &str, attempt: u32) -> &'d str {
    let d = ctx.data;
    let mut rng = ctx.rng("nom", key, attempt);
    let letter = letter_index(key).map(|i| ctx.perm[i] as usize);
    let mut pools: Vec<&Weighted> = Vec::with_capacity(2);
    if let Some(l) = letter {
        pools.push(&d.surname_pools[l][0]);
    }
    pools.push(&d.surname_pools[26][0]);
    draw_distinct(&pools, &d.surnames, &mut rng, key)
}

/// The surrogate of one first-name part (folded alnum key) of the given sex.
pub(crate) fn first_part<'d>(ctx: &Ctx<'d>, key: &str, sex: Sex, attempt: u32) -> &'d str {
    let d = ctx.data;
    let mut rng = ctx.rng("prenom", key, attempt);
    let s = match sex {
        Sex::M => MALE,
        Sex::F => FEMALE,
        Sex::X => ANY,
    };
    let letter = letter_index(key).map(|i| ctx.perm[i] as usize);
    let mut pools: Vec<&Weighted> = Vec::with_capacity(4);
    // Sex agreement matters more than the initial: relax the letter first.
    if let Some(l) = letter {
        pools.push(&d.first_pools[l][s]);
    }
    pools.push(&d.first_pools[26][s]);
    pools.push(&d.first_pools[26][ANY]);
    draw_distinct(&pools, &d.first_names, &mut rng, key)
}

fn push_part(part: &str, surrogate: &str, out: &mut String) {
    Case::of(part).push(surrogate, part.is_ascii(), out);
}

pub(crate) fn surname(ctx: &Ctx, surface: &str, attempt: u32, out: &mut String) {
    if is_initials(surface) {
        return push_initials(ctx, surface, out);
    }
    for (word, sep) in surname_core(surface) {
        let key = fold_alnum(word);
        if key.is_empty() {
            out.push_str(word);
        } else if is_initials(word) {
            push_initials(ctx, word, out);
        } else {
            push_part(word, surname_part(ctx, &key, attempt), out);
        }
        out.push_str(sep);
    }
}

pub(crate) fn first_name(ctx: &Ctx, surface: &str, attempt: u32, out: &mut String) {
    if is_initials(surface) {
        return push_initials(ctx, surface, out);
    }
    let words = split_words(surface);
    let sex = match ctx.data.sex_of(&fold(surface.trim())) {
        Sex::X => words
            .first()
            .map_or(Sex::X, |(w, _)| ctx.data.sex_of(&fold(w))),
        s => s,
    };
    for (word, sep) in words {
        let key = fold_alnum(word);
        if key.is_empty() {
            out.push_str(word);
        } else if is_initials(word) {
            push_initials(ctx, word, out);
        } else {
            push_part(word, first_part(ctx, &key, sex, attempt), out);
        }
        out.push_str(sep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_particles_and_initials() {
        assert_eq!(
            split_words("Jean-Pierre  Marie"),
            vec![("Jean", "-"), ("Pierre", "  "), ("Marie", "")]
        );
        assert_eq!(surname_key("de VILLIERS"), "villiers");
        assert_eq!(surname_key("Le Floch"), "floch");
        assert_eq!(surname_key("d'Artagnan"), "artagnan");
        assert_eq!(surname_key("N'DIAYE"), "ndiaye");
        assert_eq!(surname_key("Le"), "le");
        assert!(is_initials("J.") && is_initials("J.-P.") && !is_initials("Jo"));
    }
}
