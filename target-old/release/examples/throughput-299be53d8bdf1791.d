/work/main/target-old/release/examples/throughput-299be53d8bdf1791.d: crates/voile-rules/examples/throughput.rs crates/voile-rules/examples/../tests/fixtures/reports.txt

/work/main/target-old/release/examples/throughput-299be53d8bdf1791: crates/voile-rules/examples/throughput.rs crates/voile-rules/examples/../tests/fixtures/reports.txt

crates/voile-rules/examples/throughput.rs:
crates/voile-rules/examples/../tests/fixtures/reports.txt:
