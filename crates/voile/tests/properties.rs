//! Property test (stable toolchain, run by CI) of the invariants the fuzz targets check for
//! hours: on documents assembled from French clinical fragments, identifiers, separators,
//! random Unicode and very long tokens, the default pipeline without the model
//! - returns spans in range, on char boundaries, sorted and non-overlapping;
//! - pseudonymises without touching text outside the spans;
//! - gives the same output twice, on one thread and on several;
//! - and never fails on a record.

use proptest::prelude::*;
use voile::corpus::Record;
use voile::{Config, Key, Pipeline};

const FRAGMENTS: &[&str] = &[
    "Mme ",
    "M. ",
    "Dr ",
    "née le ",
    "DDN : ",
    "IPP : ",
    "NDA : ",
    "NIR : ",
    "Tél : ",
    "@",
    "chu-lyon.fr",
    "CHU de ",
    "Clinique Saint-",
    "rue ",
    "avenue ",
    "bis ",
    "BP ",
    "CEDEX ",
    "75012",
    "69003",
    "97411",
    "Lyon",
    "PARIS",
    "Saint-Étienne",
    "Dupont",
    "LEFÈVRE",
    "Jean-Pierre",
    "N'DIAYE",
    "Nguyễn",
    "12/03/2021",
    "3 mars 2021",
    "1998",
    "2025-06-17T08:40",
    "06 12 34 56 78",
    "+33 (0)1 42 16",
    "1 84 12 75 108 042 37",
    "80012345",
    "PID|1||",
    "|",
    "^",
    "\n",
    "\r\n",
    " ",
    ", ",
    ". ",
    " : ",
    "-",
    "–",
    "’",
    "\u{a0}",
    "\u{202f}",
    "\u{200b}",
    "e\u{301}",
    "(",
    "«",
    "n°",
    "maladie de Parkinson",
    "Killip",
    "5 mg",
    "J3",
    "é",
    "😀",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => "[0-9]{1,16}",
        1 => any::<String>().prop_map(|s| s.chars().take(12).collect()),
        1 => (1usize..1500).prop_map(|n| format!("B{}", "é".repeat(n))),
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|v| v.concat())
}

fn pipeline() -> &'static Pipeline {
    static P: std::sync::OnceLock<Pipeline> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        voile::containment::install_panic_hook();
        let cfg = Config {
            use_ner: false,
            ..Config::default()
        };
        let key = Key::from_bytes(b"property-test-key-0123456789").unwrap();
        Pipeline::new(&cfg).unwrap().with_key(Some(key)).unwrap()
    })
}

fn record(i: usize, text: &str) -> Record {
    let mut r = Record::new(format!("d{i}"), text);
    r.extra.insert(
        "meta".into(),
        serde_json::json!({"patient_id": "p1", "patient": {"nom": "Dupont", "prenom": "Jean"}}),
    );
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn spans_are_well_formed_and_text_outside_them_is_kept(text in document()) {
        let p = pipeline();
        let rec = record(0, &text);
        let spans = p.try_detect_record(&rec).expect("no record fails");
        for s in &spans {
            prop_assert!(s.start < s.end && s.end <= text.len());
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        }
        for w in spans.windows(2) {
            prop_assert!(w[0].end <= w[1].start, "overlapping or unsorted spans");
        }
        let out = p.pseudonymise_record(&rec).expect("no record fails");
        prop_assert_eq!(&out.spans, &spans);
        let (mut pos_in, mut pos_out) = (0, 0);
        for r in &out.replacements {
            prop_assert_eq!(&text[pos_in..r.original.start], &out.text[pos_out..r.output.start]);
            pos_in = r.original.end;
            pos_out = r.output.end;
        }
        prop_assert_eq!(&text[pos_in..], &out.text[pos_out..]);
        prop_assert_eq!(p.pseudonymise_record(&rec).unwrap().text, out.text);
    }

    #[test]
    fn batches_keep_every_record_and_do_not_depend_on_threads(
        texts in prop::collection::vec(document(), 1..12)
    ) {
        let p = pipeline();
        let records: Vec<Record> = texts.iter().enumerate().map(|(i, t)| record(i, t)).collect();
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let a = one.install(|| p.try_detect_batch(&records));
        let b = two.install(|| p.try_detect_batch(&records));
        prop_assert_eq!(a.len(), records.len());
        let a: Vec<_> = a.into_iter().map(|r| r.expect("no record fails")).collect();
        let b: Vec<_> = b.into_iter().map(|r| r.expect("no record fails")).collect();
        prop_assert_eq!(a, b);
    }
}
