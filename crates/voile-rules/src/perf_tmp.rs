#[test]
#[ignore]
fn perf_breakdown() {
    use std::time::Instant;
    let raw = include_str!("../tests/fixtures/reports.txt");
    let mut text = String::new();
    while text.len() < 2 << 20 {
        text.push_str(raw);
    }
    let docs: Vec<&str> = text.split("\n=====\n").collect();
    let r = crate::Rules::new(&crate::RulesConfig::default()).unwrap();
    let mb = text.len() as f64 / (1 << 20) as f64;
    let time = |name: &str, f: &dyn Fn(&str, &mut Vec<voile_core::Span>)| {
        let t = Instant::now();
        let mut out = Vec::new();
        for d in &docs {
            f(d, &mut out);
        }
        let s = t.elapsed().as_secs_f64();
        eprintln!("{name:<12} {:>8.1} MiB/s  {:.3}s", mb / s, s);
    };
    use voile_core::Detector;
    time("all", &|d, o| r.detect(d, o));
    time("dates", &|d, o| r.dates.detect(d, o));
    time("phones", &|d, o| r.contacts.detect_phones(d, o));
    time("runs", &|d, _o| {
        std::hint::black_box(crate::text::digit_runs(d));
    });
    time("ext", &|d, o| {
        crate::contacts::detect_extensions(d, &crate::text::digit_runs(d), o)
    });
    time("spelled", &|d, o| crate::contacts::detect_spelled(d, o));
    time("nir", &|d, o| r.ids.detect_nir(d, o));
    time("cued", &|d, o| r.ids.detect_cued(d, o, &r.dates));
    time("chains", &|d, o| {
        crate::noisy::detect_chains(d, &crate::text::digit_runs(d), o)
    });
    time("ocr", &|d, o| {
        crate::noisy::detect_ocr(d, &crate::text::digit_runs(d), o, &|l, f| {
            r.dates.detect(l, f)
        })
    });
    time("address", &|d, o| r.address.detect(d, o, true, true));
    time("names", &|d, o| r.names.detect(d, o));
    time("hl7", &|d, o| crate::hl7::detect(d, o));
    time("all", &|d, o| r.detect(d, o));
    time("d.numeric", &|d, o| r.dates.detect_numeric(d, o));
    time("d.textual", &|d, o| r.dates.detect_textual(d, o));
    time("d.years", &|d, o| r.dates.detect_years(d, o));
    time("d.exported", &|d, o| {
        r.dates.detect_exported(d, &crate::text::digit_runs(d), o)
    });
}
