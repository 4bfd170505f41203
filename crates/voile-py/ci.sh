#!/usr/bin/env bash
# Python bindings CI: a fresh venv, the wheel built from this checkout by pip (maturin from
# PyPI, see pyproject.toml), the test dependencies, the CLI, then pytest (parity with the
# CLI, column helpers, the local Spark job). Run from anywhere; called by .ci/run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
venv="${VOILE_PY_VENV:-$root/target/voile-py-venv}"
python="${PYTHON:-python3}"

rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q pytest pandas polars pyarrow pyspark
"$venv/bin/python" -m pip install ./crates/voile-py

cargo build --release -p voile-cli
export VOILE_CLI="${CARGO_TARGET_DIR:-$root/target}/release/voile"

# From the tests folder, so that `import voile` is the installed wheel, not the source tree.
cd "$root/crates/voile-py/tests"
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
