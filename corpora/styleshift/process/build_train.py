#!/usr/bin/env python3
"""Build corpora/styleshift/train.jsonl from the writers' inline-marked training documents.

usage: build_train.py WORK_DIR OUT_DIR
WORK_DIR holds train-w5..train-w7/NNN.txt and index.tsv (kind, voice per document). These
documents had one annotation pass (their writer's): they are for training the model, never
for measuring it. Deterministic: records sorted by id."""
import json, pathlib, sys, collections
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from check import parse

work, out = map(pathlib.Path, sys.argv[1:3])
records = []
for w in ("w5", "w6", "w7"):
    d = work / f"train-{w}"
    meta = {}
    for line in (d / "index.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].endswith(".txt"):
            meta[parts[0][:-4]] = (parts[1].strip(), parts[2].strip() if len(parts) > 2 else "")
    for f in sorted(d.glob("[0-9][0-9][0-9].txt")):
        kind, voice = meta.get(f.stem, ("", ""))
        text, spans = parse(f.read_text(encoding="utf-8"))
        records.append({"id": f"ss-train-{w}-{f.stem}", "text": text,
                        "spans": [{"start": s, "end": e, "label": l} for s, e, l in spans],
                        "meta": {"writer": w, "kind": kind, "voice": voice}})
records.sort(key=lambda r: r["id"])
with open(out / "train.jsonl", "w", encoding="utf-8") as fh:
    for r in records:
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
c = collections.Counter(s["label"] for r in records for s in r["spans"])
print("train", len(records), "documents", sum(c.values()), "spans", dict(sorted(c.items())))
