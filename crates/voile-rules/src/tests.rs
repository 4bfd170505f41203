//! Table-driven tests: each case is a text and the exact resolved spans `(label, surface)`.
//! Surfaces are taken as `&text[span.range()]`, so every case is also an offsets test.

use super::*;
use std::sync::OnceLock;
use voile_core::{resolve, Label};
use Label::*;

fn rules() -> &'static Rules {
    static R: OnceLock<Rules> = OnceLock::new();
    R.get_or_init(|| Rules::new(&RulesConfig::default()).expect("rules compile"))
}

fn run(text: &str) -> Vec<(Label, String)> {
    let mut out = Vec::new();
    rules().detect(text, &mut out);
    for s in &out {
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "span off char boundary"
        );
        assert!(
            !text[s.range()].contains('\n'),
            "span crosses a line break at {}..{}",
            s.start,
            s.end
        );
        assert!((0.0..=1.0).contains(&s.score));
    }
    resolve(out)
        .into_iter()
        .map(|s| (s.label, text[s.range()].to_string()))
        .collect()
}

macro_rules! t {
    ($name:ident, $text:expr, [$(($label:expr, $surface:expr)),* $(,)?]) => {
        #[test]
        fn $name() {
            let expected: Vec<(Label, String)> = vec![$(($label, $surface.to_string())),*];
            assert_eq!(run($text), expected);
        }
    };
}

// ---- DATE ----
t!(
    date_slash,
    "Vu en consultation le 12/03/2021.",
    [(Date, "12/03/2021")]
);
t!(
    date_dots_short,
    "Examen du 12.03.21 normal.",
    [(Date, "12.03.21")]
);
t!(
    date_iso,
    "Prélèvement 2021-03-12 à 8h.",
    [(Date, "2021-03-12")]
);
t!(date_dashes, "Entrée: 12-03-2021", [(Date, "12-03-2021")]);
t!(
    date_spaced_slashes,
    "Date de l'examen : 14 / 08 / 2000, revu en 07 / 2001",
    [(Date, "14 / 08 / 2000"), (Date, "07 / 2001")]
);
t!(
    date_compact_after_cue,
    "Date de prélèvement : 23112009\nDemande LAB-8283727, né le 19600201",
    [
        (Date, "23112009"),
        (Id, "LAB-8283727"),
        (DateNaissance, "19600201")
    ]
);
t!(
    neg_compact_without_cue,
    "Dossier 23112009",
    [(Id, "23112009")]
);
t!(
    neg_spaced_ratios,
    "TA 12 / 8, EVA 6 / 10, 1 - 0 - 1, 12 /08/2000",
    []
);
t!(date_short_year, "revu le 1/3/21 en HDJ", [(Date, "1/3/21")]);
t!(
    date_text_full,
    "Hospitalisé le 3 mars 2021 pour dyspnée.",
    [(Date, "3 mars 2021")]
);
t!(date_abbrev, "CR du 3 fév. 2021", [(Date, "3 fév. 2021")]);
t!(
    date_upper,
    "COMPTE RENDU DU 03 MARS 2021",
    [(Date, "03 MARS 2021")]
);
t!(
    date_weekday,
    "Sortie prévue mardi 9 avril.",
    [(Date, "mardi 9 avril")]
);
t!(
    date_premier,
    "Rendez-vous le 1er mars.",
    [(Date, "1er mars")]
);
t!(
    date_month_year,
    "Diagnostic posé en mars 2021.",
    [(Date, "mars 2021")]
);
t!(
    date_num_month_year,
    "Dernière mammographie 03/2021.",
    [(Date, "03/2021")]
);
t!(
    date_month_alone,
    "Il a été opéré en novembre.",
    [(Date, "novembre")]
);
t!(
    date_month_debut,
    "Bilan prévu début mars.",
    [(Date, "mars")]
);
t!(
    date_no_accent,
    "le 12 fevrier 2020 et le 15 aout 2020",
    [(Date, "12 fevrier 2020"), (Date, "15 aout 2020")]
);
t!(
    date_year_cues,
    "Cholécystectomie en 2015, suivi depuis 2019, opéré en 1998 (2012).",
    [
        (Date, "2015"),
        (Date, "2019"),
        (Date, "1998"),
        (Date, "2012")
    ]
);
t!(
    date_history_line,
    "2015 : appendicectomie\n- 2018 : PTH droite",
    [(Date, "2015"), (Date, "2018")]
);
t!(
    date_spelled,
    "le deux janvier mille neuf cent soixante-dix-huit",
    [(Date, "deux janvier mille neuf cent soixante-dix-huit")]
);
t!(
    date_spelled_2020,
    "le premier mars deux mille vingt",
    [(Date, "premier mars deux mille vingt")]
);
t!(
    date_time_outside,
    "le 12/03/2024 à 14h30",
    [(Date, "12/03/2024")]
);
t!(
    date_day_month_cue,
    "Revu le 12/03 en consultation.",
    [(Date, "12/03")]
);
t!(
    date_range,
    "hospitalisé du 3 au 15 mars 2021",
    [(Date, "3"), (Date, "15 mars 2021")]
);
t!(
    date_between_years,
    "entre 2010 et 2012",
    [(Date, "2010"), (Date, "2012")]
);

// ---- DATE negatives ----
t!(neg_ta, "TA 13/8, PA 120/80 mmHg, EVA 6/10, 2/3 des cas", []);
t!(neg_apgar, "Apgar 9/10/10", []);
t!(neg_posology, "Kardegic 75 mg 1-0-1, 2.5 mg le soir", []);
t!(
    neg_relative,
    "J+12, J3, à 14h30 ou 14:30, SA 38+4, G2P1",
    []
);
t!(neg_scores, "NYHA 2/4, score 3/5, version 1.2.3", []);
t!(neg_criteria, "Critères EULAR/ACR 2019 remplis.", []);
t!(neg_invalid_calendar, "valeur 31/02/2021 et 45/13/2020", []);
t!(neg_bare_year_no_cue, "Dosage 2015 UI/L", []);
t!(neg_month_word, "La maison est marsupiale; il mai", []);
t!(neg_age, "Patient âgé de 75 ans, 2 ans auparavant", []);

