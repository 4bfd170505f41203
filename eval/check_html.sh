#!/usr/bin/env bash
# Render a `voile eval --html` report in headless Chromium and check what the browser built.
# usage: eval/check_html.sh REPORT.html [SCREENSHOT.png]
# Uses $CHROMIUM or /usr/bin/chromium; installs nothing. Exit 0 = rendered and checked,
# 1 = check failed, 2 = usage error or no Chromium. No network: the page is self-contained.
set -euo pipefail

report=${1:?usage: check_html.sh REPORT.html [SCREENSHOT.png]}
shot=${2:-}
chromium=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x "$chromium" ]]; then
    echo "check_html: $chromium not found (apt-get install chromium)" >&2
    exit 2
fi
[[ -f "$report" ]] || { echo "check_html: $report: no such file" >&2; exit 2; }
abs=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")

profile=$(mktemp -d)
dom=$(mktemp)
trap 'rm -rf "$profile" "$dom"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
       --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile")

timeout 120 "$chromium" "${flags[@]}" --dump-dom "file://$abs" >"$dom" 2>/dev/null

fail=0
expect() { # expect NAME PATTERN: the rendered DOM must contain PATTERN
    if grep -q -- "$2" "$dom"; then echo "ok   $1"; else echo "FAIL $1 (no '$2' in rendered DOM)"; fail=1; fi
}
expect "summary table" 'id="summary"'
expect "per-label table" 'id="per-label"'
expect "per-label rows" '<tr><td>[A-Z_]*</td><td>[0-9.]*</td>'
expect "F1 chart" '<svg id="f1-chart"'
expect "chart bars" '<rect x='
expect "documents" 'class="doc"'
expect "span marks" '<mark class="\(correct\|boundary\|wrong\|missed\|spurious\)"'
expect "mark tooltips" 'title="[a-z]* | gold: '
expect "script ran without breaking the page" 'id="errors-only"'

if [[ -n "$shot" ]]; then
    shot_abs=$(cd "$(dirname "$shot")" && pwd)/$(basename "$shot")
    timeout 120 "$chromium" "${flags[@]}" --hide-scrollbars --window-size=1280,1800 \
        --screenshot="$shot_abs" "file://$abs" >/dev/null 2>&1 || true
    if [[ -s "$shot_abs" ]] && head -c 8 "$shot_abs" | grep -q PNG; then
        echo "ok   screenshot $shot_abs"
    else
        echo "FAIL screenshot not written"; fail=1
    fi
fi
exit $fail
