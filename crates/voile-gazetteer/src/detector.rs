//! The gazetteer detector: the longest whole-word list match ([`PatternIndex`]) at every
//! capitalised word start of the folded text, then context gating per label.

use crate::fold::{fold_into, fold_key, is_word_byte, Folded};
use crate::index::PatternIndex;
use crate::lists::Lists;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use voile_core::calendar;
use voile_core::lexicon::Lexicon;
use voile_core::{Detector, Error, Label, Span};

/// Tuning of [`GazetteerDetector`]. Every field has a sensible default.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct GazetteerConfig {
    pub first_names: bool,
    pub surnames: bool,
    pub communes: bool,
    pub hospitals: bool,
    /// Surnames below this estimated frequency need support (title, first name, header).
    pub min_surname_freq: u32,
    /// First names below this estimated frequency need support.
    pub min_first_name_freq: u32,
    /// Communes at or above this population are taken without a place cue.
    pub city_population_no_cue: u32,
    /// Communes below this population that are common words need a strong cue (ZIP, `né à`).
    pub city_population_common_word: u32,
    /// Unknown capitalised words right after a title (`Dr Xyzabc`) are taken as NOM.
    pub unknown_after_title: bool,
}

impl Default for GazetteerConfig {
    fn default() -> Self {
        GazetteerConfig {
            first_names: true,
            surnames: true,
            communes: true,
            hospitals: true,
            min_surname_freq: 30,
            min_first_name_freq: 150,
            city_population_no_cue: 20_000,
            city_population_common_word: 50_000,
            unknown_after_title: true,
        }
    }
}

/// Generative establishment heads: `CHU` (+ city), `Hôpital` (+ name or city)…
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    /// Acronym that must be written in capitals (`CHU`, `CH`, `GHU`).
    Acronym,
    /// Word head (`Hôpital`, `Clinique`, `centre hospitalier`).
    Word,
}

#[derive(Debug, Clone, Default)]
struct Entry {
    first: u32,
    surname: u32,
    commune_pop: Option<u32>,
    /// Population of the largest city outside France of this name (places only in context).
    world_city_pop: Option<u32>,
    hospital: bool,
    head: Option<Head>,
    title: bool,
    common: bool,
    eponym: bool,
    drug: bool,
    territory: bool,
}

impl Entry {
    fn is_name(&self) -> bool {
        self.first > 0 || self.surname > 0
    }

    /// Not yet anything: no name, place, head, title or negative-list word.
    fn is_unclaimed(&self) -> bool {
        !self.is_name()
            && self.commune_pop.is_none()
            && self.world_city_pop.is_none()
            && self.head.is_none()
            && !(self.title || self.common || self.eponym || self.drug || self.territory)
    }
}

/// Finds first names, surnames, communes and establishments (labels PRENOM, NOM, VILLE,
/// HOPITAL) in French text, with context gating. Built once, shared across threads.
pub struct GazetteerDetector {
    index: PatternIndex,
    street_types: BTreeSet<String>,
    /// Folded commune names, for establishment codes (`CHURENNES`, see `codes.rs`).
    commune_keys: BTreeSet<String>,
    entries: Vec<Entry>,
    cfg: GazetteerConfig,
}

/// Nouns after which `de X` names a disease, sign, score or technique, not a person.
use crate::lexicon::EPONYM_CUES as EPONYM_NOUNS;
use crate::lexicon::{is_name_particle, ACRONYM_HEADS, TITLES, WORD_HEADS};
/// Folded starts of the heads and titles that may be written in lowercase.
static LOWER_STARTS: Lexicon = Lexicon::new(include_str!(
    "../../../gazetteers/lexicons/debuts_minuscules.tsv"
));

/// Capitalised words that are list names but, without a title, almost never persons here
/// (month and weekday names too: see [`is_stop_word`]).
static STOP_WORDS: Lexicon = Lexicon::new(include_str!(
    "../../../gazetteers/lexicons/noms_exclus_sans_titre.tsv"
));
fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.contains(&folded)
        || calendar::MONTHS_FOLDED.contains(&folded)
        || calendar::WEEKDAYS.contains(&folded)
}

static PLACE_CUES: Lexicon = Lexicon::new(include_str!(
    "../../../gazetteers/lexicons/lieux_amorces.tsv"
));
static STRONG_PLACE_CUES: Lexicon = Lexicon::new(include_str!(
    "../../../gazetteers/lexicons/lieux_amorces_fortes.tsv"
));
/// Header fields whose value is a place (`Lieu de naissance : Sabran`), compared with the end
/// of the folded label.
static PLACE_FIELDS: Lexicon =
    Lexicon::new(include_str!("../../../gazetteers/lexicons/champs_lieu.tsv"));

static NAME_FIELDS: Lexicon =
    Lexicon::new(include_str!("../../../gazetteers/lexicons/champs_nom.tsv"));

