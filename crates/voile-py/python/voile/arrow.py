"""Arrow helpers: a ``pyarrow`` string array in, an array out (what Spark's ``mapInArrow``
and other Arrow engines hand over).

    >>> import pyarrow as pa, voile, voile.arrow
    >>> voile.arrow.pseudonymise(pa.array(["Mme Josiane LEFÈVRE"]), pipeline=p, ids=pa.array(["d1"]))

Nulls stay null. Without ``ids`` the position ("0", "1", …) is the document id.
"""

from __future__ import annotations

from typing import Any, Optional, Union

import pyarrow as pa

from . import _columns
from ._voile import Pipeline

SPAN_TYPE = pa.list_(
    pa.struct(
        [
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("label", pa.string()),
            ("source", pa.string()),
            ("score", pa.float64()),
        ]
    )
)
REPLACEMENT_TYPE = pa.list_(
    pa.struct(
        [("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()), ("operator", pa.string())]
    )
)

ArrayLike = Union["pa.Array", "pa.ChunkedArray"]


def _list(a: Optional[Any]) -> Optional[list]:
    if a is None:
        return None
    return a.to_pylist() if hasattr(a, "to_pylist") else list(a)


def detect(
    texts: ArrayLike,
    *,
    pipeline: Optional[Pipeline] = None,
    patients: Optional[Any] = None,
) -> "pa.Array":
    """A list-of-struct array of spans (code points), one list per text."""
    p = _columns.pipeline_or_default(pipeline)
    return pa.array(_columns.detect_lists(p, _list(texts), _list(patients)), type=SPAN_TYPE)


def pseudonymise(
    texts: ArrayLike,
    *,
    pipeline: Optional[Pipeline] = None,
    key: Any = None,
    ids: Optional[Any] = None,
    patient_ids: Optional[Any] = None,
    patients: Optional[Any] = None,
    id_offset: int = 0,
) -> "pa.Array":
    """A string array of pseudonymised texts. Without ``ids``, row ``i`` gets the id
    ``str(id_offset + i)`` (so a batch cut from a bigger table keeps its global ids)."""
    p = _columns.pipeline_or_default(pipeline, key)
    values = _list(texts)
    id_list = _list(ids)
    if id_list is None:
        id_list = [str(id_offset + i) for i in range(len(values))]
    out, _ = _columns.pseudonymise_lists(p, values, id_list, _list(patient_ids), _list(patients))
    return pa.array(out, type=pa.string())


def pseudonymise_with_spans(
    texts: ArrayLike,
    *,
    pipeline: Optional[Pipeline] = None,
    ids: Optional[Any] = None,
    patient_ids: Optional[Any] = None,
    patients: Optional[Any] = None,
) -> "pa.StructArray":
    """A struct array ``{text, spans}``: pseudonymised text and its replacement spans."""
    p = _columns.pipeline_or_default(pipeline)
    out, spans = _columns.pseudonymise_lists(
        p, _list(texts), _list(ids), _list(patient_ids), _list(patients), with_spans=True
    )
    return pa.StructArray.from_arrays(
        [pa.array(out, type=pa.string()), pa.array(spans, type=REPLACEMENT_TYPE)],
        names=["text", "spans"],
    )
