#!/usr/bin/env python3
"""Reliability of the NER model's span scores, and the calibration that fixes them.

The model runs alone on every label (no rules, lists or known identities) with its raw
scores (`calibrated: false`, `min_score` 0.3). A span counts as right when it overlaps a gold
span of any label (it covers identifying text: what a leak is about; the fusion takes exact
boundaries and labels from the rules when they overlap), or of the same label with --same-label. Per label, isotonic regression (pool
adjacent violators) over (raw score, right) gives a monotone map raw -> observed share right;
labels with fewer than --min-count spans share the map fitted on all labels pooled.

Fit on the style-shift DEV split only. `--check` scores another corpus with the fitted map
(figures only: never tune on a test split).

usage: python3 eval/reliability.py [--voile target/release/voile] [--model models]
           [--gold corpora/styleshift/dev.jsonl] [--write] [--check corpora/styleshift/test.jsonl]
prints the reliability tables (markdown); --write saves MODEL/calibration.json.
"""
import argparse, collections, json, os, subprocess, tempfile

LABELS = ["NOM", "PRENOM", "DATE", "DATE_NAISSANCE", "ADRESSE", "ZIP", "VILLE", "HOPITAL",
          "TEL", "MAIL", "SECU", "IPP", "NDA", "ID"]
BINS = [0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001]


def raw_predictions(voile, model, gold):
    cfg = {"use_rules": False, "use_gazetteer": False, "use_known_identities": False,
           "propagation": {"document": False},
           "ner": {"model_dir": os.path.abspath(model), "calibrated": False, "min_score": 0.3},
           "ner_policy": {"labels": LABELS, "min_score": 0.3, "score_weight": 1.0}}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cfg, f)
        path = f.name
    try:
        with open(gold, encoding="utf-8") as g:
            out = subprocess.run([voile, "detect", "--config", path], stdin=g,
                                 capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(path)
    return {r["id"]: r.get("spans", []) for r in map(json.loads, out.splitlines()) if r}


def labelled(gold_path, preds, any_label):
    """(label, raw score, right?) for every predicted span: right when it overlaps a gold span
    of the same label, or of any label with `any_label`."""
    rows = []
    with open(gold_path, encoding="utf-8") as g:
        for line in g:
            doc = json.loads(line)
            gold = collections.defaultdict(list)
            for s in doc.get("spans", []):
                gold[s["label"]].append((s["start"], s["end"]))
                gold["*"].append((s["start"], s["end"]))
            for p in preds.get(doc["id"], []):
                key = "*" if any_label else p["label"]
                right = any(p["start"] < e and s < p["end"] for s, e in gold[key])
                rows.append((p["label"], float(p["score"]), right))
    return rows


def isotonic(points):
    """Pool adjacent violators over (x, y) sorted by x -> knots [x, y] rising in both."""
    blocks = []  # [sum_x, sum_y, n]
    for x, y in sorted(points):
        blocks.append([x, float(y), 1])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            sx, sy, n = blocks.pop()
            blocks[-1][0] += sx
            blocks[-1][1] += sy
            blocks[-1][2] += n
    knots = []
    for sx, sy, n in blocks:
        x, y = round(sx / n, 4), round(sy / n, 4)
        if knots and x <= knots[-1][0]:
            continue
        knots.append([x, max(y, knots[-1][1]) if knots else y])
    return knots


def fit(rows, min_count):
    pooled = isotonic([(s, r) for _, s, r in rows])
    maps = {}
    for label in LABELS:
        pts = [(s, r) for l, s, r in rows if l == label]
        maps[label] = isotonic(pts) if len(pts) >= min_count else pooled
    return maps


def apply(knots, x):
    if x <= knots[0][0]:
        return knots[0][1]
    if x >= knots[-1][0]:
        return knots[-1][1]
    for (x0, y0), (x1, y1) in zip(knots, knots[1:]):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return knots[-1][1]


def table(title, scored):
    """scored: (score, right) pairs -> markdown reliability table."""
    lines = [f"**{title}**", "", "| score bin | spans | mean score | share right |", "|---|---|---|---|"]
    err, total = 0.0, len(scored)
    for lo, hi in zip(BINS, BINS[1:]):
        b = [(s, r) for s, r in scored if lo <= s < hi]
        if not b:
            continue
        mean = sum(s for s, _ in b) / len(b)
        right = sum(r for _, r in b) / len(b)
        err += len(b) * abs(mean - right)
        lines.append(f"| {lo:.2f}–{min(hi, 1.0):.2f} | {len(b)} | {mean:.3f} | {right:.3f} |")
    lines += ["", f"expected calibration error: {err / max(total, 1):.3f} over {total} spans", ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--voile", default="target/release/voile")
    ap.add_argument("--model", default="models")
    ap.add_argument("--gold", default="corpora/styleshift/dev.jsonl")
    ap.add_argument("--min-count", type=int, default=40)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--same-label", action="store_true",
                    help="right = overlaps a gold span of the same label (default: of any label, "
                         "i.e. the span covers identifying text, what a leak is about)")
    ap.add_argument("--check", help="another annotated corpus scored with the fitted map")
    a = ap.parse_args()
    any_label = not a.same_label
    rows = labelled(a.gold, raw_predictions(a.voile, a.model, a.gold), any_label)
    maps = fit(rows, a.min_count)
    print(table(f"raw scores on {a.gold}", [(s, r) for _, s, r in rows]))
    print(table(f"calibrated scores on {a.gold} (in-sample)",
                [(apply(maps[l], s), r) for l, s, r in rows]))
    if a.check:
        other = labelled(a.check, raw_predictions(a.voile, a.model, a.check), any_label)
        print(table(f"raw scores on {a.check}", [(s, r) for _, s, r in other]))
        print(table(f"calibrated scores on {a.check} (map fitted on {a.gold})",
                    [(apply(maps[l], s), r) for l, s, r in other]))
    if a.write:
        right = "of the same label" if a.same_label else "of any label"
        out = {"fitted_on": f"{a.gold}: {len(rows)} model spans (raw score >= 0.3), right = "
                            f"overlaps a gold span {right}; isotonic per label, labels "
                            f"with < {a.min_count} spans use the pooled map",
               "labels": {l: maps[l] for l in LABELS}}
        path = os.path.join(a.model, "calibration.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