impl GazetteerDetector {
    pub fn new(lists: &Lists, cfg: &GazetteerConfig) -> Result<Self, Error> {
        // Entries in first-insertion order (deterministic: the lists are read in file order).
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        ids.reserve(
            lists.first_names.len()
                + lists.surnames.len()
                + lists.communes.len()
                + lists.world_cities.len(),
        );
        let mut entries: Vec<Entry> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        let mut add = |name: &str, f: &mut dyn FnMut(&mut Entry)| {
            let k = fold_key(name);
            if k.len() >= 2 {
                let id = *ids.entry(k).or_insert_with_key(|k| {
                    keys.push(k.clone());
                    entries.push(Entry::default());
                    (entries.len() - 1) as u32
                });
                f(&mut entries[id as usize]);
            }
        };
        if cfg.first_names {
            for n in &lists.first_names {
                add(&n.name, &mut |e| e.first = e.first.max(n.freq.max(1)));
            }
        }
        if cfg.surnames {
            for n in &lists.surnames {
                add(&n.name, &mut |e| e.surname = e.surname.max(n.freq.max(1)));
            }
        }
        if cfg.communes {
            for c in &lists.communes {
                add(&c.name, &mut |e| {
                    e.commune_pop = Some(e.commune_pop.unwrap_or(0).max(c.population))
                });
            }
        }
        if cfg.communes {
            for c in &lists.world_cities {
                add(&c.name, &mut |e| {
                    e.world_city_pop = Some(e.world_city_pop.unwrap_or(0).max(c.population))
                });
            }
        }
        if cfg.hospitals {
            for h in &lists.hospitals {
                add(&h.name, &mut |e| e.hospital = true);
            }
            for h in ACRONYM_HEADS.iter() {
                add(h, &mut |e| e.head = Some(Head::Acronym));
            }
            for h in WORD_HEADS.iter() {
                add(h, &mut |e| e.head = Some(Head::Word));
            }
        }
        for t in TITLES.iter() {
            add(t, &mut |e| e.title = true);
        }
        for w in &lists.common_words {
            add(w, &mut |e| e.common = true);
        }
        for w in &lists.eponyms {
            add(w, &mut |e| e.eponym = true);
        }
        for w in &lists.drugs {
            // Only single words: drug phrases never collide with names.
            if !w.contains(' ') {
                add(w, &mut |e| e.drug = true);
            }
        }
        for t in &lists.countries_regions {
            add(t, &mut |e| e.territory = true);
        }
        if cfg.hospitals {
            // Last, so that a short name that is also a name, place or word stays that.
            let first_names: BTreeSet<String> = lists
                .first_names
                .iter()
                .map(|n| fold_key(&n.name))
                .collect();
            let is_first_name = |w: &str| first_names.contains(w);
            let communes: BTreeSet<String> = lists
                .communes
                .iter()
                .map(|c| without_article(&fold_key(&c.name)).to_string())
                .collect();
            let is_commune = |w: &str| communes.contains(w);
            let shorts =
                crate::sites::standalone_site_names(&lists.hospitals, &is_first_name, &is_commune);
            for short in shorts {
                add(&short, &mut |e| e.hospital |= e.is_unclaimed());
            }
        }
        drop(ids);
        // Keep only entries that can produce a span or a head/title cue.
        let (keys, entries): (Vec<String>, Vec<Entry>) = keys
            .into_iter()
            .zip(entries)
            .filter(|(_, e)| {
                e.is_name()
                    || e.commune_pop.is_some()
                    || e.world_city_pop.is_some()
                    || e.hospital
                    || e.head.is_some()
                    || e.title
            })
            .unzip();
        let index = PatternIndex::new(keys.iter().enumerate().map(|(i, p)| (p.as_str(), i as u32)));
        let mut street_types = BTreeSet::new();
        for st in &lists.street_types {
            street_types.insert(fold_key(&st.name));
            street_types.extend(st.abbreviations.iter().map(|a| fold_word(a)));
        }
        let commune_keys = if cfg.hospitals {
            crate::codes::commune_keys(lists.communes.iter().map(|c| c.name.as_str()))
        } else {
            BTreeSet::new()
        };
        Ok(GazetteerDetector {
            index,
            street_types,
            commune_keys,
            entries,
            cfg: cfg.clone(),
        })
    }

    /// Number of list matches before gating (diagnostics and benchmarks).
    #[doc(hidden)]
    pub fn raw_hit_count(&self, text: &str) -> usize {
        let mut ctx = Ctx {
            text,
            folded: Folded::default(),
            hits: Vec::new(),
        };
        fold_into(text, &mut ctx.folded);
        self.collect_hits(&mut ctx);
        ctx.hits.len()
    }

    /// Number of distinct folded patterns in the index.
    pub fn pattern_count(&self) -> usize {
        self.index.len()
    }
}

/// A list match in the original text.
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    entry: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Upper,
    Capitalised,
    Lower,
}

fn case_of(s: &str) -> Case {
    let mut letters = s.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else {
        return Case::Lower;
    };
    if !first.is_uppercase() {
        return Case::Lower;
    }
    let mut any = false;
    let mut all_upper = true;
    for c in letters {
        any = true;
        all_upper &= c.is_uppercase();
    }
    if any && all_upper {
        Case::Upper
    } else {
        Case::Capitalised
    }
}

/// A short all-capitals or inner-capital word (`IDR`, `LBA`, `HbA`): an acronym, whatever
/// town abroad shares its letters.
fn looks_like_acronym(surface: &str) -> bool {
    let letters = surface.chars().filter(|c| c.is_alphabetic()).count();
    let inner_capital = surface.chars().skip(1).any(char::is_uppercase);
    letters <= 4 && inner_capital
}

/// Population from which a city abroad outweighs a rare homonymous name.
const BIG_WORLD_CITY: u32 = 500_000;
/// Name frequency (estimated births or bearers) below which a name is rare.
const RARE_NAME_FREQ: u32 = 2_000;

/// A folded commune name without its leading article (`le kremlin-bicetre`).
fn without_article(folded: &str) -> &str {
    ["le ", "la ", "les ", "l'"]
        .iter()
        .find_map(|a| folded.strip_prefix(a))
        .unwrap_or(folded)
}

/// Words longer than this are no title, cue or name: scans give up on them, so each hit inside
/// a long glued chain (`Dupont-Dupont-…`, `Dr.Dr.…`) costs a bounded scan, not the chain.
const MAX_WORD_BYTES: usize = 64;

fn is_name_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '\'' || c == '’' || c == '.'
}

/// Previous word before byte `pos` on the same line: (start, end). Words include `.` and `'`.
/// None when there is none or it is longer than `MAX_WORD_BYTES`.
fn prev_word(text: &str, pos: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut e = pos;
    while e > 0 && (b[e - 1] == b' ' || b[e - 1] == b'\t') {
        e -= 1;
    }
    let mut s = e;
    for c in text[..e].chars().rev() {
        if !is_name_word_char(c) {
            break;
        }
        if e - s >= MAX_WORD_BYTES {
            return None;
        }
        s -= c.len_utf8();
    }
    (s < e).then_some((s, e))
}

fn fold_word(w: &str) -> String {
    fold_key(w.trim_end_matches('.').trim_end_matches(['\'', '’']))
}