// ---- DATE_NAISSANCE ----
t!(
    ddn_ne_le,
    "Monsieur X, né le 12/04/1957, est suivi",
    [(DateNaissance, "12/04/1957")]
);
t!(
    ddn_field,
    "DDN : 12/04/1957",
    [(DateNaissance, "12/04/1957")]
);
t!(
    ddn_dots,
    "D.D.N. 03.02.1950",
    [(DateNaissance, "03.02.1950")]
);
t!(
    ddn_nee_text,
    "née le 3 mars 1956 à Lyon",
    [(DateNaissance, "3 mars 1956")]
);
t!(
    ddn_ne_e,
    "Né(e) le : 01/01/1980",
    [(DateNaissance, "01/01/1980")]
);
t!(
    ddn_full_field,
    "Date de naissance : 14/07/1944",
    [(DateNaissance, "14/07/1944")]
);
t!(
    ddn_abbr,
    "Date de naiss. 14/07/1944",
    [(DateNaissance, "14/07/1944")]
);
t!(
    ddn_year,
    "Patiente née en 1956, mariée.",
    [(DateNaissance, "1956")]
);
t!(
    ddn_upper,
    "NE LE 12/04/1957",
    [(DateNaissance, "12/04/1957")]
);
t!(
    ddn_ne_a,
    "né à Lyon le 12/04/1957",
    [(DateNaissance, "12/04/1957")]
);

// ---- TEL ----
t!(
    tel_spaced,
    "Tél : 01 23 45 67 89",
    [(Tel, "01 23 45 67 89")]
);
t!(
    tel_dots,
    "joignable au 06.12.34.56.78",
    [(Tel, "06.12.34.56.78")]
);
t!(tel_dashes, "02-40-08-33-33", [(Tel, "02-40-08-33-33")]);
t!(tel_compact, "Portable 0612345678", [(Tel, "0612345678")]);
t!(
    tel_intl,
    "+33 1 23 45 67 89 ou +33 (0)1 23 45 67 89",
    [(Tel, "+33 1 23 45 67 89"), (Tel, "+33 (0)1 23 45 67 89")]
);
t!(
    tel_0033,
    "0033 6 12 34 56 78",
    [(Tel, "0033 6 12 34 56 78")]
);
t!(
    tel_fax,
    "Fax. 02 40 08 33 34 - Secrétariat : 02 40 08 33 35",
    [(Tel, "02 40 08 33 34"), (Tel, "02 40 08 33 35")]
);
t!(neg_tel_long_run, "Lot 012345678901234", []);

// ---- MAIL ----
t!(
    mail_basic,
    "Contact : jean.dupont@chu-nantes.fr.",
    [(Mail, "jean.dupont@chu-nantes.fr")]
);
t!(
    mail_aphp,
    "secretariat.cardio@aphp.fr",
    [(Mail, "secretariat.cardio@aphp.fr")]
);
t!(
    mail_sub,
    "m-l.martin_2@med.univ-lyon1.fr",
    [(Mail, "m-l.martin_2@med.univ-lyon1.fr")]
);

// ---- SECU ----
t!(
    nir_spaced_valid,
    "1 85 05 78 006 084 91",
    [(Secu, "1 85 05 78 006 084 91")]
);
t!(
    nir_compact_valid,
    "185057800608491",
    [(Secu, "185057800608491")]
);
t!(
    nir_corsica,
    "NIR : 2 69 11 2A 123 456 87",
    [(Secu, "2 69 11 2A 123 456 87")]
);
t!(
    nir_bad_key_cue,
    "N° SS : 1 85 05 78 006 084 99",
    [(Secu, "1 85 05 78 006 084 99")]
);
t!(
    nir_13_cue,
    "n° de sécurité sociale 1850578006084",
    [(Secu, "1850578006084")]
);
t!(neg_nir_13_no_cue, "valeur 1850578006084", []);
t!(neg_nir_bad_month, "code 185157800608491", []);

// ---- IPP / NDA / ID ----
t!(ipp_basic, "IPP : 8001234567", [(Ipp, "8001234567")]);
t!(ipp_no, "N° patient: 00123456", [(Ipp, "00123456")]);
t!(
    ipp_dossier,
    "Numéro de dossier : 2019-004512",
    [(Ipp, "2019-004512")]
);
t!(
    ipp_upper,
    "N° DOSSIER PATIENT 123456789",
    [(Ipp, "123456789")]
);
t!(nda_basic, "NDA: 21004567", [(Nda, "21004567")]);
t!(
    nda_sejour,
    "N° de séjour : 2100456789",
    [(Nda, "2100456789")]
);
t!(nda_no_accent, "No sejour 123456", [(Nda, "123456")]);
t!(nda_venue, "N° venue #77889900", [(Nda, "77889900")]);
t!(id_rpps, "RPPS : 10101234564", [(Id, "10101234564")]);
t!(id_finess, "FINESS 750712184", [(Id, "750712184")]);
t!(
    id_sample,
    "N° échantillon : B21-004567",
    [(Id, "B21-004567")]
);
t!(id_block, "Bloc n° 21H01234-A3", [(Id, "21H01234-A3")]);
t!(
    id_iban,
    "IBAN FR14 2004 1010 0505 0001 3M02 606",
    [(Id, "FR14 2004 1010 0505 0001 3M02 606")]
);
t!(
    neg_id_no_digits,
    "Bloc opératoire, tube digestif, Réf : JD/MC",
    []
);
t!(
    neg_id_date,
    "Prélèvement : 12/03/2021",
    [(Date, "12/03/2021")]
);

// ---- ZIP / ADRESSE ----
t!(
    addr_line,
    "12 rue des Lilas, 75012 Paris",
    [
        (Adresse, "12 rue des Lilas"),
        (Zip, "75012"),
        (Ville, "Paris")
    ]
);
t!(
    addr_cedex,
    "44093 NANTES CEDEX 1",
    [(Zip, "44093"), (Ville, "NANTES")]
);
t!(
    addr_bis,
    "3 bis avenue du Général de Gaulle 69003 Lyon",
    [
        (Adresse, "3 bis avenue du Général de Gaulle"),
        (Zip, "69003"),
        (Ville, "Lyon")
    ]
);
t!(
    addr_bp,
    "BP 123 - 75012 Paris",
    [(Adresse, "BP 123"), (Zip, "75012"), (Ville, "Paris")]
);
t!(
    addr_building,
    "Bât. B, 3 allée des Pins",
    [(Adresse, "Bât. B, 3 allée des Pins")]
);
t!(
    addr_residence,
    "Résidence Les Pins, Bât. B",
    [(Adresse, "Résidence Les Pins, Bât. B")]
);
t!(
    addr_lieudit,
    "Lieu-dit La Croix",
    [(Adresse, "Lieu-dit La Croix")]
);
t!(
    addr_dash,
    "14 rue X – BP 77908",
    [(Adresse, "14 rue X"), (Adresse, "BP 77908")]
);
t!(
    addr_upper,
    "12 RUE DE LA REPUBLIQUE 13001 MARSEILLE",
    [
        (Adresse, "12 RUE DE LA REPUBLIQUE"),
        (Zip, "13001"),
        (Ville, "MARSEILLE")
    ]
);
t!(
    addr_prose,
    "Il habite au 12 rue des lilas avec sa femme.",
    [(Adresse, "12 rue des lilas")]
);
t!(
    addr_stops_before_city,
    "domiciliée 128 rue des Roses à PARIS. Vue le 3 mars.",
    [(Adresse, "128 rue des Roses"), (Date, "3 mars")]
);
t!(
    addr_stops_before_city_capital_a,
    "34 AVENUE BIEN-AIME MARTIN À ARZANO",
    [(Adresse, "34 AVENUE BIEN-AIME MARTIN")]
);
t!(
    id_codes_without_cue,
    "Échantillons associés : ADN BB-5775-439 (père), ADN 97M690895 (mère)\nRéseau : AN2022074434",
    [(Id, "BB-5775-439"), (Id, "97M690895"), (Id, "AN2022074434")]
);
t!(
    id_bare_number_cue,
    "Registre français de la mucoviscidose : n° 751780041\nN° d'affaire SAMU : T14-34994",
    [(Id, "751780041"), (Id, "T14-34994")]
);
t!(
    neg_genomic_and_lab_codes,
    "Variant c.1521_1523del (NM_000492.3), rs113993960, chr7:117559590, LOINC 6690-2, BRCA2, 1500000 copies/mL, lot 2021-03",
    []
);
t!(
    addr_short_types,
    "24 R DE L'ABBAYE, 35500 Vitré\n36 avn de la Mairie\n31, quartier Philippe Rossignol",
    [
        (Adresse, "24 R DE L'ABBAYE"),
        (Zip, "35500"),
        (Ville, "Vitré"),
        (Adresse, "36 avn de la Mairie"),
        (Adresse, "31, quartier Philippe Rossignol")
    ]
);
t!(
    phone_slashes,
    "Tél. urgences : 02/37/84/20/87, le 01/10/2012 34 patients",
    [(Tel, "02/37/84/20/87"), (Date, "01/10/2012")]
);
t!(
    name_relatives_and_roles,
    "– Mère : K. Debruyne, née en 1931\n– Frère : Jean, né en 1927\n– Sœur : Enak\nAide : LARGY (interne)\nRésultats validés le 31/08/2008 par N. NAVECH, biologiste.",
    [
        (Prenom, "K."),
        (Nom, "Debruyne"),
        (DateNaissance, "1931"),
        (Prenom, "Jean"),
        (DateNaissance, "1927"),
        (Prenom, "Enak"),
        (Nom, "LARGY"),
        (Date, "31/08/2008"),
        (Prenom, "N."),
        (Nom, "NAVECH")
    ]
);
t!(
    name_after_initial_without_cue,
    "Poursuivre la kinésithérapie avec F. Rolland à Paris. Vérifiée par A. BARDOT\nIDE : J.-P. Martin",
    [
        (Prenom, "F."),
        (Nom, "Rolland"),
        (Prenom, "A."),
        (Nom, "BARDOT"),
        (Prenom, "J.-P."),
        (Nom, "Martin")
    ]
);
t!(
    name_after_kinship,
    "Vue avec sa fille Brigitte. Contexte : père (Hermès, né en 2007). SON FRÈRE JEAN HABITE LOIN.",
    [
        (Prenom, "Brigitte"),
        (Prenom, "Hermès"),
        (DateNaissance, "2007"),
        (Prenom, "JEAN")
    ]
);
t!(
    neg_initials_and_kin_without_names,
    "Culture à S. aureus, E. coli. Sa fille est venue. M. Dupont va bien. Glycémie 1,12 g/L. PA 165/90. DIFFU-K. Diabète\nACCÈS PALUSTRE À P. FALCIPARUM",
    [(Nom, "Dupont")]
);
t!(
    neg_par_without_initial,
    "Traité par Kardegic. Suivi par le service.",
    []
);
t!(
    neg_zip_lab,
    "Plaquettes 15000 /mm3, leucocytes à 12000, 45000 UI",
    []
);
t!(
    neg_cours,
    "Il a reçu 2 cours de chimiothérapie et 1 voie veineuse.",
    []
);

