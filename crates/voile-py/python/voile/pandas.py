"""pandas helpers: a text column in, a pseudonymised column (or spans) out.

    >>> import voile, voile.pandas
    >>> p = voile.Pipeline(key_file="secret.key")
    >>> out = voile.pandas.pseudonymise(df, "text", pipeline=p, id_column="doc_id",
    ...                                 patient_id_column="patient_id")

Rows are processed in one parallel batch per call (GIL released). Missing texts stay missing.
Without ``id_column`` the row position ("0", "1", …) is the document id.
"""

from __future__ import annotations

from typing import Any, Optional

import pandas as pd

from . import _columns
from ._voile import Pipeline


def _col(df: "pd.DataFrame", name: Optional[str]) -> Optional[list]:
    return None if name is None else df[name].tolist()


def detect(
    df: "pd.DataFrame",
    column: str,
    *,
    pipeline: Optional[Pipeline] = None,
    patient_column: Optional[str] = None,
    out_column: str = "spans",
) -> "pd.DataFrame":
    """A copy of ``df`` with ``out_column`` holding each row's spans as lists of dicts
    (``start``, ``end`` in code points, ``label``, ``source``, ``score``).
    ``patient_column``: dicts of the patient's known identity (JSONL ``meta.patient``)."""
    p = _columns.pipeline_or_default(pipeline)
    spans = _columns.detect_lists(p, df[column].tolist(), _col(df, patient_column))
    out = df.copy()
    out[out_column] = pd.Series(spans, index=df.index, dtype=object)
    return out


def pseudonymise(
    df: "pd.DataFrame",
    column: str,
    *,
    pipeline: Optional[Pipeline] = None,
    key: Any = None,
    id_column: Optional[str] = None,
    patient_id_column: Optional[str] = None,
    patient_column: Optional[str] = None,
    out_column: Optional[str] = None,
    spans_column: Optional[str] = None,
) -> "pd.DataFrame":
    """A copy of ``df`` whose ``column`` (or ``out_column``) holds the pseudonymised text.

    ``pipeline`` (or ``key`` for a default pipeline; else ``VOILE_KEY``); ``id_column``:
    document ids (default: row position); ``patient_id_column``: patient ids (the surrogate
    scope); ``patient_column``: known-identity dicts; ``spans_column``: also write the
    replacement spans (code points in the new text, label, operator)."""
    p = _columns.pipeline_or_default(pipeline, key)
    texts, spans = _columns.pseudonymise_lists(
        p,
        df[column].tolist(),
        _col(df, id_column),
        _col(df, patient_id_column),
        _col(df, patient_column),
        with_spans=spans_column is not None,
    )
    out = df.copy()
    out[out_column or column] = pd.Series(texts, index=df.index, dtype=object)
    if spans_column is not None:
        out[spans_column] = pd.Series(spans, index=df.index, dtype=object)
    return out
