//! Hard negatives (`[[NEG:kind]]`): text that looks identifying but is not (eponyms, drugs,
//! genes, codes, lab values, scores, relative dates…). Never annotated.

use crate::gaz::Gazetteers;
use crate::rng::Rng;
use crate::template::NegKind;

const EPONYMS: [&str; 40] = [
    "maladie de Parkinson",
    "syndrome de Marfan",
    "signe de Babinski",
    "score de Glasgow",
    "maladie d'Alzheimer",
    "maladie de Crohn",
    "syndrome de Down",
    "maladie de Hodgkin",
    "syndrome de Guillain-Barré",
    "maladie de Basedow",
    "thyroïdite de Hashimoto",
    "syndrome de Cushing",
    "maladie d'Addison",
    "syndrome de Sjögren",
    "maladie de Horton",
    "signe de Murphy",
    "signe de Lasègue",
    "manœuvre de Valsalva",
    "classification de Child-Pugh",
    "score de Wells",
    "maladie de Charcot",
    "syndrome d'Ehlers-Danlos",
    "maladie de Wilson",
    "syndrome de Turner",
    "syndrome de Klinefelter",
    "maladie de Gaucher",
    "maladie de Fabry",
    "maladie de Pompe",
    "syndrome de Noonan",
    "syndrome de Rett",
    "maladie de Huntington",
    "myopathie de Duchenne",
    "ataxie de Friedreich",
    "syndrome de Lynch",
    "maladie de Kawasaki",
    "sonde de Foley",
    "test de Schirmer",
    "classification de Dukes",
    "score de Gleason",
    "maladie de Willebrand",
];
const EPONYM_HEADS: [&str; 6] = [
    "maladie de",
    "syndrome de",
    "signe de",
    "test de",
    "score de",
    "classification de",
];

const GENES: [&str; 30] = [
    "BRCA1", "BRCA2", "CFTR", "TP53", "KRAS", "EGFR", "MLH1", "MSH2", "FBN1", "DMD", "SMN1", "HTT",
    "NF1", "COL1A1", "PKD1", "PALB2", "ATM", "MECP2", "FMR1", "SCN1A", "GBA", "LRRK2", "APC",
    "PTEN", "RET", "VHL", "MYH7", "TTN", "COL4A5", "ABCA4",
];
const AMINO: [&str; 12] = [
    "Arg", "His", "Gly", "Ala", "Leu", "Pro", "Ser", "Thr", "Val", "Cys", "Trp", "Gln",
];
const BASES: [&str; 4] = ["A", "C", "G", "T"];

const SERVICES: [&str; 24] = [
    "cardiologie",
    "neurologie",
    "pneumologie",
    "gastro-entérologie",
    "néphrologie",
    "rhumatologie",
    "médecine interne",
    "chirurgie digestive",
    "chirurgie orthopédique",
    "gériatrie",
    "pédiatrie",
    "oncologie médicale",
    "hématologie",
    "réanimation médicale",
    "soins intensifs",
    "dermatologie",
    "endocrinologie",
    "génétique médicale",
    "urologie",
    "gynécologie-obstétrique",
    "psychiatrie",
    "maladies infectieuses",
    "ORL",
    "ophtalmologie",
];

fn eponyme(g: &Gazetteers, rng: &mut Rng) -> String {
    if !g.eponyms.is_empty() && rng.chance(450) {
        let e = rng.pick(&g.eponyms);
        if e.contains(' ') && e.starts_with(|c: char| c.is_lowercase()) {
            return e.clone();
        }
        let head = rng.pick(&EPONYM_HEADS);
        let elide = e.starts_with(['A', 'E', 'I', 'O', 'U', 'H', 'É']);
        return if elide {
            format!("{}d'{e}", head.trim_end_matches("de"))
        } else {
            format!("{head} {e}")
        };
    }
    rng.pick(&EPONYMS).to_string()
}

