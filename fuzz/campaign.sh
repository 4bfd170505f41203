#!/usr/bin/env bash
# A fuzzing campaign: every target for T seconds (default 3600), two at a time (one per core),
# logs in fuzz/logs/. Needs the nightly toolchain and `cargo install cargo-fuzz`.
# Summarise with: grep -H "Done" fuzz/logs/*.log
set -euo pipefail
cd "$(dirname "$0")"
T=${1:-3600}
mkdir -p logs
run() {
  cargo +nightly fuzz run -O "$1" -- -max_total_time="$T" -print_final_stats=1 -rss_limit_mb=4096 \
    > "logs/$1.log" 2>&1
}
for pair in "offsets jsonl" "normalize resolve" "rules rewrite" "gazetteer pipeline"; do
  set -- $pair
  run "$1" & run "$2" & wait
done
