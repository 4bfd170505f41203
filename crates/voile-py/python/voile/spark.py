"""PySpark helpers: pseudonymise a DataFrame's text column with ``mapInArrow``.

The engine is built once per Python worker process (module-level cache below; Spark reuses
its Python workers across tasks) and reads the key **on the executor** from a file: the key
is never broadcast or pickled (``voile.Key`` and ``voile.Pipeline`` refuse to pickle).

    >>> from voile.spark import pseudonymise_dataframe
    >>> out = pseudonymise_dataframe(df, "text", key_file="/secure/voile.key", id_column="doc_id")

See ``examples/spark/pseudonymise_parquet.py`` and ``examples/spark/README.md``.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterator, Optional, Tuple

from . import arrow as _arrow
from ._voile import Pipeline

#: Column added on the driver when no id column is given: the row's position in the input.
ROW_INDEX = "__voile_row"

_ENGINES: Dict[Tuple[Optional[str], str], Pipeline] = {}


def _key_path(key_file: str) -> str:
    """The key file on this executor: the given path, else a file shipped with
    ``--files``/``spark.files`` (found by its base name through ``SparkFiles``)."""
    if os.path.exists(key_file):
        return key_file
    try:
        from pyspark import SparkFiles  # noqa: PLC0415

        shipped = SparkFiles.get(os.path.basename(key_file))
        if os.path.exists(shipped):
            return shipped
    except Exception:  # noqa: BLE001 - not in a Spark worker, or no SparkFiles
        pass
    return key_file  # voile then raises ConfigError naming the path


def _one_thread_per_task_cpu() -> None:
    """Spark already runs one task per core, each in its own Python worker: each worker's
    rayon pool gets ``spark.task.cpus`` threads (unless RAYON_NUM_THREADS is set) instead
    of one per machine core, which would oversubscribe the executor."""
    if "RAYON_NUM_THREADS" in os.environ:
        return
    cpus = 1
    try:
        from pyspark import TaskContext  # noqa: PLC0415

        ctx = TaskContext.get()
        if ctx is not None:
            cpus = max(1, int(ctx.cpus()))
    except Exception:  # noqa: BLE001 - outside Spark: one thread is still correct
        pass
    os.environ["RAYON_NUM_THREADS"] = str(cpus)


def engine(key_file: str, config_json: Optional[str] = None) -> Pipeline:
    """The pipeline of this worker for (config, key file), built on first use."""
    cache_key = (config_json, key_file)
    p = _ENGINES.get(cache_key)
    if p is None:
        _one_thread_per_task_cpu()
        config = json.loads(config_json) if config_json else None
        p = Pipeline(config, key_file=_key_path(key_file))
        _ENGINES[cache_key] = p
    return p


def pseudonymise_batches(
    batches: Iterator[Any],
    *,
    text_column: str,
    key_file: str,
    config_json: Optional[str] = None,
    id_column: Optional[str] = None,
    patient_column: Optional[str] = None,
) -> Iterator[Any]:
    """The ``mapInArrow`` function: each ``pyarrow.RecordBatch`` with ``text_column``
    replaced by its pseudonymised text. Ids come from ``id_column`` or, without it, from
    the :data:`ROW_INDEX` column (then dropped); ``patient_column`` holds patient ids."""
    import pyarrow as pa  # noqa: PLC0415

    p = engine(key_file, config_json)
    for batch in batches:
        names = batch.schema.names
        if id_column is not None:
            ids = batch.column(id_column)
        else:
            ids = pa.array([str(i) for i in batch.column(ROW_INDEX).to_pylist()], pa.string())
        patients = batch.column(patient_column) if patient_column is not None else None
        texts = _arrow.pseudonymise(batch.column(text_column), pipeline=p, ids=ids, patient_ids=patients)
        cols = [texts if n == text_column else batch.column(n) for n in names if n != ROW_INDEX]
        yield pa.RecordBatch.from_arrays(cols, names=[n for n in names if n != ROW_INDEX])


def with_row_index(df: Any, name: str = ROW_INDEX) -> Any:
    """``df`` with a 0-based ``name`` column: the row's position in the input as Spark reads
    it (for one Parquet file, its row number). Computed without moving the data: each row's
    ``monotonically_increasing_id`` is (partition << 33) + row-in-partition, and a first
    pass counts the rows of each partition."""
    from pyspark.sql import functions as F  # noqa: PLC0415

    mid = "__voile_mid"
    df = df.withColumn(mid, F.monotonically_increasing_id())
    part = F.expr(f"shiftright({mid}, 33)")
    counts = sorted((r["p"], r["count"]) for r in df.groupBy(part.alias("p")).count().collect())
    offsets, total = [], 0
    for p, n in counts:
        offsets += [F.lit(p), F.lit(total)]
        total += n
    if not offsets:
        return df.withColumn(name, F.lit(0).cast("long")).drop(mid)
    start = F.element_at(F.create_map(*offsets), part)
    row = F.expr(f"{mid} & {(1 << 33) - 1}")
    return df.withColumn(name, (start + row).cast("long")).drop(mid)


def pseudonymise_dataframe(
    df: Any,
    text_column: str,
    *,
    key_file: str,
    config: Optional[Any] = None,
    id_column: Optional[str] = None,
    patient_column: Optional[str] = None,
) -> Any:
    """``df`` with ``text_column`` pseudonymised, through ``mapInArrow``. ``config``: None,
    a dict, or the path of a JSON config on the driver (sent to executors as JSON text)."""
    from functools import partial  # noqa: PLC0415

    from pyspark.sql.types import StringType  # noqa: PLC0415

    if not isinstance(df.schema[text_column].dataType, StringType):
        raise TypeError(f"column {text_column!r} must be a string column")
    if isinstance(config, (str, os.PathLike)):
        with open(config, encoding="utf-8") as f:
            config = json.load(f)
    config_json = json.dumps(config, sort_keys=True) if config is not None else None
    schema = df.schema
    if id_column is None:
        df = with_row_index(df)
    fn = partial(
        pseudonymise_batches,
        text_column=text_column,
        key_file=key_file,
        config_json=config_json,
        id_column=id_column,
        patient_column=patient_column,
    )
    return df.mapInArrow(fn, schema)
