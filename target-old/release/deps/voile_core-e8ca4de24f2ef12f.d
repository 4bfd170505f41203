/work/main/target-old/release/deps/voile_core-e8ca4de24f2ef12f.d: crates/voile-core/src/lib.rs crates/voile-core/src/calendar.rs crates/voile-core/src/checksum.rs crates/voile-core/src/corpus.rs crates/voile-core/src/detector.rs crates/voile-core/src/error.rs crates/voile-core/src/label.rs crates/voile-core/src/resolve.rs crates/voile-core/src/span.rs

/work/main/target-old/release/deps/libvoile_core-e8ca4de24f2ef12f.rlib: crates/voile-core/src/lib.rs crates/voile-core/src/calendar.rs crates/voile-core/src/checksum.rs crates/voile-core/src/corpus.rs crates/voile-core/src/detector.rs crates/voile-core/src/error.rs crates/voile-core/src/label.rs crates/voile-core/src/resolve.rs crates/voile-core/src/span.rs

/work/main/target-old/release/deps/libvoile_core-e8ca4de24f2ef12f.rmeta: crates/voile-core/src/lib.rs crates/voile-core/src/calendar.rs crates/voile-core/src/checksum.rs crates/voile-core/src/corpus.rs crates/voile-core/src/detector.rs crates/voile-core/src/error.rs crates/voile-core/src/label.rs crates/voile-core/src/resolve.rs crates/voile-core/src/span.rs

crates/voile-core/src/lib.rs:
crates/voile-core/src/calendar.rs:
crates/voile-core/src/checksum.rs:
crates/voile-core/src/corpus.rs:
crates/voile-core/src/detector.rs:
crates/voile-core/src/error.rs:
crates/voile-core/src/label.rs:
crates/voile-core/src/resolve.rs:
crates/voile-core/src/span.rs:
