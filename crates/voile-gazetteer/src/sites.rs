//! Short names of listed establishments: `Hôpital de la Pitié-Salpêtrière` is written
//! `la Pitié-Salpêtrière`, `Hôpital de l'Hôtel-Dieu` `l'Hôtel-Dieu`. Only hyphenated compounds
//! after no connector, `de la`, `de l'` or `des` are kept (`Pitié-Salpêtrière`,
//! `Croix-Rousse`, `Quinze-Vingts`). Left out, because they also name something else: a
//! single word (`Necker`, `Pasteur`, `Broca` are surnames or eponyms), a compound after `de`,
//! `d'` or `du` (a commune: `Centre hospitalier de Bourg-en-Bresse`), one starting with a
//! first name (`Robert-Debré`, `Jean-Jaurès` are streets too) or `Saint-` (communes, saints),
//! and compass points (`Nord-Ouest`).

use crate::fold::fold_key;
use crate::lexicon::{ACRONYM_HEADS, WORD_HEADS};
use crate::lists::Hospital;

/// Longest establishment head phrase a name starts with.
const MAX_HEAD_WORDS: usize = 5;

/// The distinctive short names of `hospitals`, in list order, without repeats.
/// `is_first_name` is given the first part, `is_commune` the whole short name, both folded
/// (a commune without its article: `Kremlin-Bicêtre`).
pub(crate) fn standalone_site_names(
    hospitals: &[Hospital],
    is_first_name: &dyn Fn(&str) -> bool,
    is_commune: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for h in hospitals {
        if let Some(short) = short_name(&h.name, &h.city) {
            let first_part = fold_key(short.split('-').next().unwrap_or_default());
            if !is_first_name(&first_part)
                && !is_commune(&fold_key(&short))
                && !names.contains(&short)
            {
                names.push(short);
            }
        }
    }
    names
}

/// The name without its head, connector and city, when what is left is a distinctive
/// hyphenated compound.
fn short_name(name: &str, city: &str) -> Option<String> {
    let words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    let head = (1..=MAX_HEAD_WORDS.min(words.len()))
        .rev()
        .find(|&k| is_head(&fold_key(&words[..k].join(" "))))?;
    let rest = &words[head..];
    // `de la X`, `des X`, `de l'X` or `X` (`l'` stays glued to the word).
    let connector = match rest {
        [de, la, ..] if fold_key(de) == "de" && fold_key(la) == "la" => 2,
        [des, ..] if fold_key(des) == "des" => 1,
        [de, w, ..] if fold_key(de) == "de" && is_elided(w, &["l'", "l’", "L'", "L’"]) => 1,
        _ => 0,
    };
    let [word, tail @ ..] = &rest[connector..] else {
        return None;
    };
    if is_elided(word, &["d'", "d’", "D'", "D’"]) || !is_city_suffix(tail, city) {
        return None;
    }
    let word = without_elision(word);
    distinctive_compound(word).then(|| word.to_string())
}

fn is_elided(word: &str, articles: &[&str]) -> bool {
    articles.iter().any(|a| word.starts_with(a))
}

/// `l'Hôtel-Dieu` → `Hôtel-Dieu`.
fn without_elision(word: &str) -> &str {
    ["l'", "l’", "L'", "L’"]
        .iter()
        .find_map(|p| word.strip_prefix(p))
        .unwrap_or(word)
}

fn is_head(folded: &str) -> bool {
    WORD_HEADS.contains(&folded) || ACRONYM_HEADS.contains(&folded)
}

/// Nothing after the short name, or only `de <city>` / `d'<city>` / `<city>`.
fn is_city_suffix(tail: &[&str], city: &str) -> bool {
    let folded = fold_key(&tail.join(" "));
    let city = fold_key(city);
    folded.is_empty()
        || folded == city
        || folded.strip_prefix("de ") == Some(city.as_str())
        || folded.strip_prefix("d'") == Some(city.as_str())
        || folded.strip_prefix("d’") == Some(city.as_str())
}