fn medicament(g: &Gazetteers, rng: &mut Rng) -> String {
    const BUILTIN: [&str; 12] = [
        "paracétamol",
        "KARDEGIC",
        "amoxicilline",
        "Lovenox",
        "métformine",
        "Doliprane",
        "bisoprolol",
        "ramipril",
        "lévothyroxine",
        "furosémide",
        "atorvastatine",
        "oméprazole",
    ];
    let drug = if !g.drugs.is_empty() && rng.chance(700) {
        rng.pick(&g.drugs).clone()
    } else {
        rng.pick(&BUILTIN).to_string()
    };
    match rng.below(6) {
        0 => format!(
            "{drug} {} mg",
            rng.pick(&[5, 10, 20, 40, 75, 100, 250, 500, 1000])
        ),
        1 => format!("{drug} {} g", rng.pick(&["1", "2", "0,5"])),
        2 => format!("{drug} {} mg/j", rng.pick(&[2, 5, 10, 50, 160])),
        3 => format!("{drug} {} µg", rng.pick(&[25, 50, 75, 100, 125])),
        4 => format!("{drug} {} UI", rng.pick(&[4000, 6000, 8000])),
        _ => drug,
    }
}

fn gene(rng: &mut Rng) -> String {
    let g = rng.pick(&GENES);
    let pos = rng.range(30, 9000);
    let v = match rng.below(6) {
        0 => format!("c.{pos}dup{}", rng.pick(&BASES)),
        1 => format!("c.{pos}{}>{}", rng.pick(&BASES), rng.pick(&BASES)),
        2 => format!("c.{pos}_{}del", pos + rng.range(1, 4)),
        3 => format!(
            "p.({}{}{})",
            rng.pick(&AMINO),
            rng.range(10, 2800),
            rng.pick(&AMINO)
        ),
        4 => format!(
            "c.{pos}{}>{} (p.{}{}{})",
            rng.pick(&BASES),
            rng.pick(&BASES),
            rng.pick(&AMINO),
            pos / 3,
            rng.pick(&AMINO)
        ),
        _ => format!("exon {} délété", rng.range(1, 60)),
    };
    if rng.chance(150) {
        format!(
            "{g} (NM_{:06}.{}):{v}",
            rng.range(1000, 999_999),
            rng.range(1, 9)
        )
    } else {
        format!("{g} {v}")
    }
}

fn code(rng: &mut Rng) -> String {
    let letter = char::from(b'A' + rng.below(26) as u8);
    match rng.below(7) {
        0 => format!("ORPHA:{}", rng.range(5, 600_000)),
        1 => format!("ORPHA {}", rng.range(5, 600_000)),
        2 => format!("OMIM {}", rng.range(100_000, 619_999)),
        3 => format!("OMIM #{}", rng.range(100_000, 619_999)),
        4 => format!("HP:{:07}", rng.range(1, 3_000_000)),
        5 => format!("CIM-10 {letter}{:02}.{}", rng.range(0, 99), rng.range(0, 9)),
        _ => format!("{letter}{:02}.{}", rng.range(0, 99), rng.range(0, 9)),
    }
}

fn bio(rng: &mut Rng) -> String {
    let dec =
        |rng: &mut Rng, lo: i64, hi: i64| format!("{},{}", rng.range(lo, hi), rng.range(0, 9));
    match rng.below(10) {
        0 => format!("Hb {} g/dL", dec(rng, 7, 17)),
        1 => format!("CRP {} mg/L", rng.range(1, 300)),
        2 => format!("créatinine {} µmol/L", rng.range(40, 600)),
        3 => format!("plaquettes {} G/L", rng.range(20, 600)),
        4 => format!("K+ {} mmol/L", dec(rng, 2, 6)),
        5 => format!("HbA1c {} %", dec(rng, 5, 12)),
        6 => format!("TSH {} mUI/L", dec(rng, 0, 9)),
        7 => format!("leucocytes {} G/L", dec(rng, 1, 25)),
        8 => format!("INR {}", dec(rng, 1, 4)),
        _ => format!("DFG {} mL/min/1,73m²", rng.range(10, 120)),
    }
}