// ---- NAMES ----
t!(
    plural_title_heads_a_list_of_names,
    "Drs GARNIER, OKAFOR-LINDQVIST, NAKAMURA et Pellegrin\nCabinet de radiologie",
    [
        (Nom, "GARNIER"),
        (Nom, "OKAFOR-LINDQVIST"),
        (Nom, "NAKAMURA"),
        (Nom, "Pellegrin")
    ]
);
t!(
    form_fields_with_dot_leaders_wide_gaps_and_ocr_labels,
    "Nom de naissance . . . . . MBAPPE-KOFFI\n norn  KOWALCZYK         prenorn  Wiesława\n",
    [
        (Nom, "MBAPPE-KOFFI"),
        (Nom, "KOWALCZYK"),
        (Prenom, "Wiesława")
    ]
);
t!(
    field_words_in_prose_with_wide_gaps_stay_quiet,
    "le nom  est inconnu, prénom  à vérifier\nSignature du patient      Signature du médecin",
    []
);
t!(
    plural_title_list_stops_at_a_lowercase_item,
    "Docteurs Moreau et associés, cabinet médical",
    [(Nom, "Moreau")]
);
t!(
    name_dr_full,
    "Dr Jean DUPONT",
    [(Prenom, "Jean"), (Nom, "DUPONT")]
);
t!(
    name_reverse,
    "Patient : DUPONT Jean, né le 12/03/1950",
    [
        (Nom, "DUPONT"),
        (Prenom, "Jean"),
        (DateNaissance, "12/03/1950")
    ]
);
t!(
    name_cap_cap,
    "Dr Jean Dupont a vu la patiente.",
    [(Prenom, "Jean"), (Nom, "Dupont")]
);
t!(
    name_single,
    "Dr Martin a vu la patiente.",
    [(Nom, "Martin")]
);
t!(
    name_initial,
    "Pr J.-P. DURAND",
    [(Prenom, "J.-P."), (Nom, "DURAND")]
);
t!(
    name_particle,
    "Mme de VILLIERS et M. N'DIAYE",
    [(Nom, "de VILLIERS"), (Nom, "N'DIAYE")]
);
t!(
    name_two,
    "Dr Martin et Dr Petit",
    [(Nom, "Martin"), (Nom, "Petit")]
);
t!(
    name_maiden,
    "Mme Marie DURAND épouse LEROY",
    [(Prenom, "Marie"), (Nom, "DURAND"), (Nom, "LEROY")]
);
t!(
    name_fields,
    "Nom : LEFEBVRE\nPrénom : Jean-Pierre",
    [(Nom, "LEFEBVRE"), (Prenom, "Jean-Pierre")]
);
t!(
    name_upper_line,
    "DR JEAN DUPONT ET DR PAUL MARTIN",
    [
        (Prenom, "JEAN"),
        (Nom, "DUPONT"),
        (Prenom, "PAUL"),
        (Nom, "MARTIN")
    ]
);
t!(
    name_le_floch,
    "Madame Marie Le Floch",
    [(Prenom, "Marie"), (Nom, "Le Floch")]
);
t!(
    neg_name_prose,
    "Le nom du médicament; la patiente a vu le médecin.",
    []
);

