#!/usr/bin/env python3
"""Compare the writers' annotation (pass 1) with the independent pass 2.

Writes, for every document: adjudication/draft/<name>.txt (text marked with the spans both
passes agree on exactly) and adjudication/disagreements/<name>.txt (each cluster of spans the
passes disagree on, with its line), and prints agreement statistics (JSON) on stdout."""
import json, pathlib, sys, collections
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from check import parse

base = pathlib.Path("/work/styleshift-work")
out = base / "adjudication"
(out / "draft").mkdir(parents=True, exist_ok=True)
(out / "disagreements").mkdir(parents=True, exist_ok=True)

def mark(text, spans):
    res, pos = [], 0
    for s, e, l in sorted(spans):
        res.append(text[pos:s]); res.append(f"[[{l}:{text[s:e]}]]"); pos = e
    res.append(text[pos:])
    return "".join(res)

def line_of(text, s):
    ls = text.rfind("\n", 0, s) + 1
    le = text.find("\n", s); le = len(text) if le < 0 else le
    return text.count("\n", 0, s) + 1, text[ls:le]

stats = collections.Counter(); per_label = collections.defaultdict(collections.Counter)
for plain in sorted((base / "plain").glob("*.txt")):
    w, stem = plain.stem.split("-")
    p2 = None
    for d in ("a", "b", "c"):
        f = base / "pass2" / d / plain.name
        if f.exists(): p2 = f
    if p2 is None:
        stats["missing_pass2"] += 1; continue
    t1, s1 = parse((base / w / f"{stem}.txt").read_text(encoding="utf-8"))
    t2, s2 = parse(p2.read_text(encoding="utf-8"))
    assert t1 == t2 == plain.read_text(encoding="utf-8"), plain.name
    a, b = set(s1), set(s2)
    agree = a & b
    only1, only2 = sorted(a - b), sorted(b - a)
    stats["docs"] += 1; stats["agree"] += len(agree); stats["pass1"] += len(a); stats["pass2"] += len(b)
    for s in agree: per_label[s[2]]["agree"] += 1
    for s in a: per_label[s[2]]["pass1"] += 1
    for s in b: per_label[s[2]]["pass2"] += 1
    (out / "draft" / plain.name).write_text(mark(t1, agree), encoding="utf-8")
    # Cluster disagreeing spans by overlap.
    items = sorted([(s, e, l, "pass1") for s, e, l in only1] + [(s, e, l, "pass2") for s, e, l in only2])
    clusters, cur, cur_end = [], [], -1
    for it in items:
        if cur and it[0] >= cur_end:
            clusters.append(cur); cur = []; cur_end = -1
        cur.append(it); cur_end = max(cur_end, it[1])
    if cur: clusters.append(cur)
    stats["clusters"] += len(clusters)
    lines = []
    for i, c in enumerate(clusters, 1):
        ln, line = line_of(t1, c[0][0])
        lines.append(f"## {i} (line {ln}): {line}")
        for s, e, l, who in c:
            lines.append(f"   {who}: [[{l}:{t1[s:e]}]] chars {s}-{e}")
    (out / "disagreements" / plain.name).write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")

p = stats["agree"] / stats["pass2"] if stats["pass2"] else 0
r = stats["agree"] / stats["pass1"] if stats["pass1"] else 0
stats_out = dict(stats)
stats_out["exact_agreement_f1"] = round(2 * p * r / (p + r), 4) if p + r else 0
stats_out["per_label"] = {l: dict(c, f1=round(2 * c["agree"] / (c["pass1"] + c["pass2"]), 4)) for l, c in sorted(per_label.items())}
print(json.dumps(stats_out, indent=1))
