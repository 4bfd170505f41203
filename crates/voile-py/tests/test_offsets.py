"""Offsets are Python `str` indexes (code points), whatever the text holds: accents,
astral-plane emoji (2 UTF-16 units, 4 UTF-8 bytes), CRLF line ends."""

from __future__ import annotations

import json

from conftest import run_cli, to_jsonl

import voile

TEXT = (
    "😀😀 Compte rendu — Hôpital\r\n"
    "Mme Josiane LEFÈVRE, née le 12/04/1957 🏥,\r\n"
    "IPP : 80012345. Tél. 06 12 34 56 78. Œdème 👩‍⚕️ vu par Dr Éloïse GRÉGOIRE.\r\n"
)


def _surfaces(text, spans):
    return {(text[s.start : s.end], s.label) for s in spans}


def test_spans_index_the_python_string(pipeline):
    spans = pipeline.detect(TEXT)
    found = _surfaces(TEXT, spans)
    for expected in [
        ("Josiane", "PRENOM"),
        ("LEFÈVRE", "NOM"),
        ("12/04/1957", "DATE_NAISSANCE"),
        ("80012345", "IPP"),
        ("06 12 34 56 78", "TEL"),
        ("GRÉGOIRE", "NOM"),
    ]:
        assert expected in found, (expected, found)
    for s in spans:
        assert "\r" not in TEXT[s.start : s.end] and "\n" not in TEXT[s.start : s.end]


def test_offsets_equal_the_cli_jsonl(cli, pipeline):
    out = run_cli(cli, ["detect"], to_jsonl([{"id": "e", "text": TEXT}]))
    assert [s.to_dict() for s in pipeline.detect(TEXT)] == json.loads(out)["spans"]


def test_replacement_offsets_index_both_texts(pipeline):
    r = pipeline.pseudonymise(TEXT, "emoji-doc")
    assert r.text.count("😀") == 2 and r.text.count("\r\n") == 3
    assert len(r.spans) == len(r.detected) >= 6
    for rep, det in zip(r.spans, r.detected):
        assert (rep.original_start, rep.original_end, rep.label) == (det.start, det.end, det.label)
    # Rebuild the output from the input and the replacements: offsets must line up exactly.
    rebuilt, pos = [], 0
    for rep in r.spans:
        rebuilt += [TEXT[pos : rep.original_start], r.text[rep.start : rep.end]]
        pos = rep.original_end
    rebuilt.append(TEXT[pos:])
    assert "".join(rebuilt) == r.text


def test_anonymize_takes_code_point_offsets(pipeline):
    text = "🏥🏥 Patient : Jean DUPONT"
    start = text.index("DUPONT")
    r = pipeline.anonymize(text, [voile.Span(start, start + 6, "NOM")], {"NOM": "tag"})
    assert r.text == "🏥🏥 Patient : Jean [NOM]"
