#!/usr/bin/env python3
"""Check annotated files against their plain originals: markup parses and, stripped, gives
exactly the original text. usage: verify_pass2.py ANNOTATED_DIR [PLAIN_DIR]"""
import sys, pathlib
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from check import parse
ann = pathlib.Path(sys.argv[1])
plain = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "/work/styleshift-work/plain")
bad = 0
for f in sorted(ann.glob("*.txt")):
    orig = (plain / f.name).read_text(encoding="utf-8")
    try:
        text, spans = parse(f.read_text(encoding="utf-8"))
    except ValueError as e:
        print(f"{f.name}: ERROR {e}"); bad += 1; continue
    if text != orig:
        i = next((k for k in range(min(len(text), len(orig))) if text[k] != orig[k]), min(len(text), len(orig)))
        print(f"{f.name}: ERROR stripped text differs from the original at char {i}: {text[max(0,i-30):i+30]!r} vs {orig[max(0,i-30):i+30]!r}")
        bad += 1
    else:
        print(f"{f.name}: ok, {len(spans)} spans")
print("files:", len(list(ann.glob('*.txt'))), "errors:", bad)
sys.exit(1 if bad else 0)
