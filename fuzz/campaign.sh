#!/usr/bin/env bash
# A fuzzing campaign: each target until 10^7 executions or T seconds (default 2400), one at a
# time at the lowest priority, fast targets first; logs in fuzz/logs/. Needs the nightly
# toolchain and `cargo install cargo-fuzz`. `-s none`: no sanitizer (voile is safe Rust; the
# checks are the targets' own assertions and panics), 10-50x more executions per second.
# Summarise with: grep -H "^Done" fuzz/logs/*.log
set -euo pipefail
cd "$(dirname "$0")"
T=${1:-2400}
mkdir -p logs
for t in jsonl offsets resolve rewrite normalize gazetteer rules pipeline; do
  nice -n 19 cargo +nightly fuzz run -O -s none "$t" -- -runs=10000000 -max_total_time="$T" \
    -print_final_stats=1 -rss_limit_mb=4096 > "logs/$t.log" 2>&1 || echo "$t: crashed (see logs/$t.log)"
done
