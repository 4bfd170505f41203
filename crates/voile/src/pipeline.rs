//! The [`Pipeline`]: detectors built once from a [`Config`], shared across threads.

use crate::config::{Config, NerPolicy};
use crate::containment::contain;
use crate::fusion::fuse;
use crate::identity::FieldRewriter;
use crate::propagate::{Propagator, Surfaces};
use crate::resources;
use crate::safelist::SafeList;
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use voile_core::corpus::Record;
use voile_core::normalize::normalize;
use voile_core::{
    join_hyphenated_names, resolve_in_place, Detector, Error, ErrorKind, Label, Span,
};
use voile_gazetteer::fold::fold_key;
use voile_gazetteer::lists::Lists;
use voile_gazetteer::recase::Recaser;
use voile_gazetteer::{GazetteerDetector, KnownDetector, KnownIdentities};
use voile_ner::NerModel;
use voile_rules::Rules;
use voile_surrogate::{Key, Pseudonymised, Pseudonymiser, Replacement, Scope};

/// A built pipeline: detection always, pseudonymisation once a key is attached
/// with [`Pipeline::with_key`].
pub struct Pipeline {
    config: Config,
    detectors: Vec<Box<dyn Detector>>,
    lists: Lists,
    propagator: Propagator,
    safelist: SafeList,
    recaser: Option<Recaser>,
    pseudonymiser: Option<Pseudonymiser>,
}

/// A pseudonymised document: the new text, the resolved spans (byte offsets into the
/// *original* text) and one replacement per span.
#[derive(Debug, Clone)]
pub struct PseudoOutput {
    pub text: String,
    pub spans: Vec<Span>,
    pub replacements: Vec<Replacement>,
}

impl Pipeline {
    /// Build every enabled detector. Fails with a clear error naming any missing or corrupt
    /// resource (gazetteer list, model file).
    pub fn new(config: &Config) -> Result<Pipeline, Error> {
        config.validate()?;
        let root = resources::root(config.resources.as_deref());
        let lists = Lists::load(&resources::gazetteers_dir(&root))?;
        let detectors = build_detectors(config, &root, &lists)?;
        Ok(Pipeline {
            config: config.clone(),
            detectors,
            propagator: Propagator::new(
                &lists.common_words,
                &[
                    &lists.eponyms[..],
                    &lists.score_names,
                    &lists.countries_regions,
                ]
                .concat(),
                &[&lists.function_words[..], &lists.clinical_acronyms].concat(),
            ),
            safelist: SafeList::new(&lists),
            recaser: config
                .recase_lowercase
                .then(|| Recaser::new(&lists, &config.gazetteer)),
            lists,
            pseudonymiser: None,
        })
    }

    /// Attach a pseudonymiser using the config's operators and `key` (required by the
    /// `surrogate` and `hash` operators).
    pub fn with_key(mut self, key: Option<Key>) -> Result<Pipeline, Error> {
        self.pseudonymiser = Some(Pseudonymiser::new(
            &self.config.surrogate,
            key,
            &self.lists,
        )?);
        Ok(self)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The name, place and lexicon lists the detectors were built from.
    pub(crate) fn lists(&self) -> &Lists {
        &self.lists
    }

    /// Names of the active detectors, in the order they run.
    pub fn detector_names(&self) -> Vec<&str> {
        self.detectors.iter().map(|d| d.name()).collect()
    }

    /// Resolved spans (byte offsets, sorted, non-overlapping) for a bare text, surfaces
    /// propagated through the text.
    pub fn detect(&self, text: &str) -> Vec<Span> {
        let mut spans = self.detect_with(text, None);
        self.propagate_own(text, &mut spans);
        spans
    }

    /// Resolved spans for a record, also matching the known identity in its `meta`, with
    /// the record's accepted surfaces propagated through its text.
    pub fn detect_record(&self, record: &Record) -> Vec<Span> {
        let mut spans = self.detect_unpropagated(record);
        self.propagate_own(&record.text, &mut spans);
        spans
    }

    fn detect_unpropagated(&self, record: &Record) -> Vec<Span> {
        let known = self
            .config
            .use_known_identities
            .then(|| record.meta().map(KnownIdentities::from_meta))
            .flatten()
            .filter(|k| !k.is_empty());
        self.detect_with(&record.text, known.as_ref())
    }

    fn propagate_own(&self, text: &str, spans: &mut Vec<Span>) {
        let own = self.own_surfaces(text, spans);
        self.propagator.propagate(text, spans, &own);
    }

    /// The surfaces a document spreads through itself (none unless `propagation.document`).
    fn own_surfaces(&self, text: &str, spans: &[Span]) -> Surfaces {
        if self.config.propagation.document {
            self.propagator.surfaces(text, spans)
        } else {
            Surfaces::default()
        }
    }

    /// [`Pipeline::detect_record`] over many records in parallel; output order = input order.
    /// With `propagation.patient`, a surface accepted in one record of a patient
    /// (`meta.patient_id`) is also propagated through that patient's other records of the batch.
    pub fn detect_batch(&self, records: &[Record]) -> Vec<Vec<Span>> {
        self.try_detect_batch(records)
            .into_iter()
            .map(|r| r.unwrap_or_default())
            .collect()
    }

    /// [`Pipeline::detect_record`] with a failure (a panic included) contained to this
    /// record and returned as an error naming the record, never its text.
    pub fn try_detect_record(&self, record: &Record) -> Result<Vec<Span>, Error> {
        contain(|| self.detect_record(record)).map_err(|e| e.in_record(record.id.clone()))
    }

    /// [`Pipeline::detect_batch`] with failures contained per record.
    pub fn try_detect_batch(&self, records: &[Record]) -> Vec<Result<Vec<Span>, Error>> {
        let first: Vec<Result<Vec<Span>, Error>> = records
            .par_iter()
            .map(|r| contain(|| self.detect_unpropagated(r)))
            .collect();
        let shared = self.patient_surfaces(records, &first);
        records
            .par_iter()
            .zip(first)
            .map(|(r, spans)| {
                let mut spans = spans?;
                contain(|| {
                    let mut surfaces = self.own_surfaces(&r.text, &spans);
                    if let Some(p) = patient_id(r).and_then(|p| shared.get(&p)) {
                        surfaces.extend(p);
                    }
                    self.propagator.propagate(&r.text, &mut spans, &surfaces);
                    spans
                })
            })
            .zip(records)
            .map(|(res, r)| res.map_err(|e| e.in_record(r.id.clone())))
            .collect()
    }

    /// Surfaces accepted in each patient's records of a batch (empty unless
    /// `propagation.patient`).
    fn patient_surfaces(
        &self,
        records: &[Record],
        spans: &[Result<Vec<Span>, Error>],
    ) -> BTreeMap<String, Surfaces> {
        let mut by_patient: BTreeMap<String, Surfaces> = BTreeMap::new();
        if !self.config.propagation.patient {
            return by_patient;
        }
        for (r, s) in records.iter().zip(spans) {
            if let (Some(p), Ok(s)) = (patient_id(r), s) {
                let found = self.propagator.surfaces(&r.text, s);
                by_patient.entry(p).or_default().extend(&found);
            }
        }
        by_patient
    }

    /// Pseudonymise a batch: detection as [`Pipeline::try_detect_batch`] (patient-scope
    /// propagation included), then each record's surrogates; output order = input order.
    pub fn pseudonymise_batch(&self, records: &[Record]) -> Vec<Result<PseudoOutput, Error>> {
        let spans = self.try_detect_batch(records);
        records
            .par_iter()
            .zip(spans)
            .map(|(r, s)| {
                let s = s?;
                contain(|| self.pseudonymise_spans(r, s))
                    .and_then(|x| x)
                    .map_err(|e| e.in_record(r.id.clone()))
            })
            .collect()
    }

    /// Detectors read a typographically normalised view (no-break and zero-width spaces,
    /// apostrophes, dashes, NFC), recased when the document is all lowercase (same byte
    /// offsets); spans are mapped back to the original text.
    fn detect_with(&self, text: &str, known: Option<&KnownIdentities>) -> Vec<Span> {
        let view = normalize(text);
        let recased = self.recaser.as_ref().and_then(|r| r.recase(view.text()));
        let norm = recased.as_deref().unwrap_or(view.text());
        let mut spans = Vec::new();
        for d in &self.detectors {
            d.detect(norm, &mut spans);
        }
        if let Some(k) = known {
            KnownDetector::new(k).detect(norm, &mut spans);
        }
        spans.retain(|s| is_well_formed(norm, s));
        self.safelist.filter(norm, &mut spans);
        fuse(&mut spans, &self.config.ner_policy);
        resolve_in_place(&mut spans);
        join_hyphenated_names(norm, &mut spans);
        view.spans_to_original(&mut spans);
        spans
    }

    /// Detect then pseudonymise one record. The scope is the record's patient
    /// (`meta.patient_id` or a top-level `patient_id`) when present, else the document.
    /// A failure on this record (a panic included) is contained and returned as an error
    /// naming the record, never its text.
    pub fn pseudonymise_record(&self, record: &Record) -> Result<PseudoOutput, Error> {
        contain(|| {
            let spans = self.detect_record(record);
            self.pseudonymise_spans(record, spans)
        })
        .and_then(|r| r)
        .map_err(|e| e.in_record(record.id.clone()))
    }

    /// The record's other fields (`meta`, `patient_id`, …) as pseudonymised output may carry
    /// them: identity fields dropped or pseudonymised per [`Config::identity_fields`].
    pub fn output_fields(&self, record: &Record) -> Result<Map<String, Value>, Error> {
        let p = self.pseudonymiser()?;
        let patient = patient_id(record);
        let rewriter = FieldRewriter {
            policy: &self.config.identity_fields,
            pseudonymiser: p,
            scope: Scope {
                document_id: &record.id,
                patient_id: patient.as_deref(),
            },
        };
        contain(|| rewriter.rewrite(&record.extra)).map_err(|e| e.in_record(record.id.clone()))
    }

    fn pseudonymiser(&self) -> Result<&Pseudonymiser, Error> {
        self.pseudonymiser.as_ref().ok_or_else(|| {
            Error::new(ErrorKind::Config(
                "pseudonymisation needs a key: build the pipeline with Pipeline::with_key".into(),
            ))
        })
    }

    /// Pseudonymise a record with spans already detected (e.g. gold spans or another system's).
    pub fn pseudonymise_spans(
        &self,
        record: &Record,
        spans: Vec<Span>,
    ) -> Result<PseudoOutput, Error> {
        let p = self.pseudonymiser()?;
        let patient = patient_id(record);
        let scope = Scope {
            document_id: &record.id,
            patient_id: patient.as_deref(),
        };
        let Pseudonymised { text, replacements } = p.pseudonymise(&record.text, &spans, &scope);
        Ok(PseudoOutput {
            text,
            spans,
            replacements,
        })
    }
}

/// Every enabled detector, in pipeline order (rules, gazetteer, NER).
fn build_detectors(
    config: &Config,
    root: &Path,
    lists: &Lists,
) -> Result<Vec<Box<dyn Detector>>, Error> {
    let mut detectors: Vec<Box<dyn Detector>> = Vec::new();
    if config.use_rules {
        detectors.push(Box::new(Rules::new(&config.rules)?));
    }
    if config.use_gazetteer {
        detectors.push(Box::new(GazetteerDetector::new(lists, &config.gazetteer)?));
    }
    if config.use_ner {
        let dir = config
            .ner
            .model_dir
            .clone()
            .unwrap_or_else(|| resources::model_dir(root));
        let model = NerModel::load_with(&dir, &config.ner)?;
        detectors.push(Box::new(GatedNer {
            model,
            policy: config.ner_policy.clone(),
            stop: StopWords {
                eponyms: lists.eponyms.iter().map(|e| fold_key(e)).collect(),
                function_words: lists.function_words.iter().map(|e| fold_key(e)).collect(),
            },
        }));
    }
    Ok(detectors)
}

/// The NER model behind the [`NerPolicy`]'s label filter and a plausibility check of the
/// surface (see [`plausible_ner_span`]); thresholds and weights are applied by the fusion.
struct GatedNer {
    model: NerModel,
    policy: NerPolicy,
    stop: StopWords,
}

/// Folded words that are never a lone name or place: eponyms (`parkinson`) and function
/// words and salutations (`nous`, `madame`: `gazetteers/lexicons/mots_outils.tsv`).
struct StopWords {
    eponyms: BTreeSet<String>,
    function_words: BTreeSet<String>,
}

/// Words saying that a phrase names an establishment.
static SITE_KIND_WORDS: voile_core::lexicon::Lexicon =
    voile_core::lexicon::Lexicon::new(include_str!("../../../gazetteers/lexicons/sites_types.tsv"));

/// Establishment words that name no particular place on their own (`Centre Hospitalier`).
static GENERIC_SITE_WORDS: voile_core::lexicon::Lexicon = voile_core::lexicon::Lexicon::new(
    include_str!("../../../gazetteers/lexicons/sites_generiques.tsv"),
);

/// A NER span is kept only if its surface can be what its label says: names and places
/// start with a capital and are not a lone function word, acronym or eponym; an
/// establishment names something beyond generic words. The model has no such prior and,
/// trained on synthetic text, sometimes tags headings and field labels.
fn plausible_ner_span(text: &str, s: &Span, stop: &StopWords) -> bool {
    let surface = &text[s.range()];
    let words: Vec<String> = surface
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold_key)
        .collect();
    match s.label {
        Label::Nom | Label::Prenom | Label::Ville => {
            let capital = surface.chars().next().is_some_and(char::is_uppercase);
            let lone = words.len() == 1;
            let letters = surface.chars().filter(|c| c.is_alphabetic()).count();
            let acronym = lone
                && letters <= 3
                && surface.chars().all(|c| !c.is_lowercase())
                && !surface.ends_with('.');
            capital
                && letters >= 2
                && !acronym
                && !(lone
                    && (stop.function_words.contains(&words[0])
                        || stop.eponyms.contains(&words[0])))
        }
        // An establishment names its kind (`Clinique`, `CH`, `Institut`…) and something more;
        // without a kind word the model was seen tagging the line after a hospital header.
        Label::Hopital => {
            words.iter().any(|w| SITE_KIND_WORDS.contains(&w.as_str()))
                && words
                    .iter()
                    .any(|w| !GENERIC_SITE_WORDS.contains(&w.as_str()))
        }
        // Structured labels: at least two letters or digits (never a dot leader or a dash),
        // and a digit where the label is a number.
        Label::Zip | Label::Secu | Label::Ipp | Label::Nda | Label::Id => {
            alphanumerics(surface) >= 2 && surface.chars().any(|c| c.is_ascii_digit())
        }
        _ => alphanumerics(surface) >= 2,
    }
}