fn score(rng: &mut Rng) -> String {
    match rng.below(11) {
        0 => format!("EVA {}/10", rng.range(0, 10)),
        1 => format!("Apgar {}/{}/10", rng.range(3, 10), rng.range(6, 10)),
        2 => format!("NYHA {}", rng.pick(&["I", "II", "III", "IV"])),
        3 => format!("Glasgow {}", rng.range(3, 15)),
        4 => format!("MMS {}/30", rng.range(8, 30)),
        5 => format!("ECOG {}", rng.range(0, 4)),
        6 => format!("Karnofsky {} %", rng.range(3, 10) * 10),
        7 => format!("CHA2DS2-VASc {}", rng.range(0, 9)),
        8 => format!("ASA {}", rng.range(1, 4)),
        9 => format!("Rankin {}", rng.range(0, 6)),
        _ => format!("NIHSS {}", rng.range(0, 30)),
    }
}

fn reldate(rng: &mut Rng) -> String {
    match rng.below(11) {
        0 => format!("J+{}", rng.range(1, 30)),
        1 => format!("J{}", rng.range(1, 15)),
        2 => format!("il y a {} ans", rng.range(2, 30)),
        3 => format!("à {} ans", rng.range(2, 80)),
        4 => format!("SA {}+{}", rng.range(24, 41), rng.range(0, 6)),
        5 => format!("depuis {} semaines", rng.range(2, 12)),
        6 => format!("à M{}", rng.pick(&[1, 3, 6, 12])),
        7 => format!("à {} SA", rng.range(12, 41)),
        8 => format!("dans {} mois", rng.range(1, 12)),
        9 => rng
            .pick(&["la veille", "hier", "avant-hier", "le lendemain"])
            .to_string(),
        _ => format!("{} jours plus tard", rng.range(2, 20)),
    }
}

fn service(rng: &mut Rng) -> String {
    let spec = rng.pick(&SERVICES);
    let head = *rng.pick(&["service", "unité", "pôle", "consultation"]);
    if head == "pôle" {
        return format!("pôle {spec}");
    }
    let vowel = spec.starts_with(['a', 'e', 'é', 'i', 'o', 'u', 'h', 'O']);
    if vowel {
        format!("{head} d'{spec}")
    } else {
        format!("{head} de {spec}")
    }
}

/// Fill one `[[NEG:kind]]` slot.
pub fn render(kind: NegKind, g: &Gazetteers, rng: &mut Rng) -> String {
    match kind {
        NegKind::Eponyme => eponyme(g, rng),
        NegKind::Medicament => medicament(g, rng),
        NegKind::Gene => gene(rng),
        NegKind::Code => code(rng),
        NegKind::Bio => bio(rng),
        NegKind::Score => score(rng),
        NegKind::Tension => match rng.below(3) {
            0 => format!("TA {}/{}", rng.range(9, 18), rng.range(5, 10)),
            1 => format!("PA {}/{} mmHg", rng.range(90, 190), rng.range(50, 110)),
            _ => format!("TA {}/{} mmHg", rng.range(90, 190), rng.range(50, 110)),
        },
        NegKind::Reldate => reldate(rng),
        NegKind::Service => service(rng),
        NegKind::Chambre => match rng.below(4) {
            0 => format!(
                "chambre {} lit {}",
                rng.range(1, 450),
                rng.pick(&["A", "B", "1", "2"])
            ),
            1 => format!("ch. {}", rng.range(100, 450)),
            2 => format!("box {}", rng.range(1, 20)),
            _ => format!("lit {}", rng.range(1, 30)),
        },
        NegKind::Posologie => rng
            .pick(&[
                "1-0-1",
                "1-1-1",
                "0-0-1",
                "1-0-0",
                "2 x/j",
                "1 cp matin et soir",
                "1/2 cp le soir",
                "3 fois par jour",
                "1 sachet/j",
                "2-0-2",
            ])
            .to_string(),
        NegKind::Heure => match rng.below(4) {
            0 => format!("{}h{:02}", rng.range(0, 23), rng.range(0, 11) * 5),
            1 => format!("{}h", rng.range(6, 22)),
            2 => format!("{:02}:{:02}", rng.range(0, 23), rng.range(0, 59)),
            _ => format!("{:02} h {:02}", rng.range(0, 23), rng.range(0, 59)),
        },
    }
}
