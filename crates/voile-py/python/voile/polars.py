"""polars helpers: a text column in, a pseudonymised column (or spans) out.

    >>> import voile, voile.polars
    >>> out = voile.polars.pseudonymise(df, "text", pipeline=p, id_column="doc_id")

Same arguments and results as :mod:`voile.pandas`; spans are a ``List(Struct)`` column.
"""

from __future__ import annotations

from typing import Any, Optional

import polars as pl

from . import _columns
from ._voile import Pipeline

_SPAN = pl.Struct(
    {"start": pl.Int64, "end": pl.Int64, "label": pl.String, "source": pl.String, "score": pl.Float64}
)
_REPLACEMENT = pl.Struct(
    {"start": pl.Int64, "end": pl.Int64, "label": pl.String, "operator": pl.String}
)


def _col(df: "pl.DataFrame", name: Optional[str]) -> Optional[list]:
    return None if name is None else df.get_column(name).to_list()


def detect(
    df: "pl.DataFrame",
    column: str,
    *,
    pipeline: Optional[Pipeline] = None,
    patient_column: Optional[str] = None,
    out_column: str = "spans",
) -> "pl.DataFrame":
    """``df`` with ``out_column`` = each row's spans (``List(Struct)``; null for null text)."""
    p = _columns.pipeline_or_default(pipeline)
    spans = _columns.detect_lists(p, _col(df, column), _col(df, patient_column))
    return df.with_columns(pl.Series(out_column, spans, dtype=pl.List(_SPAN)))


def pseudonymise(
    df: "pl.DataFrame",
    column: str,
    *,
    pipeline: Optional[Pipeline] = None,
    key: Any = None,
    id_column: Optional[str] = None,
    patient_id_column: Optional[str] = None,
    patient_column: Optional[str] = None,
    out_column: Optional[str] = None,
    spans_column: Optional[str] = None,
) -> "pl.DataFrame":
    """``df`` with ``column`` (or ``out_column``) pseudonymised; see :func:`voile.pandas.pseudonymise`."""
    p = _columns.pipeline_or_default(pipeline, key)
    texts, spans = _columns.pseudonymise_lists(
        p,
        _col(df, column),
        _col(df, id_column),
        _col(df, patient_id_column),
        _col(df, patient_column),
        with_spans=spans_column is not None,
    )
    cols = [pl.Series(out_column or column, texts, dtype=pl.String)]
    if spans_column is not None:
        cols.append(pl.Series(spans_column, spans, dtype=pl.List(_REPLACEMENT)))
    return df.with_columns(cols)
