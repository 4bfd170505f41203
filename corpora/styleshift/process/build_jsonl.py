#!/usr/bin/env python3
"""Build corpora/styleshift/{dev,test}.jsonl from the adjudicated inline-marked documents.

usage: build_jsonl.py WORK_DIR OUT_DIR
WORK_DIR holds w1..w4/index.tsv (kind, voice per document) and adjudication/final/<w>-<n>.txt.
The split is stratified by writer and document kind: within each (writer, kind) group,
documents ordered by SHA-256 of their id alternate dev / test, the alternation running on
across groups so that small groups balance out. Deterministic."""
import hashlib, json, pathlib, sys, collections
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from check import parse

work, out = map(pathlib.Path, sys.argv[1:3])
meta = {}
for w in ("w1", "w2", "w3", "w4"):
    for line in (work / w / "index.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].endswith(".txt"):
            meta[f"{w}-{parts[0][:-4]}"] = (w, parts[1].strip(), parts[2].strip() if len(parts) > 2 else "")
groups = collections.defaultdict(list)
for f in sorted((work / "adjudication" / "final").glob("*.txt")):
    w, kind, voice = meta[f.stem]
    groups[(w, kind)].append(f)
splits = {"dev": [], "test": []}
turn = 0
for key in sorted(groups):
    files = sorted(groups[key], key=lambda f: hashlib.sha256(f"styleshift:{f.stem}".encode()).hexdigest())
    for f in files:
        w, kind, voice = meta[f.stem]
        text, spans = parse(f.read_text(encoding="utf-8"))
        rec = {"id": f"ss-{f.stem}", "text": text,
               "spans": [{"start": s, "end": e, "label": l} for s, e, l in spans],
               "meta": {"writer": w, "kind": kind, "voice": voice}}
        splits["dev" if turn % 2 == 0 else "test"].append(rec)
        turn += 1
for name, recs in splits.items():
    recs.sort(key=lambda r: r["id"])
    with open(out / f"{name}.jsonl", "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    c = collections.Counter(s["label"] for r in recs for s in r["spans"])
    print(name, len(recs), "documents", sum(c.values()), "spans", dict(sorted(c.items())))
