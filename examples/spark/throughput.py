#!/usr/bin/env python3
"""Throughput of `voile pseudo` and of the Spark job on the same 100,000 short records
(README, section Spark), one thread each, as records per CPU-second.

CPU time is summed over the command and all its descendants, sampled from /proc, because
Spark's Python workers are never reaped into the parent's rusage. Both outputs are compared.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def records(n: int):
    """Lines of >= 40 characters of the synthetic test split, cycled; 5 records per patient."""
    lines = []
    with open(ROOT / "corpora/synthetic/test.jsonl", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            lines += [x.strip() for x in text.split("\n") if len(x.strip()) >= 40]
    return [(f"s{i}", lines[i % len(lines)], f"p{i // 5}") for i in range(n)]


def _stat(pid: int):
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    rest = s[s.rindex(")") + 2 :].split()
    return int(rest[1]), (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")


def run_measured(cmd, env=None):
    """(wall seconds, CPU seconds of the process tree)."""
    t0 = time.time()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = {}
    while p.poll() is None:
        procs = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    procs[int(d)] = _stat(int(d))
                except (OSError, ValueError, IndexError):
                    pass
        tree, grew = {p.pid}, True
        while grew:
            new = {pid for pid, (ppid, _) in procs.items() if ppid in tree} - tree
            tree |= new
            grew = bool(new)
        for pid in tree & procs.keys():
            seen[pid] = max(seen.get(pid, 0.0), procs[pid][1])
        time.sleep(0.2)
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed with exit code {p.returncode}")
    return time.time() - t0, sum(seen.values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--key-file", required=True)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--cli", default=str(ROOT / "target/release/voile"))
    args = ap.parse_args()
    import pyarrow as pa
    import pyarrow.parquet as pq

    recs = records(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with open(tmp / "in.jsonl", "w", encoding="utf-8") as f:
            for i, t, p in recs:
                f.write(json.dumps({"id": i, "text": t, "meta": {"patient_id": p}}, ensure_ascii=False) + "\n")
        cols = list(zip(*recs))
        pq.write_table(pa.table({"doc_id": cols[0], "text": cols[1], "patient_id": cols[2]}), tmp / "in.parquet")
        env = dict(os.environ, RAYON_NUM_THREADS="1", PYSPARK_PYTHON=sys.executable)
        cli = run_measured([args.cli, "pseudo", "--key-file", args.key_file, str(tmp / "in.jsonl"),
                            "--out", str(tmp / "cli.jsonl")], env)
        spark = run_measured([sys.executable, str(ROOT / "examples/spark/pseudonymise_parquet.py"),
                              "--input", str(tmp / "in.parquet"), "--output", str(tmp / "out.parquet"),
                              "--text-column", "text", "--id-column", "doc_id", "--patient-column",
                              "patient_id", "--key-file", args.key_file, "--master", "local[1]"], env)
        with open(tmp / "cli.jsonl", encoding="utf-8") as f:
            expected = {r["id"]: r["text"] for r in map(json.loads, f)}
        out = pq.read_table(tmp / "out.parquet").to_pydict()
        same = all(expected[i] == t for i, t in zip(out["doc_id"], out["text"])) and len(expected) == args.n
    chars = sum(len(t) for _, t, _ in recs)
    print(f"{args.n} records, {chars / args.n:.0f} chars on average; outputs identical: {same}")
    for name, (wall, cpu) in [("voile pseudo, 1 thread", cli), ("spark local[1]", spark)]:
        print(f"| {name} | {wall:.0f} s | {cpu:.1f} s | {args.n / cpu:,.0f} |")


if __name__ == "__main__":
    main()
