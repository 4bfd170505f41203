//! The JSONL contract reader on arbitrary lines: an error or a record whose spans are in
//! range, and a written line that reads back to the same record.
#![no_main]
use libfuzzer_sys::fuzz_target;
use voile_core::corpus::parse_line;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else { return };
    if let Ok(rec) = parse_line(line, 1) {
        for s in &rec.spans {
            assert!(s.start <= s.end && s.end <= rec.text.len());
            assert!(rec.text.is_char_boundary(s.start) && rec.text.is_char_boundary(s.end));
        }
        let again = parse_line(&rec.to_json_line(false), 1).expect("written line reads back");
        assert_eq!(again.text, rec.text);
        assert_eq!(again.spans.len(), rec.spans.len());
    }
});
