"""Same answer everywhere: the Python API gives the CLI's spans and, with the same key, the
CLI's pseudonymised text byte for byte."""

from __future__ import annotations

import json

import pytest
from conftest import KEY, ROOT, run_cli, to_jsonl

import voile


def _cli_detect(cli, records):
    out = run_cli(cli, ["detect"], to_jsonl(records))
    return [json.loads(l) for l in out.decode().splitlines()]


def _strip_spans(records):
    return [{k: v for k, v in r.items() if k != "spans"} for r in records]


@pytest.mark.parametrize("corpus", ["synth_records", "sample_records"])
def test_detect_matches_cli(request, cli, pipeline, corpus):
    records = request.getfixturevalue(corpus)
    expected = _cli_detect(cli, _strip_spans(records))
    assert [e["id"] for e in expected] == [r["id"] for r in records]
    got = pipeline.detect_batch([r["text"] for r in records], metas=[r.get("meta") for r in records])
    n_spans = 0
    for rec, exp, spans in zip(records, expected, got):
        assert [s.to_dict() for s in spans] == exp["spans"], rec["id"]
        n_spans += len(spans)
    assert n_spans > 10 * len(records)  # the corpora are dense in identifiers


def test_patient_argument_is_meta_patient(pipeline, synth_records):
    """`patient=` is JSONL `meta.patient`: same spans as the whole meta on this corpus, and
    the known identity matters (some span comes from it)."""
    recs = synth_records[:40]
    by_meta = pipeline.detect_batch([r["text"] for r in recs], metas=[r["meta"] for r in recs])
    by_patient = pipeline.detect_batch([r["text"] for r in recs], [r["meta"]["patient"] for r in recs])
    assert by_meta == by_patient
    single = [pipeline.detect(r["text"], r["meta"]["patient"]) for r in recs]
    assert single == by_patient
    assert any(s.source.startswith("known") for spans in by_patient for s in spans)


def test_sample_directory_with_txt_files_matches_cli(cli, pipeline):
    """`voile detect corpora/sample/` (JSONL + .txt, ids = file names) vs Python."""
    out = run_cli(cli, ["detect", str(ROOT / "corpora/sample")])
    recs = [json.loads(l) for l in out.decode().splitlines()]
    assert sum(r["id"].endswith(".txt") for r in recs) == 10
    for r in recs:
        assert [s.to_dict() for s in pipeline.detect(r["text"], meta=r.get("meta"))] == r["spans"]


def _cli_pseudo(cli, records, key_args, env=None):
    out = run_cli(cli, ["pseudo", "--spans", *key_args], to_jsonl(records), env)
    return [json.loads(l) for l in out.decode().splitlines()]


@pytest.mark.parametrize("corpus", ["synth_records", "sample_records"])
def test_pseudonymise_matches_cli_byte_for_byte(request, cli, pipeline, key_file, corpus):
    records = _strip_spans(request.getfixturevalue(corpus))
    expected = _cli_pseudo(cli, records, ["--key-file", str(key_file)])
    got = pipeline.pseudonymise_batch(
        [r["text"] for r in records],
        [r["id"] for r in records],
        [r["meta"].get("patient_id") for r in records],
        patients=[r["meta"].get("patient") for r in records],
    )
    changed = 0
    for rec, exp, res in zip(records, expected, got):
        assert res.text.encode("utf-8") == exp["text"].encode("utf-8"), rec["id"]
        assert [s.to_dict() for s in res.spans] == exp["spans"], rec["id"]
        changed += res.text != rec["text"]
    assert changed == len(records)


def test_key_sources_agree_with_cli(cli, key_file, sample_records):
    """VOILE_KEY, --key-file, Key.from_file, Key.from_env, raw bytes with whitespace: one key."""
    records = _strip_spans(sample_records[:5])
    by_file = _cli_pseudo(cli, records, ["--key-file", str(key_file)])
    by_env = _cli_pseudo(cli, records, [], {"VOILE_KEY": "  " + KEY.decode() + "\n"})
    assert by_file == by_env
    pipelines = [
        voile.Pipeline(key=b"\t" + KEY + b" \n"),
        voile.Pipeline(key=KEY.decode()),
        voile.Pipeline(key_file=key_file),
        voile.Pipeline(key=voile.Key.from_file(str(key_file))),
        voile.Pipeline(key=voile.load_key(key_file)),
    ]
    for p in pipelines:
        texts = [
            p.pseudonymise(r["text"], r["id"], r["meta"]["patient_id"], patient=r["meta"]["patient"]).text
            for r in records
        ]
        assert texts == [e["text"] for e in by_file]


def test_from_env_reads_voile_key(monkeypatch, sample_records, pipeline):
    r = sample_records[0]
    monkeypatch.setenv("VOILE_KEY", KEY.decode() + "\n")
    p = voile.Pipeline.from_env()
    assert p.has_key
    assert p.pseudonymise(r["text"], r["id"]).text == pipeline.pseudonymise(r["text"], r["id"]).text
    monkeypatch.setenv("OTHER_KEY", "another-key-of-enough-length")
    other = voile.Pipeline.from_env(var="OTHER_KEY")
    assert other.pseudonymise(r["text"], r["id"]).text != pipeline.pseudonymise(r["text"], r["id"]).text


def test_config_file_and_dict_match_cli(cli, key_file, tmp_path, sample_records):
    """A config with per-label operators, given to the CLI as --config and to Python as a
    path and as a dict."""
    cfg = {"use_ner": False, "surrogate": {"operators": {"NOM": "tag", "DATE": "keep", "TEL": "redact"}}}
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps(cfg))
    records = _strip_spans(sample_records[:8])
    out = run_cli(cli, ["pseudo", "--config", str(path), "--key-file", str(key_file)], to_jsonl(records))
    expected = [json.loads(l)["text"] for l in out.decode().splitlines()]
    for config in (cfg, str(path), path):
        p = voile.Pipeline(config, key_file=key_file)
        assert "ner" not in p.detectors
        got = [p.pseudonymise(r["text"], r["id"], r["meta"]["patient_id"], meta=r["meta"]).text for r in records]
        assert got == expected
    assert any("[NOM]" in t for t in expected)