/// Two or more parts joined by hyphens, first and last capitalised, not a `Saint-` name.
fn distinctive_compound(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    let capitalised = |p: &str| p.chars().next().is_some_and(char::is_uppercase);
    parts.len() >= 2
        && parts.iter().all(|p| p.chars().count() >= 2)
        && capitalised(parts[0])
        && capitalised(parts[parts.len() - 1])
        && !matches!(
            fold_key(parts[0]).as_str(),
            "saint" | "sainte" | "st" | "ste"
        )
        && !parts
            .iter()
            .all(|p| matches!(fold_key(p).as_str(), "nord" | "sud" | "est" | "ouest"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(name: &str, city: &str) -> Hospital {
        Hospital {
            name: name.into(),
            kind: "HOPITAL".into(),
            city: city.into(),
        }
    }

    #[test]
    fn hyphenated_short_names_are_kept_without_head_connector_or_city() {
        let cases = [
            (
                "Hôpital de la Pitié-Salpêtrière",
                "Paris",
                Some("Pitié-Salpêtrière"),
            ),
            ("Hôtel-Dieu de Nantes", "Nantes", None),
            ("Hôpital Hôtel-Dieu", "Paris", Some("Hôtel-Dieu")),
            ("Hôpital de la Croix-Rousse", "Lyon", Some("Croix-Rousse")),
            ("Hôpital des Quinze-Vingts", "Paris", Some("Quinze-Vingts")),
            (
                "Centre Hospitalier Amiens-Picardie",
                "Amiens",
                Some("Amiens-Picardie"),
            ),
        ];
        for (name, city, want) in cases {
            assert_eq!(short_name(name, city).as_deref(), want, "{name}");
        }
    }

    #[test]
    fn single_words_saints_and_longer_remainders_are_not_short_names() {
        let cases = [
            ("Hôpital Necker", "Paris"),
            ("Hôpital Saint-Louis", "Paris"),
            ("Hôpital de la Timone", "Marseille"),
            ("Hôpital Européen Georges-Pompidou", "Paris"),
            ("CHU de Nantes", "Nantes"),
            ("Clinique du Parc", "Lyon"),
            ("Hôpital du Val-de-Grâce", "Paris"),
            ("Centre hospitalier de Bourg-en-Bresse", "Bourg-en-Bresse"),
            ("Centre hospitalier de Bar-le-Duc", "Bar"),
            ("Centre hospitalier d'Aix-en-Provence", "Aix"),
            ("Hôpital Nord-Ouest", "Villefranche"),
        ];
        for (name, city) in cases {
            assert_eq!(short_name(name, city), None, "{name}");
        }
    }

    #[test]
    fn elided_article_is_not_part_of_the_short_name() {
        assert_eq!(
            short_name("Hôpital de l'Hôtel-Dieu", "Lyon").as_deref(),
            Some("Hôtel-Dieu")
        );
    }

    #[test]
    fn repeated_short_names_are_listed_once() {
        let list = [
            site("Hôpital Hôtel-Dieu", "Paris"),
            site("Hôpital de l'Hôtel-Dieu", "Lyon"),
        ];
        let none = |_: &str| false;
        assert_eq!(
            standalone_site_names(&list, &none, &none),
            vec!["Hôtel-Dieu".to_string()]
        );
    }

    #[test]
    fn compounds_starting_with_a_first_name_are_left_to_the_head() {
        let list = [
            site("Hôpital Robert-Debré", "Paris"),
            site("Hôpital de la Croix-Rousse", "Lyon"),
        ];
        let first_names = |w: &str| w == "robert";
        let none = |_: &str| false;
        assert_eq!(
            standalone_site_names(&list, &first_names, &none),
            vec!["Croix-Rousse".to_string()]
        );
    }

    #[test]
    fn communes_written_without_their_article_are_not_short_names() {
        let list = [
            site("Centre hospitalier de La Roche-sur-Yon", "La Roche-sur-Yon"),
            site("Hôpital Kremlin-Bicêtre", "Paris"),
        ];
        let none = |_: &str| false;
        let communes = |w: &str| w == "roche-sur-yon" || w == "kremlin-bicetre";
        assert!(standalone_site_names(&list, &none, &communes).is_empty());
    }
}