#[test]
fn config_round_trips_and_toggles() {
    let cfg: RulesConfig = serde_json::from_str(r#"{"dates": false}"#).unwrap();
    assert!(!cfg.dates && cfg.phones);
    let r = Rules::new(&cfg).unwrap();
    let mut out = Vec::new();
    r.detect("le 12/03/2021 au 01 23 45 67 89", &mut out);
    assert!(out.iter().all(|s| s.label != Date));
    assert!(out.iter().any(|s| s.label == Tel));
    let json = serde_json::to_string(&RulesConfig::default()).unwrap();
    assert_eq!(
        serde_json::from_str::<RulesConfig>(&json).unwrap(),
        RulesConfig::default()
    );
}

#[test]
fn rules_are_send_sync() {
    fn check<T: Send + Sync>() {}
    check::<Rules>();
    assert_eq!(rules().name(), "rules");
}

#[test]
fn birth_date_outranks_plain_date() {
    let mut out = Vec::new();
    rules().detect("née le 12/04/1957", &mut out);
    let date = out
        .iter()
        .find(|s| s.label == Date)
        .expect("date candidate");
    let birth = out
        .iter()
        .find(|s| s.label == DateNaissance)
        .expect("birth candidate");
    assert_eq!(date.range(), birth.range());
    assert!(birth.score > date.score);
}

#[test]
fn checksum_drives_nir_score() {
    let score = |t: &str| {
        let mut out = Vec::new();
        rules().detect(t, &mut out);
        out.iter()
            .filter(|s| s.label == Secu)
            .map(|s| s.score)
            .fold(0.0f32, f32::max)
    };
    assert!(score("185057800608491") >= 0.99);
    assert!(score("185057800608492") < 0.9);
    assert!(score("NIR 185057800608492") >= 0.85);
}

// ---- UPPERCASE and unaccented text ----
t!(
    upper_ddn,
    "NEE LE 3 FEVRIER 1960 A LYON",
    [(DateNaissance, "3 FEVRIER 1960")]
);
t!(
    upper_ids,
    "N° SEJOUR : 2300458712 - IPP : 00784512",
    [(Nda, "2300458712"), (Ipp, "00784512")]
);
t!(
    upper_month_year,
    "HOSPITALISATION EN DECEMBRE 2013 POUR AVC",
    [(Date, "DECEMBRE 2013")]
);
t!(
    upper_cedex,
    "CS 70001 - 49325 CHOLET CEDEX",
    [(Adresse, "CS 70001"), (Zip, "49325"), (Ville, "CHOLET")]
);
t!(
    no_accent_secu,
    "numero de securite sociale : 2 69 11 2A 123 456 87",
    [(Secu, "2 69 11 2A 123 456 87")]
);
t!(
    no_accent_date_naiss,
    "Date de naissance: 1er janvier 1950",
    [(DateNaissance, "1er janvier 1950")]
);
t!(
    no_accent_echantillon,
    "No echantillon : 23-BIO-0457",
    [(Id, "23-BIO-0457")]
);

// ---- more hard negatives ----
t!(
    neg_fraction_anatomy,
    "fracture du 1/3 moyen de la diaphyse",
    []
);
t!(neg_measure_triple, "masse mesurant 21/11/25 cm", []);
t!(neg_amount, "montant de 12500 euros, 45000 UI/L", []);
t!(
    neg_phone_in_nir,
    "1 85 05 78 006 084 91",
    [(Secu, "1 85 05 78 006 084 91")]
);
t!(
    neg_lab_table,
    "Leucocytes  7.45 G/L  (4.00-10.00)\nCRP  12.3 mg/L",
    []
);
t!(neg_gestity, "G2P1, SA 38+4, terme 39 SA, 3 800 g", []);
t!(
    name_initials_prose,
    "Mme B. A, âgée de 52 ans",
    [(Prenom, "B."), (Nom, "A")]
);
t!(
    name_sentence_start,
    "par Madame H. Un mois avant",
    [(Prenom, "H.")]
);

// ==== issue 12: forms of real documents ====

// ---- DATE: weekdays, exports, glued, messages, ranges, dictation, timestamps ----
t!(
    date_weekday_abbrev_numeric,
    "RDV mar. 3/09 à 10h, puis Jeudi 12/06/2025 et le lun 4/11",
    [
        (Date, "mar. 3/09"),
        (Date, "Jeudi 12/06/2025"),
        (Date, "lun 4/11")
    ]
);
t!(
    date_weekday_abbrev_textual,
    "Prochain contrôle ven. 3 sept. 2025",
    [(Date, "ven. 3 sept. 2025")]
);
t!(
    date_mail_header,
    "Date: Tue, 17 Jun 2025 08:40:12 +0200\nEnvoyé : lundi 16 juin 2025 17:02",
    [(Date, "Tue, 17 Jun 2025"), (Date, "lundi 16 juin 2025")]
);
t!(
    date_export_dashed,
    "Prélevé le 17-JUN-2025, validé 18-JUN-25, reçu 02-FEV-2024",
    [
        (Date, "17-JUN-2025"),
        (Date, "18-JUN-25"),
        (Date, "02-FEV-2024")
    ]
);
t!(
    date_us_order,
    "Sent: Jun 17, 2025 and Thu Feb 3, 2022",
    [(Date, "Jun 17, 2025"), (Date, "Thu Feb 3, 2022")]
);
t!(
    date_iso_time,
    "horodatage 2025-06-17T08:40:00Z ; export 2024-02-29T23:59",
    [(Date, "2025-06-17"), (Date, "2024-02-29")]
);
t!(
    date_timestamp_compact,
    "Horodatage 20250617084000, message 202406170930",
    [(Date, "20250617084000"), (Date, "202406170930")]
);
t!(
    date_glued,
    "vu le 12fev, opéré 14mar2019, suivi depuis janv2001, contrôle 3août22",
    [
        (Date, "12fev"),
        (Date, "14mar2019"),
        (Date, "janv2001"),
        (Date, "3août22")
    ]
);
t!(
    date_message_day_month,
    "ok pour le 3/09 ? sinon rdv 12/6 ou rendez-vous 15/10",
    [(Date, "3/09"), (Date, "12/6"), (Date, "15/10")]
);
t!(
    neg_day_month_fractions,
    "Kardegic 1/2 cp le soir, le 3/4 de la dose, score 3/10, EVA 7/10, le 1/3 inférieur",
    []
);
t!(
    date_year_range,
    "Tabagisme 1971-1985, vécu à Lyon (1990 – 2001).",
    [
        (Date, "1971"),
        (Date, "1985"),
        (Date, "1990"),
        (Date, "2001")
    ]
);
t!(
    neg_year_range_like,
    "LOINC 2019-2020x, réf. ECH-1971-1985, version 2010-2012",
    [(Id, "ECH-1971-1985")]
);
t!(
    date_day_range_text,
    "hospitalisée du 3 au 5 mars, puis du 1er au 4 avril 2024",
    [
        (Date, "3"),
        (Date, "5 mars"),
        (Date, "1er"),
        (Date, "4 avril 2024")
    ]
);
t!(
    date_history_list,
    "Antécédents :\n- 1998 : cholécystectomie\n* 2004 - fracture\n2011 : HTA",
    [(Date, "1998"), (Date, "2004"), (Date, "2011")]
);
t!(
    date_dictation,
    "vu le onze juin deux mille dix-huit puis le premier mars, le trente et un décembre deux mille vingt",
    [
        (Date, "onze juin deux mille dix-huit"),
        (Date, "premier mars"),
        (Date, "trente et un décembre deux mille vingt")
    ]
);
t!(
    date_irregular_spacing,
    "Examen du 12 / 03 /2021 et du 4/ 05 /2019",
    [(Date, "12 / 03 /2021"), (Date, "4/ 05 /2019")]
);
t!(
    date_ocr_month_rn,
    "Hospitalisé le 12 novernbre 2019, revu en septernbre.",
    [(Date, "12 novernbre 2019"), (Date, "septernbre")]
);
t!(
    neg_times_versions,
    "à 08:40, 14h30, v2.3.1, version 2019.1, logiciel 4.12",
    []
);

// ---- OCR noise and boxed / irregular digit chains ----
t!(
    ocr_birth_date,
    "Mme X, née le 3O/12/1946 à Lyon",
    [(DateNaissance, "3O/12/1946")]
);
t!(
    ocr_date_and_phone,
    "Vu le l2/O3/2O21. Tél : O6 12 34 56 78",
    [(Date, "l2/O3/2O21"), (Tel, "O6 12 34 56 78")]
);
t!(
    ocr_zip,
    "12 rue des Lilas, 75O12 Paris",
    [
        (Adresse, "12 rue des Lilas"),
        (Zip, "75O12"),
        (Ville, "Paris")
    ]
);
t!(
    ocr_nir,
    "NIR : 1 85 O5 78 OO6 O84 91",
    [(Secu, "1 85 O5 78 OO6 O84 91")]
);
t!(
    neg_ocr_words,
    "Vitamine B12 à 300, lésion S1, Olivier va bien, OK 2 fois",
    []
);
t!(
    boxed_nir,
    "N° SS : 2 6 9 1 1 7 5 1 2 3 4 5 6 8 2\nNIR |1|8|5|0|5|7|8|0|0|6|0|8|4|9|1|",
    [
        (Secu, "2 6 9 1 1 7 5 1 2 3 4 5 6 8 2"),
        (Secu, "1|8|5|0|5|7|8|0|0|6|0|8|4|9|1")
    ]
);
t!(
    nir_irregular_spacing,
    "matricule 185 05 78006 084 91, INS 2690 5751 2345 6 (sans clé)",
    [(Secu, "185 05 78006 084 91"), (Secu, "2690 5751 2345 6")]
);
t!(
    boxed_phone_and_date,
    "Tél 0 6 1 2 3 4 5 6 7 8\nDate de naissance : 3 0 / 1 2 / 1 9 4 6\nDDN |3|0|1|2|1|9|4|6|",
    [
        (Tel, "0 6 1 2 3 4 5 6 7 8"),
        (DateNaissance, "3 0 / 1 2 / 1 9 4 6"),
        (DateNaissance, "3|0|1|2|1|9|4|6")
    ]
);
t!(
    phone_irregular_groups,
    "Portable : 06 1234 5678, fixe 02.40.0 8.33.33",
    [(Tel, "06 1234 5678"), (Tel, "02.40.0 8.33.33")]
);
t!(
    date_stray_space,
    "Examen du 12/0 3/2021 et le 12 03 2021",
    [(Date, "12/0 3/2021"), (Date, "12 03 2021")]
);
t!(
    ddn_compact,
    "DDN : 30121946\nné le 01021960",
    [(DateNaissance, "30121946"), (DateNaissance, "01021960")]
);
t!(
    neg_digit_lists,
    "Scores 1 2 3 4 5 6 7 8 9 ; posologie 1 - 0 - 1 ; chambre 12 lit 3 ; Hb 12.3 11.8 10.9 ; 0 1 2 3 4 5 6 7 8 9",
    []
);

// ---- TEL: international, extensions, dictation ----
t!(
    tel_international_forms,
    "Tél. +33 (0)1 23 45 67 89 / (33) 1 23 45 67 89 / 0033 1 23 45 67 89 / (+33) 6 12 34 56 78",
    [
        (Tel, "+33 (0)1 23 45 67 89"),
        (Tel, "(33) 1 23 45 67 89"),
        (Tel, "0033 1 23 45 67 89"),
        (Tel, "(+33) 6 12 34 56 78")
    ]
);
t!(
    tel_extension,
    "Secrétariat 02 40 08 33 33 poste 4521 ; bip 61234 ; DECT : 4587 ; tél. 4521",
    [
        (Tel, "02 40 08 33 33"),
        (Tel, "4521"),
        (Tel, "61234"),
        (Tel, "4587"),
        (Tel, "4521")
    ]
);
t!(
    neg_short_numbers_without_cue,
    "Hb 4521, chambre 4521, lit 12, plaquettes 45210, poste de soins 3",
    []
);
t!(
    tel_spelled,
    "son numéro est le zéro six douze trente-quatre cinquante-six soixante-dix-huit, merci\nrappeler au zéro deux quarante zéro huit trente-trois quatre-vingt-onze.",
    [
        (Tel, "zéro six douze trente-quatre cinquante-six soixante-dix-huit"),
        (Tel, "zéro deux quarante zéro huit trente-trois quatre-vingt-onze")
    ]
);
t!(
    neg_spelled_numbers,
    "tolérance zéro, six mois plus tard, douze comprimés",
    []
);
t!(
    tel_run_together_and_dotted,
    "Tel:0240083333 fax 02.40.08.33.34 port. 06-12-34-56-78",
    [
        (Tel, "0240083333"),
        (Tel, "02.40.08.33.34"),
        (Tel, "06-12-34-56-78")
    ]
);

// ---- SECU: cues, NIA, wrong key ----
t!(
    nir_cue_variants,
    "n° d'identification : 1 85 05 78 006 084 91\nN° SS 185057800608491\nINS : 2 69 11 2A 123 456 87",
    [
        (Secu, "1 85 05 78 006 084 91"),
        (Secu, "185057800608491"),
        (Secu, "2 69 11 2A 123 456 87")
    ]
);
t!(
    nir_wrong_key_cued,
    "Matricule : 2 69 05 75 123 456 00",
    [(Secu, "2 69 05 75 123 456 00")]
);
t!(
    nir_nia_temporary,
    "NIA 7 50 01 99 123 456 12, NIR provisoire 8 12 03 99 001 002",
    [
        (Secu, "7 50 01 99 123 456 12"),
        (Secu, "8 12 03 99 001 002")
    ]
);

// ---- IPP / NDA / ID: cue variants, values, URLs ----
t!(
    ipp_cue_variants,
    "l'IPP étant 80012345 ; NIP : 4500123 ; IP : 778899 ; Patient n° 123456 ; n° d'identification du patient 5566778",
    [
        (Ipp, "80012345"),
        (Ipp, "4500123"),
        (Ipp, "778899"),
        (Ipp, "123456"),
        (Ipp, "5566778")
    ]
);
t!(
    ipp_values_with_letters,
    "IPP : A-2023-00451 ; N° patient PAT/12345 ; n° dossier 2019-004512",
    [
        (Ipp, "A-2023-00451"),
        (Ipp, "PAT/12345"),
        (Ipp, "2019-004512")
    ]
);
t!(
    nda_cue_variants,
    "Séjour : 2300458712 ; venue 77889900 ; visite n° 44556 ; Visite : V-2024-0012",
    [
        (Nda, "2300458712"),
        (Nda, "77889900"),
        (Nda, "44556"),
        (Nda, "V-2024-0012")
    ]
);
t!(
    neg_sejour_year,
    "séjour 2021 sans particularité, séjour du 12/03/2021, visite de contrôle",
    [(Date, "12/03/2021")]
);
t!(
    id_in_urls,
    "Lien : https://dpi.chu.fr/viewer?patientId=8812345&venue=7766554&exam_id=RX-99812\nvoir http://intranet/dossier/123456/cr.pdf",
    [
        (Id, "https://dpi.chu.fr/viewer?patientId=8812345&venue=7766554&exam_id=RX-99812"),
        (Id, "http://intranet/dossier/123456/cr.pdf")
    ]
);
t!(
    patient_urls_whole,
    "Résultats : https://resultats.bio-garonne.fr/d/240312-0457?k=7Hq2Lm.\n(voir www.pacs-capucins.fr/viewer?pid=4482917), recommandations https://www.has-sante.fr/upload/docs/2019-07/reco_2019.pdf et https://www.chu.fr/services/cardiologie",
    [
        (Id, "https://resultats.bio-garonne.fr/d/240312-0457?k=7Hq2Lm"),
        (Id, "www.pacs-capucins.fr/viewer?pid=4482917")
    ]
);
t!(
    id_samples,
    "bloc B23-04512, lame 23H04512-2, tube n° 7781234, n° d'accession : ACC2024-55123",
    [
        (Id, "B23-04512"),
        (Id, "23H04512-2"),
        (Id, "7781234"),
        (Id, "ACC2024-55123")
    ]
);
t!(
    id_letterhead,
    "Dr Jean MARTIN - RPPS 10101234564 - ADELI 751234567\nFINESS : 750 712 184",
    [
        (Prenom, "Jean"),
        (Nom, "MARTIN"),
        (Id, "10101234564"),
        (Id, "751234567"),
        (Id, "750 712 184")
    ]
);
t!(
    neg_medical_codes,
    "ORPHA:558, ORPHA 79318, CIM-10 : I21.4, E11.9, ATC C09AA05, OMIM 154700, HGVS v2.1, PMID 12345678",
    []
);
t!(
    neg_room_bed,
    "chambre 412, lit 2, box 7, salle 3, unité 12, étage 4, porte 218",
    []
);
t!(
    neg_doses_labs,
    "Lovenox 4000 UI/0,4 mL, créatinine 85 µmol/L, CRP 12 mg/L, plaquettes 250 G/L, Hb 13,2 g/dL, 1000 mg x 3/j",
    []
);

// ---- ADRESSE: number-less, complements, postal boxes, rural and overseas, dictation ----
t!(
    address_segment_with_article_before_postcode,
    "Née le 09/08/1975\nLa Grande Métairie – 49280 LA TESSOUALLE",
    [
        (DateNaissance, "09/08/1975"),
        (Adresse, "La Grande Métairie"),
        (Zip, "49280"),
        (Ville, "LA TESSOUALLE")
    ]
);
t!(
    address_segment_rural_and_overseas,
    "Domicile : Mas de la Carrière, route de Sommières, 34400 Saturargues\nDomicile : PK 32,5 côté montagne, 98727 Papara",
    [
        (Adresse, "Mas de la Carrière, route de Sommières"),
        (Zip, "34400"),
        (Ville, "Saturargues"),
        (Adresse, "PK 32,5 côté montagne"),
        (Zip, "98727"),
        (Ville, "Papara")
    ]
);
t!(
    address_segment_widens_a_street_inside_it,
    "Dr J. Pieri – Rés. Les Jardins de la Marana, bât. 2 – 20290 Lucciana",
    [
        (Prenom, "J."),
        (Nom, "Pieri"),
        (Adresse, "Rés. Les Jardins de la Marana, bât. 2"),
        (Zip, "20290"),
        (Ville, "Lucciana")
    ]
);
t!(
    address_segment_on_the_line_above,
    "Manoir de Trébréden, route de Pluherlin\n56220 ROCHEFORT-EN-TERRE",
    [
        (Adresse, "Manoir de Trébréden, route de Pluherlin"),
        (Zip, "56220"),
        (Ville, "ROCHEFORT-EN-TERRE")
    ]
);
t!(
    address_segment_not_an_establishment_or_a_person,
    "Centre hospitalier de Bastia – 20604 BASTIA\nDr Paul Martin, 75012 PARIS\nService de cardiologie\n33000 BORDEAUX",
    [
        (Zip, "20604"),
        (Ville, "BASTIA"),
        (Prenom, "Paul"),
        (Nom, "Martin"),
        (Zip, "75012"),
        (Ville, "PARIS"),
        (Zip, "33000"),
        (Ville, "BORDEAUX")
    ]
);
t!(
    addr_complements,
    "Résidence Les Tilleuls, bât. D, escalier 2, 4 allée des Pins\nCité des Fleurs, appt 12",
    [
        (
            Adresse,
            "Résidence Les Tilleuls, bât. D, escalier 2, 4 allée des Pins"
        ),
        (Adresse, "Cité des Fleurs, appt 12")
    ]
);
t!(
    addr_without_number,
    "Chemin des Vignes, 84000 Avignon\nRoute de Lyon\nelle habite rue Victor Hugo depuis 2010",
    [
        (Adresse, "Chemin des Vignes"),
        (Zip, "84000"),
        (Ville, "Avignon"),
        (Adresse, "Route de Lyon"),
        (Adresse, "rue Victor Hugo"),
        (Date, "2010")
    ]
);
t!(
    addr_postal_boxes,
    "CS 30001 - 44093 NANTES CEDEX 1\nTSA 10234, 75012 Paris",
    [
        (Adresse, "CS 30001"),
        (Zip, "44093"),
        (Ville, "NANTES"),
        (Adresse, "TSA 10234"),
        (Zip, "75012"),
        (Ville, "Paris")
    ]
);
t!(
    addr_rural_overseas,
    "Lieu-dit Les Granges, 19200 Ussel\nQuartier Bois Rouge, 97410 Saint-Pierre\nLotissement Les Hauts de Beauvallon, 97130 Capesterre",
    [
        (Adresse, "Lieu-dit Les Granges"),
        (Zip, "19200"),
        (Ville, "Ussel"),
        (Adresse, "Quartier Bois Rouge"),
        (Zip, "97410"),
        (Ville, "Saint-Pierre"),
        (Adresse, "Lotissement Les Hauts de Beauvallon"),
        (Zip, "97130"),
        (Ville, "Capesterre")
    ]
);
t!(
    addr_spelled_number,
    "la patiente habite douze rue des Lilas à Nantes, son fils vingt-deux avenue Jean Jaurès",
    [
        (Adresse, "douze rue des Lilas"),
        (Adresse, "vingt-deux avenue Jean Jaurès")
    ]
);
t!(
    addr_in_free_text,
    "Elle habite 6 rue de la Paix avec son mari.",
    [(Adresse, "6 rue de la Paix")]
);
t!(
    neg_street_words_in_prose,
    "mise en place de la sonde, voie d'abord, chemin clinique, route nationale, en cours de bilan, les deux rues",
    []
);
t!(
    addr_numbered_cite,
    "3 cité Jardin, 59000 Lille",
    [(Adresse, "3 cité Jardin"), (Zip, "59000"), (Ville, "Lille")]
);

// ---- robustness: multibyte text, long tokens, odd separators never panic ----
#[test]
fn never_panics_on_odd_input() {
    let long_digits = "1 ".repeat(5000);
    let long_ocr = "O1".repeat(4000);
    let long_word = "é".repeat(3000) + &"9".repeat(3000);
    let cases = [
        "né le 3O/12/1946é",
        "éé3Oé/1é2/19é46",
        "Tél : O6 12 34 56 78 — poste 4521€",
        "zéro six douze trente-quatre cinquante-six soixante-dix-huit",
        "zéro",
        "zéro six",
        "ZÉRO SIX DOUZE",
        "z",
        "|1|2|",
        "1|2|3|4|5|6|7|8|9|0|1|2|3|4|5|",
        "mar. ",
        ", 3/09",
        "Tue, 17 Jun 2025",
        "17-JUN-2025T",
        "2025-06-17T",
        "1971-",
        "–1971–1985–",
        "douze rue",
        "Chemin",
        "habite rue",
        "https://x/?patientId=",
        "?patientId=123😀",
        "novernbre",
        "rn",
        "0 6 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0",
        "日本語 12/03/2021 日本語 O6 12 34 56 78",
        &long_digits,
        &long_ocr,
        &long_word,
    ];
    for t in cases {
        let _ = run(t);
        // Every suffix and prefix on a char boundary, too.
        for (i, _) in t.char_indices().take(64) {
            let _ = run(&t[i..]);
            let _ = run(&t[..i]);
        }
    }
}
t!(
    neg_day_month_posology,
    "prendre le 1/2 comprimé le soir, le 1/4 cp à midi, le 2/3 des séances",
    []
);

#[test]
fn new_detectors_follow_the_config() {
    let labels = |cfg: &RulesConfig, t: &str| {
        let mut out = Vec::new();
        Rules::new(cfg).unwrap().detect(t, &mut out);
        out.into_iter().map(|s| s.label).collect::<Vec<_>>()
    };
    let t = "DDN |3|0|1|2|1|9|4|6| vu le 12fev, né le 3O/12/1946, Tue, 17 Jun 2025, 1971-1985";
    let no_dates = RulesConfig {
        dates: false,
        ..RulesConfig::default()
    };
    let got = labels(&no_dates, t);
    assert!(
        !got.iter().any(|l| matches!(l, Date | DateNaissance)),
        "{got:?}"
    );
    let t = "poste 4521, zéro six douze trente-quatre cinquante-six soixante-dix-huit, Tél 0 6 1 2 3 4 5 6 7 8, O6 12 34 56 78";
    let no_phones = RulesConfig {
        phones: false,
        ..RulesConfig::default()
    };
    assert!(!labels(&no_phones, t).contains(&Tel));
    assert!(labels(&RulesConfig::default(), t).contains(&Tel));
    let t = "N° SS : 2 6 9 1 1 7 5 1 2 3 4 5 6 8 2, NIR 1 85 O5 78 OO6 O84 91";
    let no_nir = RulesConfig {
        nir: false,
        ..RulesConfig::default()
    };
    assert!(!labels(&no_nir, t).contains(&Secu));
}
t!(
    ocr_in_ids_and_stray_year_space,
    "IPP : 8OO12345 ; examen du 12/03/20 21 ; 1S/O3/2O21",
    [
        (Ipp, "8OO12345"),
        (Date, "12/03/20 21"),
        (Date, "1S/O3/2O21")
    ]
);
