"""Shared fixtures: the repository root, the `voile` CLI binary, a key file, corpora.

The parity tests run the CLI built from the same checkout (`cargo build --release -p
voile-cli`; `crates/voile-py/ci.sh` does it) and compare its output with the Python API.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import voile

ROOT = Path(__file__).resolve().parents[3]
KEY = b"voile-python-parity-key-0123456789"
#: Documents of the synthetic test split used for parity (the brief: "the first ~120").
N_SYNTH = 120


def _cli_path() -> Path:
    if os.environ.get("VOILE_CLI"):
        return Path(os.environ["VOILE_CLI"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "release" / "voile"


@pytest.fixture(scope="session")
def cli() -> Path:
    path = _cli_path()
    if not path.exists():
        pytest.fail(f"{path} not found: run `cargo build --release -p voile-cli` (or set VOILE_CLI)")
    return path


def run_cli(cli: Path, args, stdin: bytes = b"", env_extra=None) -> bytes:
    """Run the CLI; its stdout. Fails the test on a non-zero exit."""
    env = {k: v for k, v in os.environ.items() if k != "VOILE_KEY"}
    env.update(env_extra or {})
    p = subprocess.run([str(cli), *args], input=stdin, capture_output=True, env=env, check=False)
    assert p.returncode == 0, p.stderr.decode(errors="replace")
    return p.stdout


@pytest.fixture(scope="session")
def key_file(tmp_path_factory) -> Path:
    # A trailing newline, as `echo secret > key` leaves: both sides must ignore it.
    p = tmp_path_factory.mktemp("key") / "voile.key"
    p.write_bytes(KEY + b"\n")
    return p


def read_jsonl(path: Path, limit=None):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line))
                if limit is not None and len(out) == limit:
                    break
    return out


@pytest.fixture(scope="session")
def synth_records():
    return read_jsonl(ROOT / "corpora/synthetic/test.jsonl", N_SYNTH)


@pytest.fixture(scope="session")
def sample_records():
    return read_jsonl(ROOT / "corpora/sample/sample.jsonl")


@pytest.fixture(scope="session")
def pipeline() -> voile.Pipeline:
    return voile.Pipeline(key=KEY)


def to_jsonl(records) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
