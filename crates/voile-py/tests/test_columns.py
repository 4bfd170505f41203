"""pandas, polars and Arrow helpers give the batch API's answers, keep nulls, and default the
document id to the row position."""

from __future__ import annotations

import pytest

import voile

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

import voile.arrow  # noqa: E402
import voile.pandas  # noqa: E402
import voile.polars  # noqa: E402


@pytest.fixture(scope="module")
def table(sample_records):
    recs = sample_records[:8]
    texts = [r["text"] for r in recs]
    texts[3] = None
    return {
        "doc": [r["id"] for r in recs],
        "pat": [r["meta"]["patient_id"] for r in recs],
        "who": [r["meta"]["patient"] for r in recs],
        "text": texts,
    }


def _expected(pipeline, table, ids=None):
    rows = [i for i, t in enumerate(table["text"]) if t is not None]
    res = pipeline.pseudonymise_batch(
        [table["text"][i] for i in rows],
        [ids[i] if ids else str(i) for i in rows],
        [table["pat"][i] for i in rows],
        patients=[table["who"][i] for i in rows],
    )
    out = [None] * len(table["text"])
    for i, r in zip(rows, res):
        out[i] = r.text
    return out


def test_pandas(pipeline, table):
    df = pd.DataFrame(table)
    out = voile.pandas.pseudonymise(
        df, "text", pipeline=pipeline, id_column="doc", patient_id_column="pat", patient_column="who",
        spans_column="spans",
    )
    assert out["text"].tolist() == _expected(pipeline, table, table["doc"])
    assert out["spans"][3] is None and out["spans"][0][0]["operator"] == "surrogate"
    # Input untouched (pandas 3 stores the missing text as NaN).
    assert df["text"].tolist()[:3] == table["text"][:3] and pd.isna(df["text"][3])
    by_pos = voile.pandas.pseudonymise(
        df, "text", pipeline=pipeline, patient_id_column="pat", patient_column="who", out_column="pseudo"
    )
    assert by_pos["pseudo"].tolist() == _expected(pipeline, table)
    det = voile.pandas.detect(df, "text", pipeline=pipeline, patient_column="who")
    assert det["spans"][3] is None
    assert det["spans"][0] == [s.to_dict() for s in pipeline.detect(table["text"][0], table["who"][0])]


def test_polars(pipeline, table):
    df = pl.DataFrame({k: v for k, v in table.items() if k != "who"})
    out = voile.polars.pseudonymise(df, "text", pipeline=pipeline, id_column="doc", patient_id_column="pat")
    rows = [i for i, t in enumerate(table["text"]) if t is not None]
    exp = pipeline.pseudonymise_batch([table["text"][i] for i in rows], [table["doc"][i] for i in rows],
                                      [table["pat"][i] for i in rows])
    got = out["text"].to_list()
    assert got[3] is None and [got[i] for i in rows] == [r.text for r in exp]
    det = voile.polars.detect(df, "text", pipeline=pipeline)
    assert det["spans"].to_list()[0] == [s.to_dict() for s in pipeline.detect(table["text"][0])]


def test_arrow(pipeline, table):
    texts = pa.array(table["text"], pa.string())
    out = voile.arrow.pseudonymise(
        texts, pipeline=pipeline, patient_ids=pa.array(table["pat"]), patients=table["who"]
    )
    assert out.type == pa.string() and out.to_pylist() == _expected(pipeline, table)
    # A batch cut from a bigger table keeps global row ids.
    tail = voile.arrow.pseudonymise(
        texts.slice(4), pipeline=pipeline, patient_ids=pa.array(table["pat"][4:]),
        patients=table["who"][4:], id_offset=4,
    )
    assert tail.to_pylist() == out.to_pylist()[4:]
    spans = voile.arrow.detect(pa.chunked_array([texts]), pipeline=pipeline)
    assert spans.type == voile.arrow.SPAN_TYPE and spans[3].as_py() is None
    both = voile.arrow.pseudonymise_with_spans(texts, pipeline=pipeline, ids=pa.array(table["doc"]))
    assert both.field("text")[0].as_py() == pipeline.pseudonymise(table["text"][0], table["doc"][0]).text
