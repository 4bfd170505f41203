#!/usr/bin/env python3
"""Independent scorer for voile's evaluation definitions (stdlib only).

Written from the definitions in crates/voile-eval/SCHEMA.md, not from the Rust code, so that
running both on the same files cross-checks the implementation. Evaluators can do the same
with their own scorer.

usage: independent_scorer.py GOLD.jsonl PRED.jsonl  -> prints a JSON object with
  strict.micro/macro/per_label, overlap.micro/per_label, token, leak_rate, full_redact
"""
import json
import re
import sys

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
CATEGORY = {
    "NOM": "NAME", "PRENOM": "NAME", "DATE": "DATE", "DATE_NAISSANCE": "DATE",
    "ADRESSE": "LOC", "ZIP": "LOC", "VILLE": "LOC", "HOPITAL": "LOC",
    "TEL": "CONTACT", "MAIL": "CONTACT", "SECU": "ID", "IPP": "ID", "NDA": "ID", "ID": "ID",
}


def load(path):
    docs = {}
    order = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            spans = [(s["start"], s["end"], s["label"]) for s in d.get("spans") or []]
            docs[str(d["id"])] = (d["text"], spans)
            order.append(str(d["id"]))
    return docs, order


def safe_div(a, b):
    return a / b if b else 0.0


def prf(tp, fp, fn):
    p = safe_div(tp, tp + fp)
    r = safe_div(tp, tp + fn)
    f = safe_div(2 * p * r, p + r)
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}


def strict_counts(gold, pred, key):
    """Exact (start, end, key) multiset intersection."""
    counts = {}
    remaining = {}
    for s, e, l in gold:
        remaining[(s, e, key(l))] = remaining.get((s, e, key(l)), 0) + 1
    for s, e, l in pred:
        k = (s, e, key(l))
        c = counts.setdefault(key(l), [0, 0, 0])
        if remaining.get(k, 0) > 0:
            remaining[k] -= 1
            c[0] += 1
        else:
            c[1] += 1
    for (s, e, k), n in remaining.items():
        counts.setdefault(k, [0, 0, 0])[2] += n
    return counts


def max_matching(edges, n_left):
    """Maximum bipartite matching size (Kuhn's augmenting paths)."""
    match_right = {}

    def try_assign(u, seen):
        for v in edges[u]:
            if v in seen:
                continue
            seen.add(v)
            if v not in match_right or try_assign(match_right[v], seen):
                match_right[v] = u
                return True
        return False

    return sum(1 for u in range(n_left) if try_assign(u, set()))


def overlap_counts(gold, pred, key):
    """Maximum one-to-one matching between overlapping spans of the same key."""
    counts = {}
    for k in {key(l) for _, _, l in gold} | {key(l) for _, _, l in pred}:
        g = [x for x in gold if key(x[2]) == k]
        p = [x for x in pred if key(x[2]) == k]
        edges = [[j for j, (ps, pe, _) in enumerate(p) if ps < ge and gs < pe] for gs, ge, _ in g]
        m = max_matching(edges, len(g))
        counts[k] = [m, len(p) - m, len(g) - m]
    return counts


def token_marks(text, spans):
    marks = []
    for m in TOKEN_RE.finditer(text):
        a, b = m.span()
        marks.append(any(s < b and a < e for s, e, _ in spans))
    return marks


def summarise(counts):
    micro = [sum(c[i] for c in counts.values()) for i in range(3)]
    per = {k: prf(*c) for k, c in sorted(counts.items())}
    n = len(per)
    macro = {
        "precision": safe_div(sum(v["precision"] for v in per.values()), n),
        "recall": safe_div(sum(v["recall"] for v in per.values()), n),
        "f1": safe_div(sum(v["f1"] for v in per.values()), n),
        "labels": n,
    }
    return {"micro": prf(*micro), "macro": macro, "per_label": per}


def add(acc, counts):
    for k, c in counts.items():
        a = acc.setdefault(k, [0, 0, 0])
        for i in range(3):
            a[i] += c[i]


def score(gold_path, pred_path):
    gold, order = load(gold_path)
    pred, _ = load(pred_path)
    strict, overlap, cat_strict, cat_overlap = {}, {}, {}, {}
    tok = [0, 0, 0]
    full = 0
    ident = lambda l: l  # noqa: E731
    cat = lambda l: CATEGORY[l]  # noqa: E731
    for doc_id in order:
        text, g = gold[doc_id]
        p = pred[doc_id][1] if doc_id in pred else []
        add(strict, strict_counts(g, p, ident))
        add(overlap, overlap_counts(g, p, ident))
        add(cat_strict, strict_counts(g, p, cat))
        add(cat_overlap, overlap_counts(g, p, cat))
        leaked = 0
        for in_g, in_p in zip(token_marks(text, g), token_marks(text, p)):
            if in_g and in_p:
                tok[0] += 1
            elif in_p:
                tok[1] += 1
            elif in_g:
                tok[2] += 1
                leaked += 1
        full += leaked == 0
    t = prf(*tok)
    return {
        "strict": summarise(strict),
        "overlap": summarise(overlap),
        "category": {"strict": summarise(cat_strict), "overlap": summarise(cat_overlap)},
        "token": {k: t[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn")},
        "leak_rate": safe_div(tok[2], tok[0] + tok[2]),
        "full_redact": safe_div(full, len(order)),
    }


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    json.dump(score(sys.argv[1], sys.argv[2]), sys.stdout, indent=2, sort_keys=True)
    print()