fn alphanumerics(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphanumeric()).count()
}

impl Detector for GatedNer {
    fn name(&self) -> &str {
        self.model.name()
    }

    fn detect(&self, text: &str, out: &mut Vec<Span>) {
        let from = out.len();
        self.model.detect(text, out);
        // Thresholds, weights and agreement are the fusion's job; here only what the
        // surface itself rules out. `retain` keeps the model's order (determinism).
        let mut index = 0;
        out.retain(|s| {
            let keep = index < from
                || (self.policy.proposes(s.label) && plausible_ner_span(text, s, &self.stop));
            index += 1;
            keep
        });
    }
}

/// A detector with its stage name.
pub type NamedDetector = (String, Box<dyn Detector>);

/// The enabled detectors on their own, by name, for per-stage measurement (`voile bench`).
pub fn stage_detectors(config: &Config) -> Result<Vec<NamedDetector>, Error> {
    let root = resources::root(config.resources.as_deref());
    let lists = Lists::load(&resources::gazetteers_dir(&root))?;
    Ok(build_detectors(config, &root, &lists)?
        .into_iter()
        .map(|d| (d.name().to_string(), d))
        .collect())
}

/// The patient identifier of a record, from `meta.patient_id` or a top-level `patient_id`.
pub(crate) fn patient_id(record: &Record) -> Option<String> {
    let value = record
        .meta()
        .and_then(|m| m.get("patient_id"))
        .or_else(|| record.extra.get("patient_id"))?;
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Defensive check on detector output: in range, on char boundaries, not across a line break.
fn is_well_formed(text: &str, s: &Span) -> bool {
    s.start < s.end
        && s.end <= text.len()
        && text.is_char_boundary(s.start)
        && text.is_char_boundary(s.end)
        && !text[s.start..s.end].contains('\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str, surface: &str, label: Label) -> bool {
        let start = text.find(surface).unwrap();
        let span = Span::new(start, start + surface.len(), label, "ner", 0.99);
        let stop = StopWords {
            eponyms: ["scheltens".to_string()].into(),
            function_words: ["le", "dn", "madame"].map(String::from).into(),
        };
        plausible_ner_span(text, &span, &stop)
    }

    #[test]
    fn ner_spans_must_look_like_their_label() {
        assert!(ok("vu par Camille ce jour", "Camille", Label::Prenom));
        assert!(ok("originaire de Nancy", "Nancy", Label::Ville));
        assert!(ok(
            "transféré au Centre hospitalier de Vienne",
            "Centre hospitalier de Vienne",
            Label::Hopital
        ));
        assert!(!ok(
            "Avis Dr Martin, angiologue : ok",
            "angiologue",
            Label::Nom
        ));
        assert!(!ok("Le médecin", "Le", Label::Nom));
        assert!(!ok("Patient X | DN : 02/04", "DN", Label::Prenom));
        assert!(!ok("atrophie Scheltens 3", "Scheltens", Label::Ville));
        assert!(!ok("MADAME O. B.", "MADAME", Label::Nom));
        assert!(!ok(
            "Centre Hospitalier – Urgences",
            "Centre Hospitalier",
            Label::Hopital
        ));
        assert!(!ok(
            "Ostéodensitométrie (DXA)",
            "Ostéodensitométrie",
            Label::Hopital
        ));
        assert!(!ok("CHUTE DANS LA CHAMBRE", "CHUTE DANS", Label::Hopital));
        assert!(ok("12 rue des Lilas", "12 rue des Lilas", Label::Adresse));
        // Regression: dot leaders and dashes proposed as dates or ids, then propagated.
        assert!(!ok(
            "Date naissance ........ 29/10",
            "........",
            Label::DateNaissance
        ));
        assert!(!ok("psychologue) – 11-06", "–", Label::Date));
        assert!(!ok("ECH-2019-201990 | 5. Rendu", "5", Label::Id));
        assert!(!ok("Patient n° ABC", "ABC", Label::Ipp));
        assert!(ok("le onze juin", "onze juin", Label::Date));
    }

    #[test]
    fn malformed_detector_spans_are_dropped() {
        let text = "Jean\nDUPONT é";
        assert!(!is_well_formed(
            text,
            &Span::new(0, 11, Label::Nom, "t", 1.0)
        ));
        assert!(!is_well_formed(
            text,
            &Span::new(12, 13, Label::Nom, "t", 1.0)
        ));
        assert!(!is_well_formed(
            text,
            &Span::new(5, 40, Label::Nom, "t", 1.0)
        ));
        assert!(is_well_formed(
            text,
            &Span::new(5, 11, Label::Nom, "t", 1.0)
        ));
    }

    #[test]
    fn patient_id_comes_from_meta_or_top_level() {
        let mut r = Record::new("d", "x");
        assert_eq!(patient_id(&r), None);
        r.extra.insert("patient_id".into(), serde_json::json!(42));
        assert_eq!(patient_id(&r).as_deref(), Some("42"));
        r.extra
            .insert("meta".into(), serde_json::json!({"patient_id": "p7"}));
        assert_eq!(patient_id(&r).as_deref(), Some("p7"));
    }
}
