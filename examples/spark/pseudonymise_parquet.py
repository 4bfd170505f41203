#!/usr/bin/env python3
"""Pseudonymise a text column of a Parquet dataset with PySpark and voile.

    python examples/spark/pseudonymise_parquet.py --input in.parquet --output out.parquet \
        --text-column text [--id-column doc_id] [--patient-column patient_id] \
        --key-file /secure/voile.key [--config pipeline.json] [--master local[2]]

Every column is kept; the text column is replaced by its pseudonymised text, exactly what
`voile pseudo` writes for records with the same `id`, `meta.patient_id` and key. Without
--id-column each row's id is its position in the input ("0", "1", …). The engine is built
once per Python worker and the key is read there, from --key-file (see README.md here).
"""

from __future__ import annotations

import argparse
import os
import sys


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", required=True, help="input Parquet file or directory")
    ap.add_argument("--output", required=True, help="output Parquet directory")
    ap.add_argument("--text-column", required=True)
    ap.add_argument("--id-column", help="document ids (default: row position)")
    ap.add_argument("--patient-column", help="patient ids: surrogates shared per patient")
    ap.add_argument("--key-file", required=True, help="key file, readable on every executor")
    ap.add_argument("--config", help="voile JSON config (read on the driver)")
    ap.add_argument("--master", help="Spark master, e.g. local[2] (default: spark-submit's)")
    ap.add_argument(
        "--conf", action="append", default=[], metavar="KEY=VALUE", help="extra Spark setting (repeatable)"
    )
    ap.add_argument("--overwrite", action="store_true", help="replace an existing output")
    return ap.parse_args(argv)


def spark_session(master, conf):
    from pyspark.sql import SparkSession

    # In local mode the Python workers must be this interpreter (the one with voile
    # installed), not whatever `python3` is first on PATH.
    if master and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    b = SparkSession.builder.appName("voile-pseudonymise").config("spark.ui.enabled", "false")
    if master:
        b = b.master(master)
    for kv in conf:
        k, _, v = kv.partition("=")
        b = b.config(k, v)
    return b.getOrCreate()


def main(argv=None) -> int:
    args = parse_args(argv)
    # Fail early on the driver when the key file is visible here (local runs); on a
    # cluster it may exist only on the executors.
    if os.path.exists(args.key_file):
        import voile

        voile.Key.from_file(args.key_file)
    from voile.spark import pseudonymise_dataframe

    spark = spark_session(args.master, args.conf)
    try:
        df = spark.read.parquet(args.input)
        out = pseudonymise_dataframe(
            df,
            args.text_column,
            key_file=os.path.abspath(args.key_file) if os.path.exists(args.key_file) else args.key_file,
            config=args.config,
            id_column=args.id_column,
            patient_column=args.patient_column,
        )
        out.write.mode("overwrite" if args.overwrite else "errorifexists").parquet(args.output)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
