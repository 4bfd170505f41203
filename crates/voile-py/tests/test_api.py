"""The Python API's own contract: errors and their messages, keys kept secret, Presidio-style
calls, determinism, batches equal to single calls, GIL released."""

from __future__ import annotations

import pickle
import threading

import pytest
from conftest import KEY

import voile

SECRET = "Mme Josiane LEFÈVRE, née le 12/04/1957, IPP : 80012345."


def test_exception_hierarchy():
    assert issubclass(voile.ConfigError, voile.VoileError)
    assert issubclass(voile.MissingKeyError, voile.ConfigError)
    assert issubclass(voile.InputError, voile.VoileError)
    assert issubclass(voile.ResourceError, voile.VoileError)


def test_config_errors():
    with pytest.raises(voile.ConfigError, match="use_nerr"):
        voile.Pipeline({"use_nerr": False})
    with pytest.raises(voile.ConfigError, match="version"):
        voile.Pipeline({"version": 99})
    with pytest.raises(voile.ConfigError, match="no-such-config.json"):
        voile.Pipeline("/nonexistent/no-such-config.json")
    with pytest.raises(voile.ConfigError, match="at least 16 bytes"):
        voile.Pipeline(key=b"short   \n")
    with pytest.raises(voile.ConfigError, match="cannot read key file"):
        voile.Pipeline(key_file="/nonexistent/key")
    with pytest.raises(voile.ConfigError, match="at most one"):
        voile.Pipeline(key=KEY, key_file="/x")


def test_missing_resources_name_voile_home(tmp_path):
    with pytest.raises(voile.ResourceError, match="VOILE_HOME"):
        voile.Pipeline({"resources": str(tmp_path)})


def test_missing_key(pipeline):
    p = voile.Pipeline({"use_ner": False})
    assert not p.has_key
    assert p.detect(SECRET) == voile.Pipeline({"use_ner": False}, key=KEY).detect(SECRET)
    with pytest.raises(voile.MissingKeyError):
        p.pseudonymise(SECRET, "d1")
    with pytest.raises(voile.MissingKeyError):
        p.anonymize(SECRET, p.analyze(SECRET), {"NOM": "surrogate"})
    # Operators that need no key work without one, as `voile pseudo` with such a config.
    tagger = voile.Pipeline({"use_ner": False, "surrogate": {"default_operator": "tag"}})
    assert tagger.pseudonymise(SECRET, "d1").text == "Mme [PRENOM] [NOM], née le [DATE_NAISSANCE], IPP : [IPP]."


def test_input_errors_never_quote_the_text(pipeline):
    with pytest.raises(voile.InputError) as e:
        pipeline.anonymize(SECRET, [voile.Span(4, 400, "NOM")])
    assert "Josiane" not in str(e.value) and "400" in str(e.value)
    with pytest.raises(voile.InputError, match="unknown label"):
        pipeline.anonymize(SECRET, [voile.Span(4, 11, "PERSON")])
    with pytest.raises(voile.InputError, match="overlap"):
        pipeline.anonymize(SECRET, [voile.Span(4, 11, "PRENOM"), voile.Span(6, 19, "NOM")])
    with pytest.raises(voile.InputError, match="2 items for 1 texts"):
        pipeline.pseudonymise_batch([SECRET], ["a", "b"])
    with pytest.raises(voile.InputError, match="patients has 0 items"):
        pipeline.detect_batch([SECRET], [])
    with pytest.raises(voile.InputError, match="id must be str or int"):
        pipeline.pseudonymise(SECRET, 1.5)
    with pytest.raises(voile.InputError, match="patient must be a dict"):
        pipeline.detect(SECRET, ["Josiane"])
    with pytest.raises(voile.ConfigError) as e:
        pipeline.anonymize(SECRET, [], {"NOM": "shred"})
    assert "Josiane" not in str(e.value)


def test_key_is_never_shown_nor_pickled(pipeline):
    k = voile.Key(KEY)
    assert repr(k) == str(k) == "Key(***)"
    assert KEY.decode() not in repr(pipeline) and "key=<set>" in repr(pipeline)
    with pytest.raises(TypeError):
        pickle.dumps(k)
    with pytest.raises(TypeError):
        pickle.dumps(pipeline)
    assert "JOSIANE" not in repr(pipeline.pseudonymise(SECRET, "d1")).upper()


def test_presidio_style_analyze_then_anonymize(pipeline):
    results = pipeline.analyze(SECRET)
    assert results == pipeline.detect(SECRET)
    assert [r.entity_type for r in results] == ["PRENOM", "NOM", "DATE_NAISSANCE", "IPP"]
    out = pipeline.anonymize(SECRET, results, {"NOM": "redact", "PRENOM": "tag", "IPP": "keep"})
    assert out.text.startswith("Mme [PRENOM] XXXX, née le ")
    assert out.text.endswith("IPP : 80012345.")
    assert [s.operator for s in out.spans] == ["tag", "redact", "surrogate", "keep"]
    # Without operators, the config's: the same text as pseudonymise (same spans, id, key).
    assert pipeline.anonymize(SECRET, results, id="d1").text == pipeline.pseudonymise(SECRET, "d1").text
    # Plain objects with Presidio's field names are accepted too.
    class R:
        def __init__(self, start, end, entity_type):
            self.start, self.end, self.entity_type = start, end, entity_type

    assert pipeline.anonymize(SECRET, [R(4, 11, "PRENOM")], {"PRENOM": "tag"}).text.startswith("Mme [PRENOM] LEFÈVRE")


def test_deterministic_and_batch_equals_single(pipeline, sample_records):
    texts = [r["text"] for r in sample_records]
    ids = [r["id"] for r in sample_records]
    batch = pipeline.pseudonymise_batch(texts, ids)
    again = pipeline.pseudonymise_batch(texts, ids)
    single = [pipeline.pseudonymise(t, i) for t, i in zip(texts, ids)]
    assert [b.text for b in batch] == [a.text for a in again] == [s.text for s in single]
    assert pipeline.detect_batch(texts) == [pipeline.detect(t) for t in texts]
    other = voile.Pipeline(key=b"another-key-of-sufficient-length")
    assert other.pseudonymise(texts[0], ids[0]).text != batch[0].text


def test_scopes_document_and_patient(pipeline):
    text = "Patient : Jean DUPONT, vu le 12/03/2021."
    a = pipeline.pseudonymise(text, "d1", "p1").text
    assert pipeline.pseudonymise(text, "d2", "p1").text == a  # same patient
    assert pipeline.pseudonymise(text, "d1", "p2").text != a
    assert pipeline.pseudonymise(text, "d1").text != pipeline.pseudonymise(text, "d2").text
    assert pipeline.pseudonymise(text, 7).text == pipeline.pseudonymise(text, "7").text


def test_batches_release_the_gil(pipeline, synth_records):
    """While one thread runs a batch, another thread keeps running Python code."""
    texts = [r["text"] for r in synth_records] * 3
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)
            done.wait(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        before = len(ticks)
        pipeline.detect_batch(texts)
        during = len(ticks) - before
    finally:
        done.set()
        t.join()
    assert during > 20


def test_module_metadata(pipeline):
    assert "NOM" in voile.LABELS and "ID" in voile.LABELS and len(voile.LABELS) == 14
    assert voile.__version__
    assert pipeline.detectors == ["rules", "gazetteer", "ner"]
    assert pipeline.config["surrogate"]["scope"] == "patient"
