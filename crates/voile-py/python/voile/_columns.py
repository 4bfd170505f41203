"""Shared plumbing of the column helpers: Python lists in, batch calls, lists out.

Missing texts (None/NaN) stay missing and are never sent to the engine. Row ids default to
the row position, as strings ("0", "1", …), so the same table gives the same surrogates.
"""

from __future__ import annotations

import math
from typing import Any, List, Optional, Sequence, Tuple

from ._voile import Pipeline


_isna: Any = False  # pandas.isna once imported; None when pandas is absent


def _pandas_isna() -> Any:
    global _isna
    if _isna is False:
        try:
            import pandas as pd  # noqa: PLC0415

            _isna = pd.isna
        except ImportError:
            _isna = None
    return _isna


def is_missing(v: Any) -> bool:
    """None, NaN, pandas NA/NaT: anything that is not a value."""
    if v is None or isinstance(v, (str, dict, list)):
        return v is None
    if isinstance(v, float):
        return math.isnan(v)
    isna = _pandas_isna()
    return bool(isna(v)) if isna is not None and not hasattr(v, "__len__") else False


def _present(texts: Sequence[Any]) -> List[int]:
    return [i for i, t in enumerate(texts) if not is_missing(t)]


def _pick(values: Optional[Sequence[Any]], rows: List[int]) -> Optional[List[Any]]:
    if values is None:
        return None
    return [None if is_missing(values[i]) else values[i] for i in rows]


def _ids(ids: Optional[Sequence[Any]], rows: List[int]) -> List[Any]:
    if ids is None:
        return [str(i) for i in rows]
    out = []
    for i in rows:
        v = ids[i]
        if is_missing(v):
            raise ValueError(f"row {i}: missing id")
        out.append(v if isinstance(v, (str, int)) else str(v))
    return out


def detect_lists(
    pipeline: Pipeline,
    texts: Sequence[Any],
    patients: Optional[Sequence[Any]] = None,
) -> List[Optional[List[dict]]]:
    """Spans as lists of dicts (JSONL span fields) per text; None for a missing text."""
    rows = _present(texts)
    found = pipeline.detect_batch([texts[i] for i in rows], _pick(patients, rows))
    out: List[Optional[List[dict]]] = [None] * len(texts)
    for i, spans in zip(rows, found):
        out[i] = [s.to_dict() for s in spans]
    return out


def pseudonymise_lists(
    pipeline: Pipeline,
    texts: Sequence[Any],
    ids: Optional[Sequence[Any]] = None,
    patient_ids: Optional[Sequence[Any]] = None,
    patients: Optional[Sequence[Any]] = None,
    with_spans: bool = False,
) -> Tuple[List[Optional[str]], Optional[List[Optional[List[dict]]]]]:
    """Pseudonymised texts (None stays None) and, if asked, replacement spans per text."""
    rows = _present(texts)
    results = pipeline.pseudonymise_batch(
        [texts[i] for i in rows],
        _ids(ids, rows),
        _pick(patient_ids, rows),
        patients=_pick(patients, rows),
    )
    out: List[Optional[str]] = [None] * len(texts)
    spans: Optional[List[Optional[List[dict]]]] = [None] * len(texts) if with_spans else None
    for i, r in zip(rows, results):
        out[i] = r.text
        if spans is not None:
            spans[i] = [s.to_dict() for s in r.spans]
    return out, spans


def pipeline_or_default(pipeline: Optional[Pipeline], key: Any = None) -> Pipeline:
    """The given pipeline, or one built with the default config (and ``key``)."""
    if pipeline is not None:
        return pipeline
    return Pipeline(key=key) if key is not None else Pipeline.from_env()