/// True when `pos` starts a sentence (line start or after `.`, `!`, `?`, `:`, bullets).
fn sentence_initial(text: &str, pos: usize) -> bool {
    let before = text[..pos].trim_end_matches([' ', '\t']);
    match before.chars().next_back() {
        None | Some('\n' | '\r' | '!' | '?' | ':' | '-' | '•' | '*' | '(' | '"' | '«' | ';') => {
            true
        }
        Some('.') => {
            // "M. Petit" / "Dr. Petit" is not a sentence end.
            prev_word(text, before.len())
                .is_none_or(|(s, e)| !TITLES.contains(&fold_key(&text[s..e]).as_str()))
        }
        _ => false,
    }
}

/// How far back on its line a hit looks for a field label or a site marker.
const LINE_WINDOW_BYTES: usize = 200;

/// The text of `pos`'s line before it, at most `max` bytes of it (moved forward to a char
/// boundary): each hit on a long line costs a bounded scan, not the line.
fn line_tail(text: &str, pos: usize, max: usize) -> &str {
    let mut from = pos.saturating_sub(max);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = &text[from..pos];
    window.rfind('\n').map_or(window, |i| &window[i + 1..])
}

/// A letter's place line: `Lyon, le 12 mars 2021` (the commune opens its line).
fn dated_letter_place(text: &str, start: usize, end: usize) -> bool {
    let opens_line = text[..start]
        .chars()
        .rev()
        .take_while(|&c| c != '\n')
        .all(char::is_whitespace);
    if !opens_line {
        return false;
    }
    let rest = text[end..].trim_start_matches(' ');
    let Some(rest) = rest.strip_prefix(',') else {
        return false;
    };
    let rest = rest.trim_start_matches(' ');
    let after_le = rest
        .get(..3)
        .filter(|le| le.eq_ignore_ascii_case("le "))
        .map(|_| rest[3..].trim_start_matches(' '));
    after_le.is_some_and(|d| d.starts_with(|c: char| c.is_ascii_digit()) || d.starts_with("1er"))
}

/// `(Lyon)` right after an establishment or a person with a title on the same line:
/// `Centre hospitalier Le Vinatier (Bron)`, `Dr A. Martin, ORL libéral (Anglet)`.
fn parenthesised_after_person_or_site(ctx: &Ctx, idx: usize) -> bool {
    let text = ctx.text;
    let h = ctx.hits[idx];
    let before = text[..h.start].trim_end_matches(' ');
    if !before.ends_with('(') || !text[h.end..].trim_start_matches(' ').starts_with(')') {
        return false;
    }
    let line = fold_key(line_tail(text, before.len() - 1, LINE_WINDOW_BYTES));
    SITE_OR_PERSON_MARKERS
        .iter()
        .any(|m| line.split([' ', ',', '.', '-']).any(|w| w == *m))
}

/// Words showing that a parenthesised commune locates an establishment or a practitioner.
static SITE_OR_PERSON_MARKERS: Lexicon = Lexicon::new(include_str!(
    "../../../gazetteers/lexicons/marqueurs_site_personne.tsv"
));

struct Ctx<'t> {
    text: &'t str,
    folded: Folded,
    hits: Vec<Hit>,
}

impl Detector for GazetteerDetector {
    fn name(&self) -> &str {
        "gazetteer"
    }

    fn detect(&self, text: &str, out: &mut Vec<Span>) {
        let mut ctx = Ctx {
            text,
            folded: Folded::default(),
            hits: Vec::new(),
        };
        fold_into(text, &mut ctx.folded);
        self.collect_hits(&mut ctx);
        self.decide(&ctx, out);
        if !self.commune_keys.is_empty() {
            crate::codes::detect(text, &self.commune_keys, out);
        }
    }
}

impl GazetteerDetector {
    /// Longest list match at every word start, kept only if it ends on a word boundary.
    fn collect_hits(&self, ctx: &mut Ctx) {
        let f = ctx.folded.text.as_bytes();
        let n = f.len();
        let mut i = 0;
        while i < n {
            if !is_word_byte(f[i]) || (i > 0 && is_word_byte(f[i - 1])) {
                i += 1;
                continue;
            }
            // Lowercase words only matter as heads/titles (`hôpital`, `docteur`): skip the
            // automaton for every other lowercase or numeric word (most of the text).
            let orig_first = ctx.text.as_bytes()[ctx.folded.map[i] as usize];
            if (orig_first.is_ascii_lowercase() || orig_first.is_ascii_digit())
                && !LOWER_STARTS
                    .iter()
                    .any(|p| f[i..].starts_with(p.as_bytes()))
            {
                i += 1;
                while i < n && is_word_byte(f[i]) {
                    i += 1;
                }
                continue;
            }
            if let Some((e, entry)) = self.index.longest_at(&ctx.folded.text, i) {
                // Keep scanning inside the match: if it is rejected by the gating, a
                // shorter name inside it (`l'Hôpital Necker` → `Hôpital Necker`) still counts.
                let (start, end) = ctx.folded.original(i, e);
                let entry = entry as usize;
                let en = &self.entries[entry];
                // Lowercase surfaces only matter for heads (`hôpital`) and titles (`docteur`).
                let lower = ctx.text.as_bytes()[start].is_ascii_lowercase();
                if !lower || en.head.is_some() || en.title {
                    ctx.hits.push(Hit { start, end, entry });
                }
            }
            i += 1;
            while i < n && is_word_byte(f[i]) {
                i += 1;
            }
        }
    }

    fn hit_at(&self, ctx: &Ctx, pos: usize) -> Option<usize> {
        ctx.hits.binary_search_by_key(&pos, |h| h.start).ok()
    }

    fn decide(&self, ctx: &Ctx, out: &mut Vec<Span>) {
        let mut cursor = 0;
        for idx in 0..ctx.hits.len() {
            let h = ctx.hits[idx];
            if h.start < cursor {
                continue;
            }
            let e = &self.entries[h.entry];
            let surface = &ctx.text[h.start..h.end];
            let case = case_of(surface);
            let consumed = if e.title && self.is_title(ctx, h) {
                self.person_after_title(ctx, h, out)
            } else if e.hospital && case != Case::Lower {
                out.push(Span::new(
                    h.start,
                    h.end,
                    Label::Hopital,
                    "gazetteer:hopital",
                    0.88,
                ));
                Some(h.end)
            } else if let Some(head) = e.head {
                self.generated_hospital(ctx, h, head, case, out)
            } else {
                None
            };
            if let Some(end) = consumed {
                cursor = end;
                continue;
            }
            if case == Case::Lower {
                continue;
            }
            if let Some(end) = self.place_or_person(ctx, idx, case, out) {
                cursor = end;
            }
        }
    }

