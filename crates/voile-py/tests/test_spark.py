"""The local Spark job (examples/spark/pseudonymise_parquet.py, mapInArrow) writes exactly
what `voile pseudo` writes for the same ids, patient ids and key."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, read_jsonl, run_cli, to_jsonl

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
try:
    import pyspark  # noqa: F401
except ImportError:
    pytest.skip("pyspark is not installed: the Spark job test is skipped", allow_module_level=True)
if shutil.which("java") is None:
    pytest.skip("no java on PATH: the Spark job test is skipped", allow_module_level=True)

SCRIPT = ROOT / "examples/spark/pseudonymise_parquet.py"
#: Rows in the test table: the synthetic test split, then the sample, then short repeats.
N_ROWS = 360


@pytest.fixture(scope="module")
def table():
    synth = read_jsonl(ROOT / "corpora/synthetic/test.jsonl")
    sample = read_jsonl(ROOT / "corpora/sample/sample.jsonl")
    recs = (synth + sample)[:N_ROWS]
    rows = {
        "doc_id": [f"row-{i:04d}" for i in range(len(recs))],
        # Every third document shares its patient with the previous one: patient scope.
        "patient": [f"pat-{i - (i % 3 == 2)}" for i in range(len(recs))],
        "text": [r["text"] for r in recs],
        "n": list(range(len(recs))),
    }
    rows["text"][5] = None  # nulls pass through
    return rows


def _write(table, path):
    pq.write_table(pa.table(table), path, row_group_size=50)


def _cli(cli, key_file, table, ids):
    recs = [
        {"id": i, "text": t, "meta": {"patient_id": p}}
        for i, t, p in zip(ids, table["text"], table["patient"])
        if t is not None
    ]
    out = run_cli(cli, ["pseudo", "--key-file", str(key_file)], to_jsonl(recs))
    return {r["id"]: r["text"] for r in map(json.loads, out.decode().splitlines())}


def _spark(tmp_path, key_file, extra):
    out = tmp_path / "out.parquet"
    args = [
        sys.executable, str(SCRIPT), "--input", str(tmp_path / "in.parquet"), "--output", str(out),
        "--text-column", "text", "--patient-column", "patient", "--key-file", str(key_file),
        "--master", "local[2]", *extra,
    ]
    p = subprocess.run(args, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, p.stderr[-4000:]
    return pq.read_table(out).to_pydict()


@pytest.mark.parametrize("with_ids", [True, False], ids=["id-column", "row-index"])
def test_spark_job_matches_cli(cli, key_file, table, tmp_path, with_ids):
    _write(table, tmp_path / "in.parquet")
    # Small splits: several partitions, so row positions cross partition boundaries.
    split = ["--conf", "spark.sql.files.maxPartitionBytes=32768"]
    got = _spark(tmp_path, key_file, ["--id-column", "doc_id"] if with_ids else split)
    ids = table["doc_id"] if with_ids else [str(i) for i in range(len(table["text"]))]
    expected = _cli(cli, key_file, table, ids)
    assert set(got) == set(table)  # every column kept, no helper column left
    order = sorted(range(len(got["n"])), key=lambda i: got["n"][i])
    assert [got["n"][i] for i in order] == table["n"]
    assert [got["doc_id"][i] for i in order] == table["doc_id"]
    texts = [got["text"][i] for i in order]
    assert texts[5] is None
    assert len(expected) == len(table["text"]) - 1
    for i, doc in enumerate(ids):
        if table["text"][i] is not None:
            assert texts[i] == expected[doc], doc
    assert sum(t != o for t, o in zip(texts, table["text"]) if o is not None) == len(expected)
