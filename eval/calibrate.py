#!/usr/bin/env python3
"""Calibrate the model's fusion policy (per-label thresholds) on the style-shift DEV split.

For each label, the model alone proposes that label at each threshold on top of everything
else; the change against the model-free pipeline (token and strict true/false positives) is
measured with `voile eval`, and the label's threshold is the one with the best
  gain = W * d(token tp) - d(token fp) + d(strict tp) - d(strict fp)
(a label is left to the other detectors when no threshold gains). W weighs a leaked token
against an over-redacted one: 2 for the `default` profile, 4 for `recall`. Never run on a
test split.

usage: python3 eval/calibrate.py [--voile target/release/voile] [--gold corpora/styleshift/dev.jsonl]
       python3 eval/calibrate.py --from-json eval/calibration-styleshift-dev.json   (re-choose only)
writes eval/calibration-styleshift-dev.json and prints the operating-point table (markdown).
"""
import argparse, json, subprocess, sys, tempfile, os

LABELS = ["NOM", "PRENOM", "VILLE", "HOPITAL", "ADRESSE", "DATE", "DATE_NAISSANCE", "ZIP",
          "TEL", "MAIL", "SECU", "IPP", "NDA", "ID"]
THRESHOLDS = [0.5, 0.7, 0.8, 0.9, 0.95, 0.99]

def measure(voile, gold, policy):
    cfg = {"ner_policy": policy}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cfg, f); path = f.name
    try:
        out = subprocess.run([voile, "eval", "--gold", gold, "--config", path, "--json", "--bootstrap", "0"],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(path)
    r = json.loads(out)
    m = r["strict"]["micro"]
    return {"tok_tp": r["token"]["tp"], "tok_fp": r["token"]["fp"], "tok_fn": r["token"]["fn"],
            "str_tp": m["tp"], "str_fp": m["fp"], "str_fn": m["fn"],
            "tok_r": r["token"]["recall"], "tok_p": r["token"]["precision"], "str_f1": m["f1"]}

def choose(rows, weight):
    """Per label, the threshold with the best positive gain (none: the model stays out)."""
    chosen = {}
    for label in LABELS:
        best = (0, None)
        for r in rows:
            if r["label"] == label:
                gain = weight * r["tok_tp"] - r["tok_fp"] + r["str_tp"] - r["str_fp"]
                if gain > best[0]:
                    best = (gain, r["threshold"])
        if best[1] is not None:
            chosen[label] = best[1]
    return chosen

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--voile", default="target/release/voile")
    ap.add_argument("--gold", default="corpora/styleshift/dev.jsonl")
    ap.add_argument("--out", default="eval/calibration-styleshift-dev.json")
    ap.add_argument("--from-json", help="reuse the measured rows of an earlier run")
    a = ap.parse_args()
    if "test" in os.path.basename(a.gold):
        sys.exit("calibrate.py refuses a test split")
    if a.from_json:
        prev = json.load(open(a.from_json))
        base, rows = prev["base"], prev["rows"]
    else:
        base = measure(a.voile, a.gold, {"labels": [], "thresholds": {}})
        rows = []
        for label in LABELS:
            for t in THRESHOLDS:
                m = measure(a.voile, a.gold, {"labels": [label], "thresholds": {label: t}})
                d = {k: m[k] - base[k] for k in ("tok_tp", "tok_fp", "str_tp", "str_fp")}
                rows.append({"label": label, "threshold": t, **d})
                print(f"{label:15} {t:4} {d}", file=sys.stderr)
    profiles = {}
    for name, weight in (("default", 2), ("recall", 4)):
        chosen = choose(rows, weight)
        final = measure(a.voile, a.gold, {"labels": sorted(chosen), "thresholds": chosen, "min_score": 0.99})
        profiles[name] = {"recall_weight": weight, "thresholds": chosen, "measured": final}
    chosen = profiles["default"]["thresholds"]
    json.dump({"gold": a.gold, "base": base, "rows": rows, "profiles": profiles},
              open(a.out, "w"), indent=1)
    print("| label | " + " | ".join(f"t={t}" for t in THRESHOLDS) + " | chosen |")
    print("|---|" + "---|" * (len(THRESHOLDS) + 1))
    for label in LABELS:
        cells = [f"{r['tok_tp']:+d}/{r['tok_fp']:+d} · {r['str_tp']:+d}/{r['str_fp']:+d}" for r in rows if r["label"] == label]
        print(f"| {label} | " + " | ".join(cells) + f" | {chosen.get(label, 'off')} |")
    print(f"\nbase (model off): {base}")
    for name, p in profiles.items():
        print(f"{name}: thresholds {json.dumps(p['thresholds'])}\n  measured {p['measured']}")

if __name__ == "__main__":
    main()