    /// `Dr Jean DUPONT`, `Mme J. Petit`, `M. de La Tour`: every name token after a title.
    fn person_after_title(&self, ctx: &Ctx, title: Hit, out: &mut Vec<Span>) -> Option<usize> {
        let toks = self.name_tokens(ctx, title.end, true);
        if toks.is_empty() {
            return Some(title.end);
        }
        self.emit_person(ctx, &toks, 0.9, out);
        Some(toks.last().unwrap().end)
    }

    /// Name tokens from `pos`: known names, initials, particles, and (after a title) unknown
    /// capitalised words. Stops at line ends, punctuation and lowercase words.
    fn name_tokens(&self, ctx: &Ctx, mut pos: usize, allow_unknown: bool) -> Vec<NameTok> {
        let text = ctx.text;
        let mut toks: Vec<NameTok> = Vec::new();
        while toks.len() < 5 {
            let rest = &text[pos..];
            let trimmed = rest.trim_start_matches([' ', '\u{a0}']);
            let gap = rest.len() - trimmed.len();
            if gap > 2 || (gap == 0 && !toks.is_empty()) {
                break;
            }
            let s = pos + gap;
            let wend = s + trimmed
                .char_indices()
                .find(|&(i, c)| !is_name_word_char(c) || i > MAX_WORD_BYTES)
                .map_or(trimmed.len(), |(i, _)| i);
            if wend == s || wend - s > MAX_WORD_BYTES {
                break;
            }
            let word = &text[s..wend];
            // Initial: "J." or "J.-P."
            let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
            if word.ends_with('.')
                && !letters.is_empty()
                && letters.len() <= 2
                && letters.iter().all(|c| c.is_uppercase())
            {
                toks.push(NameTok {
                    start: s,
                    end: wend,
                    kind: TokKind::Initial,
                });
                pos = wend;
                continue;
            }
            let w_end = s + word.trim_end_matches('.').len();
            if let Some(hi) = self.hit_at(ctx, s) {
                let h = ctx.hits[hi];
                let e = &self.entries[h.entry];
                let stop = is_stop_word(&fold_word(&text[h.start..h.end]));
                if e.is_name() && case_of(&text[h.start..h.end]) != Case::Lower && !e.title && !stop
                {
                    toks.push(NameTok {
                        start: h.start,
                        end: h.end,
                        kind: TokKind::Known(h.entry),
                    });
                    pos = h.end;
                    continue;
                }
            }
            let folded = fold_word(word);
            if is_name_particle(&folded) {
                // A particle only counts when a capitalised word follows.
                let next = &text[w_end..];
                let nt = next.trim_start_matches(' ');
                let starts_cap = nt.chars().next().is_some_and(char::is_uppercase);
                let glued = word.ends_with(['\'', '’']);
                if (starts_cap && (nt.len() < next.len() || glued)) && !toks.is_empty()
                    || (allow_unknown && starts_cap)
                {
                    toks.push(NameTok {
                        start: s,
                        end: w_end,
                        kind: TokKind::Particle,
                    });
                    pos = w_end;
                    continue;
                }
                break;
            }
            let case = case_of(&text[s..w_end]);
            if case == Case::Lower || is_stop_word(&folded) {
                break;
            }
            let unknown_ok = allow_unknown && self.cfg.unknown_after_title
                || toks
                    .iter()
                    .any(|t| matches!(t.kind, TokKind::Known(e) if self.entries[e].first > 0))
                    && case == Case::Upper;
            if unknown_ok && letters.len() >= 2 && self.hit_at(ctx, s).is_none() {
                toks.push(NameTok {
                    start: s,
                    end: w_end,
                    kind: TokKind::Unknown,
                });
                pos = w_end;
                continue;
            }
            break;
        }
        // Trailing particles are not names.
        while toks.last().is_some_and(|t| t.kind == TokKind::Particle) {
            toks.pop();
        }
        toks
    }

    /// Label a sequence of name tokens: leading first names/initials are PRENOM (merged), the
    /// rest NOM (merged). `DUPONT Jean` (capitals then first name) is NOM PRENOM.
    fn emit_person(&self, ctx: &Ctx, toks: &[NameTok], score: f32, out: &mut Vec<Span>) {
        let is_first = |t: &NameTok| match t.kind {
            TokKind::Initial => true,
            TokKind::Known(e) => self.entries[e].first > 0,
            _ => false,
        };
        let is_sur = |t: &NameTok| match t.kind {
            TokKind::Known(e) => self.entries[e].surname > 0 || self.entries[e].first == 0,
            TokKind::Unknown | TokKind::Particle => true,
            TokKind::Initial => false,
        };
        let text = ctx.text;
        let mut labels = vec![Label::Nom; toks.len()];
        if toks.len() == 1 {
            let t = &toks[0];
            if let TokKind::Known(e) = t.kind {
                let e = &self.entries[e];
                if e.surname == 0
                    || (e.first > 4 * e.surname && case_of(&text[t.start..t.end]) != Case::Upper)
                {
                    labels[0] = Label::Prenom;
                }
            } else if t.kind == TokKind::Initial {
                labels[0] = Label::Prenom;
            }
        } else {
            let upper_first = case_of(&text[toks[0].start..toks[0].end]) == Case::Upper
                && !matches!(toks[0].kind, TokKind::Initial);
            let tail_first = toks.len() >= 2
                && is_first(&toks[toks.len() - 1])
                && case_of(&text[toks[toks.len() - 1].start..toks[toks.len() - 1].end])
                    == Case::Capitalised;
            if upper_first && tail_first && is_sur(&toks[0]) {
                // DUPONT Jean / DUPONT Marie-Claire
                let k = toks.len() - 1;
                labels[k] = Label::Prenom;
            } else {
                // first names until the last token that can be a surname
                let mut i = 0;
                while i + 1 < toks.len() && is_first(&toks[i]) {
                    labels[i] = Label::Prenom;
                    i += 1;
                }
            }
        }
        let mut i = 0;
        while i < toks.len() {
            let mut j = i;
            while j + 1 < toks.len() && labels[j + 1] == labels[i] {
                j += 1;
            }
            let src = if labels[i] == Label::Prenom {
                "gazetteer:prenom"
            } else {
                "gazetteer:nom"
            };
            out.push(Span::new(toks[i].start, toks[j].end, labels[i], src, score));
            i = j + 1;
        }
    }

