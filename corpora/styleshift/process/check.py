#!/usr/bin/env python3
"""Parse inline-annotated documents ([[LABEL:surface]]) and report problems.

usage: check.py FILE_OR_DIR...   -> prints per-file span counts and any error
"""
import re, sys, pathlib, collections

LABELS = {"NOM","PRENOM","DATE","DATE_NAISSANCE","ADRESSE","ZIP","VILLE","HOPITAL",
          "TEL","MAIL","SECU","IPP","NDA","ID"}
MARK = re.compile(r"\[\[([A-Z_]+):(.*?)\]\]", re.S)

def parse(marked):
    """Return (plain_text, spans[(start,end,label)]) with code-point offsets, or raise ValueError."""
    out, spans, pos = [], [], 0
    length = 0
    for m in MARK.finditer(marked):
        before = marked[pos:m.start()]
        out.append(before); length += len(before)
        label, surface = m.group(1), m.group(2)
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r} at char {m.start()}")
        if not surface or surface != surface.strip():
            raise ValueError(f"empty or space-padded span at char {m.start()}")
        if "\n" in surface:
            raise ValueError(f"span crosses a line break at char {m.start()}")
        if "[[" in surface:
            raise ValueError(f"nested markup at char {m.start()}")
        spans.append((length, length + len(surface), label))
        out.append(surface); length += len(surface)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        i = text.find("[[") if "[[" in text else text.find("]]")
        raise ValueError(f"unbalanced markup near plain char {i}")
    return text, spans

def main(args):
    files = []
    for a in args:
        p = pathlib.Path(a)
        files += sorted(p.glob("*.txt")) if p.is_dir() else [p]
    total = collections.Counter(); bad = 0
    for f in files:
        try:
            text, spans = parse(f.read_text(encoding="utf-8"))
            c = collections.Counter(l for _, _, l in spans); total.update(c)
            print(f"{f.name}: {len(text)} chars, {len(spans)} spans")
        except ValueError as e:
            bad += 1; print(f"{f.name}: ERROR {e}")
    print("labels:", dict(sorted(total.items())), "files:", len(files), "errors:", bad)
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
