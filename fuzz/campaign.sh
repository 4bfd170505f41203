#!/usr/bin/env bash
# A fuzzing campaign: each target until 10^7 executions or T seconds (default 2400), at the
# lowest priority, in two lanes (one per core: the slowest target, pipeline, alone in lane 2); logs in fuzz/logs/.
# Needs the nightly toolchain and `cargo install cargo-fuzz`. `-s none`: no sanitizer (voile is
# safe Rust; the checks are the targets' own assertions and panics), 10-50x more executions per
# second. `-timeout=30`: an input taking over 30 s (a super-linear step) counts as a crash.
# Afterwards: `bash fuzz/campaign.sh summary`, and `cargo +nightly fuzz cmin -O -s none TARGET`
# to minimise each corpus.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p logs
if [ "${1:-}" = summary ]; then
  for f in logs/*.log; do
    t=$(basename "$f" .log)
    runs=$(grep -h "stat::number_of_executed_units" "$f" | awk '{print $2}' || true)
    secs=$(grep -ho "^Done [0-9]* runs in [0-9]* second" "$f" | awk '{print $5}' || true)
    crash=$(grep -c "^==.*ERROR\|panicked\|deadly signal\|Test unit written" "$f" || true)
    echo "$t runs=${runs:-?} seconds=${secs:-?} crash_lines=$crash"
  done
  exit 0
fi
T=${1:-2400}
# LANE1="" or LANE2="" leaves that lane empty (unset: the defaults below).
# EXTRA=--no-trace-compares: 2-3x more executions on the slow targets, coarser coverage feedback
# (the structure-aware inputs already carry the fragments comparisons would have to discover).
EXTRA=${EXTRA:-}
LANE1=${LANE1-jsonl offsets resolve normalize rules rewrite gazetteer}
LANE2=${LANE2-pipeline}
cargo +nightly fuzz build -O -s none $EXTRA
lane() {
  for t in "$@"; do
    nice -n 19 cargo +nightly fuzz run -O -s none $EXTRA "$t" -- -runs=10000000 -max_total_time="$T" \
      -timeout=30 -print_final_stats=1 -rss_limit_mb=4096 > "logs/$t.log" 2>&1 \
      || echo "$t: crashed (see logs/$t.log)"
  done
}
lane $LANE1 &
lane $LANE2 &
wait