    /// `CHU de Nantes`, `Centre hospitalier d'Angers`, `Hôpital Saint-Louis`, `Clinique du Parc`.
    fn generated_hospital(
        &self,
        ctx: &Ctx,
        h: Hit,
        head: Head,
        case: Case,
        out: &mut Vec<Span>,
    ) -> Option<usize> {
        let text = ctx.text;
        let surface = &text[h.start..h.end];
        match head {
            Head::Acronym if case != Case::Upper => return None,
            Head::Acronym if surface.len() <= 2 && !surface.starts_with("CH") => return None,
            _ => {}
        }
        let lowercase_head = case == Case::Lower;
        let rest = &text[h.end..];
        // Optional connector: de, d', du, des, de la, de l'
        let mut pos = h.end;
        let mut saw_connector = false;
        let t = rest.trim_start_matches(' ');
        if t.len() < rest.len() || rest.starts_with(['\'', '’']) {
            for c in ["de la ", "de l'", "de l’", "des ", "du ", "de ", "d'", "d’"] {
                if t.len() >= c.len()
                    && t.is_char_boundary(c.len())
                    && t[..c.len()].eq_ignore_ascii_case(c)
                {
                    pos = h.end + (rest.len() - t.len()) + c.len();
                    saw_connector = true;
                    break;
                }
            }
            if !saw_connector {
                pos = h.end + (rest.len() - t.len());
            }
        }
        if pos == h.end && !rest.starts_with(' ') {
            return None;
        }
        // A commune right after: "CHU de Nantes", "CHU Amiens-Picardie"
        if let Some(hi) = self.hit_at(ctx, pos) {
            let c = ctx.hits[hi];
            let ce = &self.entries[c.entry];
            if ce.commune_pop.is_some()
                && case_of(&text[c.start..c.end]) != Case::Lower
                && !ce.territory
            {
                // extend over "-Picardie" / " Alpes" style suffix words in capitals
                let mut end = c.end;
                let after = &text[end..];
                if after.starts_with('-') || after.starts_with(' ') {
                    let w: String = after[1..]
                        .chars()
                        .take_while(|ch| ch.is_alphabetic())
                        .collect();
                    if !saw_connector
                        && w.chars().next().is_some_and(char::is_uppercase)
                        && w.len() > 2
                    {
                        end += 1 + w.len();
                    }
                }
                if lowercase_head && !surface.to_lowercase().starts_with("centre") {
                    // "l'hôpital de Cholet": generic structure + city → the city only.
                    out.push(Span::new(
                        c.start,
                        c.end,
                        Label::Ville,
                        "gazetteer:ville",
                        0.8,
                    ));
                } else {
                    out.push(Span::new(
                        h.start,
                        end,
                        Label::Hopital,
                        "gazetteer:hopital",
                        0.87,
                    ));
                }
                return Some(end);
            }
        }
        if head == Head::Acronym && saw_connector {
            return None;
        }
        // Capitalised name words: "Hôpital Necker", "Clinique Saint-Jean", "EHPAD Les Glycines"
        let mut end = None;
        let mut p = pos;
        let mut words = 0;
        while words < 5 {
            let r = &text[p..];
            let w_len = r
                .char_indices()
                .find(|&(_, c)| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'))
                .map_or(r.len(), |(i, _)| i);
            if w_len == 0 {
                break;
            }
            let w = &r[..w_len];
            let fw = fold_key(w);
            let connector = matches!(
                fw.as_str(),
                "de" | "du" | "des" | "la" | "le" | "les" | "l" | "d" | "sur" | "en" | "et"
            );
            if case_of(w) == Case::Lower && !connector {
                break;
            }
            if !connector {
                if words == 0
                    && (EPONYM_NOUNS.contains(&fw.as_str())
                        || fw == "universitaire"
                        || fw == "general")
                {
                    break;
                }
                end = Some(p + w_len);
            }
            words += 1;
            let after = &r[w_len..];
            if after.starts_with(' ') && !after.starts_with("  ") {
                p += w_len + 1;
            } else if after.starts_with(['\'', '’']) {
                p += w_len + after.chars().next().unwrap().len_utf8();
            } else {
                break;
            }
        }
        let end = end?;
        // Header "Clinique :" is not an establishment; a lone head followed by a sentence-start word
        // is not either, so require the name to be on the same phrase (no ':' before).
        if text[h.end..end].contains(':') {
            return None;
        }
        out.push(Span::new(
            h.start,
            end,
            Label::Hopital,
            "gazetteer:hopital",
            if lowercase_head { 0.7 } else { 0.8 },
        ));
        Some(end)
    }

    /// A postcode or `cedex` around the hit, a place field, a dated letter line, a
    /// parenthesis after a person or site, or a residence/birth/transfer word before it
    /// (`né à`, `domiciliée`, `originaire de`).
    fn strong_place_cue(
        &self,
        ctx: &Ctx,
        idx: usize,
        prev: Option<&str>,
        prev2: Option<&str>,
    ) -> bool {
        let text = ctx.text;
        let h = ctx.hits[idx];
        let after_zip = text[..h.start]
            .trim_end_matches(' ')
            .as_bytes()
            .rchunks(5)
            .next()
            .is_some_and(|z| z.len() == 5 && z.iter().all(u8::is_ascii_digit));
        let after = text[h.end..].trim_start().as_bytes();
        let cedex = after.len() >= 5 && after[..5].eq_ignore_ascii_case(b"cedex");
        after_zip
            || cedex
            || self.place_field(text, h.start)
            || dated_letter_place(text, h.start, h.end)
            || parenthesised_after_person_or_site(ctx, idx)
            || prev.is_some_and(|p| p == "a" || p == "au")
                && prev2.is_some_and(|p| STRONG_PLACE_CUES.contains(&p))
            || prev.is_some_and(|p| STRONG_PLACE_CUES.contains(&p))
    }

    /// A city abroad (not also a French commune, territory or word) after a strong cue,
    /// after `originaire de`, or, when it is no eponym, drug or usual name either, after `à`,
    /// `de`, `depuis`, `vers` (`arrivée d'Odessa`, `traitée à Kyiv`, `né le … A KAYES`).
    /// A rare first name or surname does not stop a city of half a million (`Odessa`).
    fn world_city_in_context(
        &self,
        ctx: &Ctx,
        idx: usize,
        prev: Option<&str>,
        prev2: Option<&str>,
    ) -> bool {
        let h = ctx.hits[idx];
        let e = &self.entries[h.entry];
        if e.commune_pop.is_some()
            || e.territory
            || e.common
            || looks_like_acronym(&ctx.text[h.start..h.end])
        {
            return false;
        }
        let elided_d = ctx.text[..h.start].ends_with(['\'', '’']) && prev == Some("d");
        let after_de = elided_d || prev.is_some_and(|p| matches!(p, "de" | "du" | "d'"));
        let after_strong_word = prev2.is_some_and(|p| STRONG_PLACE_CUES.contains(&p));
        if self.strong_place_cue(ctx, idx, prev, prev2) || after_de && after_strong_word {
            return true;
        }
        let weak = after_de || prev.is_some_and(|p| matches!(p, "a" | "au" | "depuis" | "vers"));
        let big_city = e.world_city_pop.unwrap_or(0) >= BIG_WORLD_CITY;
        let usual_name = e.first >= RARE_NAME_FREQ || e.surname >= RARE_NAME_FREQ;
        // `grade B de Los Angeles`, `facteur V de Leiden`: a grade or factor, not a trip.
        let after_grade = prev2.is_some_and(|p| p.chars().count() <= 2);
        weak && (!e.is_name() || big_city && !usual_name)
            && !e.eponym
            && !e.drug
            && !after_grade
            && !prev2.is_some_and(|p| EPONYM_NOUNS.contains(&p))
    }

    /// Commune or person name without a title: gate on context.
    fn place_or_person(
        &self,
        ctx: &Ctx,
        idx: usize,
        case: Case,
        out: &mut Vec<Span>,
    ) -> Option<usize> {
        let text = ctx.text;
        let h = ctx.hits[idx];
        let e = &self.entries[h.entry];
        let prev = prev_word(text, h.start).map(|(s, e)| fold_word(&text[s..e]));
        let prev2 = prev_word(text, h.start)
            .and_then(|(s, _)| prev_word(text, s))
            .map(|(s, e)| fold_word(&text[s..e]));
        let glued_d = text[..h.start].ends_with(['\'', '’'])
            && prev
                .as_deref()
                .is_some_and(|p| p == "d" || p.ends_with("d'") || p == "l");
        // --- places
        if e.world_city_pop.is_some()
            && self.world_city_in_context(ctx, idx, prev.as_deref(), prev2.as_deref())
        {
            out.push(Span::new(
                h.start,
                h.end,
                Label::Ville,
                "gazetteer:ville",
                0.8,
            ));
            return Some(h.end);
        }
        if let Some(pop) = e.commune_pop {
            if !e.territory {
                let strong = self.strong_place_cue(ctx, idx, prev.as_deref(), prev2.as_deref());
                let cue = strong
                    || prev.as_deref().is_some_and(|p| PLACE_CUES.contains(&p))
                    || (prev.as_deref() == Some("de") || glued_d || prev.as_deref() == Some("d'"))
                        && !prev2.as_deref().is_some_and(|p| EPONYM_NOUNS.contains(&p));
                let common = e.common && pop < self.cfg.city_population_common_word;
                let person_like =
                    e.is_name() && (e.first >= self.cfg.min_first_name_freq || e.surname >= 200);
                let take = if strong {
                    Some(0.85)
                } else if cue && !common && (!person_like || prev.as_deref() == Some("a")) {
                    Some(0.75)
                } else if cue
                    && pop >= self.cfg.city_population_no_cue
                    && (!e.common || pop >= self.cfg.city_population_common_word)
                {
                    Some(0.7)
                } else if !common && !e.is_name() && !sentence_initial(text, h.start) && pop >= 1000
                {
                    Some(if pop >= self.cfg.city_population_no_cue {
                        0.65
                    } else {
                        0.55
                    })
                } else if pop >= self.cfg.city_population_common_word && !e.is_name() {
                    Some(0.6)
                } else {
                    None
                };
                if let Some(score) = take {
                    out.push(Span::new(
                        h.start,
                        h.end,
                        Label::Ville,
                        "gazetteer:ville",
                        score,
                    ));
                    return Some(h.end);
                }
            }
        }
        if !e.is_name()
            || (case == Case::Upper && h.end - h.start <= 2)
            || is_stop_word(&fold_word(&text[h.start..h.end]))
        {
            return None;
        }
        // --- persons
        let in_street =
            |w: &Option<String>| w.as_deref().is_some_and(|p| self.street_types.contains(p));
        if in_street(&prev)
            || (prev
                .as_deref()
                .is_some_and(|p| matches!(p, "de" | "des" | "du" | "la" | "d'"))
                && in_street(&prev2))
        {
            return None;
        }
        let after_de = prev
            .as_deref()
            .is_some_and(|p| p == "de" || p == "d'" || p == "d" || p == "du")
            || glued_d;
        if after_de && prev2.as_deref().is_some_and(|p| EPONYM_NOUNS.contains(&p)) {
            return Some(h.end);
        }
        let next = text[h.end..].trim_start_matches(' ');
        let next_fold = next
            .char_indices()
            .take_while(|&(i, _)| i <= MAX_WORD_BYTES)
            .find(|&(_, c)| matches!(c, ' ' | ',' | '.' | '\n'))
            .map(|(i, _)| i)
            .or((next.len() <= MAX_WORD_BYTES).then_some(next.len()))
            .map(|i| fold_key(&next[..i]))
            .unwrap_or_default();
        if matches!(
            next_fold.as_str(),
            "disease" | "syndrome" | "sign" | "score" | "test"
        ) && e.eponym
        {
            return Some(h.end);
        }
        let toks = self.name_tokens(ctx, h.start, false);
        if toks.is_empty() {
            return None;
        }
        let end = toks.last().unwrap().end;
        let has_first = toks.iter().any(|t| matches!(t.kind, TokKind::Known(i) if self.entries[i].first > 0 && !self.risky_first(i)));
        let has_sur = toks
            .iter()
            .any(|t| matches!(t.kind, TokKind::Known(i) if self.entries[i].surname > 0));
        let pair = toks.len() >= 2 && has_first && has_sur;
        let field = self.name_field(text, h.start)
            || prev.as_deref().is_some_and(|p| {
                matches!(
                    p,
                    "epouse" | "epoux" | "nee" | "veuve" | "dite" | "dit" | "fils" | "fille"
                )
            });
        if pair && !toks.iter().all(
            |t| matches!(t.kind, TokKind::Known(i) if self.risky_surname(i) && self.risky_first(i)),
        ) {
            self.emit_person(ctx, &toks, if field { 0.85 } else { 0.8 }, out);
            return Some(end);
        }
        if field {
            self.emit_person(ctx, &toks, 0.8, out);
            return Some(end);
        }
        // A single name token without support.
        let t = toks[0];
        let TokKind::Known(ei) = t.kind else {
            return None;
        };
        let te = &self.entries[ei];
        let tcase = case_of(&text[t.start..t.end]);
        if tcase == Case::Upper {
            // Capitals alone (headings, acronyms) need support.
            return None;
        }
        // "(noun) de Koch", "pessaire d'Arabin": a lone unsupported name after `de` is an eponym.
        if prev
            .as_deref()
            .is_some_and(|p| matches!(p, "de" | "d'" | "d" | "du"))
            || glued_d
        {
            return None;
        }
        let initial = sentence_initial(text, t.start);
        let first_ok = te.first >= self.cfg.min_first_name_freq
            && !self.risky_first(ei)
            && !(initial && te.common);
        let sur_ok = te.surname >= self.cfg.min_surname_freq && !self.risky_surname(ei) && !initial;
        let (label, src, score) = if first_ok && (te.first >= te.surname || !sur_ok) {
            (Label::Prenom, "gazetteer:prenom", 0.6)
        } else if sur_ok {
            (Label::Nom, "gazetteer:nom", 0.55)
        } else {
            return None;
        };
        out.push(Span::new(t.start, t.end, label, src, score));
        Some(t.end)
    }

    /// Abbreviated titles must be capitalised (`Me`, not the pronoun `me`) and be followed by
    /// a space; full words (`docteur`, `madame`) may be lowercase.
    fn is_title(&self, ctx: &Ctx, h: Hit) -> bool {
        let surface = &ctx.text[h.start..h.end];
        let full_word = surface.chars().count() > 4;
        let capital = surface.chars().next().is_some_and(char::is_uppercase);
        (full_word || capital) && ctx.text[h.end..].starts_with([' ', '\u{a0}'])
    }

    fn risky_surname(&self, i: usize) -> bool {
        let e = &self.entries[i];
        e.common
            || e.eponym
            || e.drug
            || e.surname < self.cfg.min_surname_freq
            || e.commune_pop.is_some()
    }

    fn risky_first(&self, i: usize) -> bool {
        let e = &self.entries[i];
        e.eponym || e.drug || e.first < self.cfg.min_first_name_freq
    }

    /// `Lieu de naissance : Sabran`, `Ville : LYON`, `Né(e) à : Paris` on the same line.
    fn place_field(&self, text: &str, pos: usize) -> bool {
        let before = line_tail(text, pos, LINE_WINDOW_BYTES).trim_end();
        let Some(label) = before.strip_suffix(':') else {
            return false;
        };
        let label = fold_key(label.trim_end_matches([' ', '\t', '.', '|']));
        PLACE_FIELDS.iter().any(|f| {
            label
                .strip_suffix(f)
                .is_some_and(|rest| rest.is_empty() || rest.ends_with([' ', '|', '\t']))
        })
    }

    /// `Nom : DUPONT`, `Patient : Jean Dupont`, `Rédigé par : …` on the same line.
    fn name_field(&self, text: &str, pos: usize) -> bool {
        let before = line_tail(text, pos, LINE_WINDOW_BYTES).trim_end();
        let Some(label) = before.strip_suffix(':') else {
            return false;
        };
        let label = fold_key(label);
        let tail: String = label
            .chars()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        NAME_FIELDS.iter().any(|f| tail.contains(f))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    Known(usize),
    Initial,
    Particle,
    Unknown,
}

#[derive(Debug, Clone, Copy)]
struct NameTok {
    start: usize,
    end: usize,
    kind: TokKind,
}

#[allow(dead_code)]
fn _assert_send_sync() {
    fn f<T: Send + Sync>() {}
    f::<GazetteerDetector>();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lists::{Commune, FirstName, Hospital, Sex, StreetType, Surname};

    fn lists() -> Lists {
        let first = |n: &str, f| FirstName {
            name: n.into(),
            sex: Sex::X,
            freq: f,
        };
        let sur = |n: &str, f| Surname {
            name: n.into(),
            freq: f,
        };
        let town = |n: &str, p| Commune {
            name: n.into(),
            postcode: "00000".into(),
            insee: "00000".into(),
            population: p,
        };
        Lists {
            first_names: vec![
                first("Jean", 9000),
                first("Pierre", 9000),
                first("Jean-Pierre", 5000),
                first("Élodie", 3000),
                first("Rose", 2000),
            ],
            surnames: vec![
                sur("Dupont", 5000),
                sur("Petit", 60000),
                sur("Parkinson", 40),
                sur("Marfan", 40),
                sur("Cœur", 800),
                sur("Babinski", 40),
            ],
            communes: vec![
                town("Nantes", 320000),
                town("Vienne", 29000),
                town("Saint-Étienne", 170000),
                town("Petit", 300),
                town("Dupont", 300),
            ],
            world_cities: Vec::new(),
            hospitals: vec![Hospital {
                name: "CHU de Nantes".into(),
                kind: "CHU".into(),
                city: "Nantes".into(),
            }],
            street_types: vec![StreetType {
                name: "rue".into(),
                abbreviations: vec!["r.".into()],
            }],
            eponyms: vec![
                "Parkinson".into(),
                "Marfan".into(),
                "Glasgow".into(),
                "Babinski".into(),
            ],
            drugs: vec![],
            common_words: vec![
                "Petit".into(),
                "Rose".into(),
                "Pierre".into(),
                "Vienne".into(),
            ],
            function_words: vec!["nous".into(), "le".into()],
            countries_regions: vec!["France".into()],
            clinical_acronyms: vec!["IRM".into()],
            score_names: vec!["Killip".into()],
        }
    }

    fn run(text: &str) -> Vec<(String, Label)> {
        let det = GazetteerDetector::new(&lists(), &GazetteerConfig::default()).unwrap();
        let mut out = Vec::new();
        det.detect(text, &mut out);
        voile_core::resolve(out)
            .iter()
            .map(|s| (text[s.range()].to_string(), s.label))
            .collect()
    }

    fn has(got: &[(String, Label)], surface: &str, label: Label) -> bool {
        got.iter().any(|(s, l)| s == surface && *l == label)
    }

    #[test]
    fn line_tails_stop_at_the_line_start_and_the_window() {
        assert_eq!(line_tail("a\nNom : ", 8, 200), "Nom : ");
        assert_eq!(line_tail("éééé", 8, 3), "é");
        assert_eq!(line_tail("abc", 0, 200), "");
    }

    #[test]
    fn word_scans_give_up_on_long_glued_chains() {
        // Regression (bench --shapes): every hit of `Dupont-Dupont-…` rescanned the chain.
        assert_eq!(prev_word("vu Dr. Petit", 7), Some((3, 6)));
        let chain = "Dupont-".repeat(1000);
        assert_eq!(prev_word(&chain, chain.len()), None);
        let got = run(&format!("{chain} Mme Petit"));
        assert!(
            got.iter().all(|(s, _)| s.len() <= MAX_WORD_BYTES),
            "{got:?}"
        );
    }

    #[test]
    fn offsets_survive_folding() {
        let got = run("Dr Élodie CŒUR et Mme Jean‐Pierre d’Dupont au CHU de Nantes, Saint–Étienne");
        assert!(has(&got, "Élodie", Label::Prenom), "{got:?}");
        assert!(has(&got, "CŒUR", Label::Nom), "{got:?}");
        assert!(has(&got, "CHU de Nantes", Label::Hopital), "{got:?}");
        assert!(got.iter().any(|(s, _)| s == "Jean‐Pierre"), "{got:?}");
    }

    #[test]
    fn eponyms_do_not_fire() {
        for t in [
            "Maladie de Parkinson connue.",
            "Un syndrome de Marfan.",
            "Score de Glasgow à 15.",
            "Pas de signe de Babinski.",
            "Un Parkinson évolué.",
        ] {
            let got = run(t);
            assert!(
                got.iter()
                    .all(|(_, l)| !matches!(l, Label::Nom | Label::Prenom)),
                "{t}: {got:?}"
            );
        }
    }

    #[test]
    fn common_word_surnames_only_in_name_positions() {
        assert!(has(&run("Vue par Mme Petit ce jour."), "Petit", Label::Nom));
        assert!(run("On note un petit nodule.").is_empty());
        assert!(run("Petit nodule apical.").is_empty());
        assert!(has(
            &run("Son fils Pierre est présent."),
            "Pierre",
            Label::Prenom
        ));
        assert!(run("Une pierre de 5 mm dans le rein.").is_empty());
        assert!(has(&run("Patient : Jean DUPONT"), "DUPONT", Label::Nom));
        assert!(has(&run("Patient : Jean DUPONT"), "Jean", Label::Prenom));
    }

    #[test]
    fn cities_need_cues_when_ambiguous() {
        assert!(has(&run("Domiciliée à Vienne."), "Vienne", Label::Ville));
        assert!(has(&run("38200 Vienne"), "Vienne", Label::Ville));
        assert!(run("Vienne la nuit.").is_empty());
        assert!(has(&run("Originaire de Nantes."), "Nantes", Label::Ville));
        assert!(has(
            &run("Transfert au CHU de Nantes."),
            "CHU de Nantes",
            Label::Hopital
        ));
    }

    #[test]
    fn place_fields_letter_lines_and_parenthesised_sites_make_places() {
        // `Petit`/`Dupont` are also small communes and surnames: only the cue decides.
        for (text, place) in [
            ("Lieu de naissance : Petit\n", "Petit"),
            (
                "Né le 01/02/1960     Lieu : DUPONT     Nationalité : française",
                "DUPONT",
            ),
            ("Né(e) à : Vienne", "Vienne"),
            ("Vienne, le 12 mars 2021\nCher confrère,", "Vienne"),
            ("Centre hospitalier Le Vinatier (Vienne)", "Vienne"),
            ("Dr A. Martin, ORL libéral (Petit)", "Petit"),
        ] {
            let got = run(text);
            assert!(has(&got, place, Label::Ville), "{text:?}: {got:?}");
        }
        // Same words without the cue: not places.
        assert!(!run("Nom : Petit\n").iter().any(|(_, l)| *l == Label::Ville));
        assert!(!run("Vienne la nuit, le 12 mars.")
            .iter()
            .any(|(_, l)| *l == Label::Ville));
        assert!(!run("un nodule (Petit) est vu")
            .iter()
            .any(|(_, l)| *l == Label::Ville));
    }

    #[test]
    fn output_is_deterministic() {
        let t = "Dr Jean Dupont, CHU de Nantes, domicilié à Vienne. Mme Petit.";
        let a = run(t);
        for _ in 0..3 {
            assert_eq!(run(t), a);
        }
        let det = GazetteerDetector::new(&lists(), &GazetteerConfig::default()).unwrap();
        let (mut x, mut y) = (Vec::new(), Vec::new());
        det.detect(t, &mut x);
        det.detect(t, &mut y);
        assert_eq!(x, y);
    }

    #[test]
    fn config_round_trips_through_serde() {
        let cfg = GazetteerConfig {
            min_surname_freq: 7,
            ..Default::default()
        };
        let json = serde_json::to_string(&cfg).unwrap();
        assert_eq!(serde_json::from_str::<GazetteerConfig>(&json).unwrap(), cfg);
        assert_eq!(
            serde_json::from_str::<GazetteerConfig>("{}").unwrap(),
            GazetteerConfig::default()
        );
    }
}
