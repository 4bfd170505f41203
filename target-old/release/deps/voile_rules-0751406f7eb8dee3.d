/work/main/target-old/release/deps/voile_rules-0751406f7eb8dee3.d: crates/voile-rules/src/lib.rs crates/voile-rules/src/address.rs crates/voile-rules/src/contacts.rs crates/voile-rules/src/dates.rs crates/voile-rules/src/hl7.rs crates/voile-rules/src/ids.rs crates/voile-rules/src/names.rs crates/voile-rules/src/text.rs

/work/main/target-old/release/deps/libvoile_rules-0751406f7eb8dee3.rlib: crates/voile-rules/src/lib.rs crates/voile-rules/src/address.rs crates/voile-rules/src/contacts.rs crates/voile-rules/src/dates.rs crates/voile-rules/src/hl7.rs crates/voile-rules/src/ids.rs crates/voile-rules/src/names.rs crates/voile-rules/src/text.rs

/work/main/target-old/release/deps/libvoile_rules-0751406f7eb8dee3.rmeta: crates/voile-rules/src/lib.rs crates/voile-rules/src/address.rs crates/voile-rules/src/contacts.rs crates/voile-rules/src/dates.rs crates/voile-rules/src/hl7.rs crates/voile-rules/src/ids.rs crates/voile-rules/src/names.rs crates/voile-rules/src/text.rs

crates/voile-rules/src/lib.rs:
crates/voile-rules/src/address.rs:
crates/voile-rules/src/contacts.rs:
crates/voile-rules/src/dates.rs:
crates/voile-rules/src/hl7.rs:
crates/voile-rules/src/ids.rs:
crates/voile-rules/src/names.rs:
crates/voile-rules/src/text.rs:
