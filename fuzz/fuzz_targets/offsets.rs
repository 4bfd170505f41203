//! Code point <-> byte offsets: a round trip on every boundary, out-of-range is `None`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use voile_core::corpus::OffsetMap;

fuzz_target!(|text: String| {
    let map = OffsetMap::new(&text);
    let n = text.chars().count();
    assert_eq!(map.len_cp(), n);
    for (cp, (b, _)) in text.char_indices().enumerate() {
        assert_eq!(map.cp_to_byte(cp), Some(b));
        assert_eq!(map.byte_to_cp(b), cp);
    }
    assert_eq!(map.cp_to_byte(n), Some(text.len()));
    assert_eq!(map.cp_to_byte(n + 1), None);
});
