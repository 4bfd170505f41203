#!/usr/bin/env python3
"""Capacity and speed of NER models trained on the same budget (issue 13's sizes study).

For each model directory (written by `voile train --config train/sizes/<size>.json`): the
model alone on every label (`eval/configs/ner-only.json` with that `ner.model_dir`) scored on
style-shift dev and the synthetic test, and its CPU time on one thread over a fixed corpus
(model alone; `voile detect --threads 1`, user+system seconds from the OS), as characters per
CPU-second. Prints one markdown table.

usage: python3 eval/sizes_study.py [--voile target/release/voile] [--speed-corpus FILE]
           [--repeat 3] MODEL_DIR...
"""
import argparse, json, os, resource, subprocess, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def config_for(model_dir):
    with open(os.path.join(HERE, "configs", "ner-only.json")) as f:
        cfg = json.load(f)
    cfg["ner"] = {"model_dir": os.path.abspath(model_dir)}
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump(cfg, f)
    f.close()
    return f.name


def scores(voile, cfg, gold):
    out = subprocess.run([voile, "eval", "--gold", gold, "--config", cfg, "--bootstrap", "0",
                          "--json"], check=True, capture_output=True, text=True).stdout
    r = json.loads(out)
    micro, tok = r["strict"]["micro"], r["token"]
    return micro["precision"], micro["recall"], micro["f1"], tok["precision"], tok["recall"]


def cpu_seconds(voile, cfg, corpus):
    """User + system CPU seconds of one single-threaded model-alone run over `corpus`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([voile, "--threads", "1", "detect", "--config", cfg, corpus,
                        "--out", os.path.join(d, "out.jsonl")], check=True,
                       capture_output=True, env=dict(os.environ, CANDLE_NUM_THREADS="1"))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def corpus_chars(corpus):
    with open(corpus, encoding="utf-8") as f:
        return sum(len(json.loads(line)["text"]) for line in f if line.strip())


def describe(model_dir):
    with open(os.path.join(model_dir, "config.json")) as f:
        c = json.load(f)
    with open(os.path.join(model_dir, "training-report.json")) as f:
        r = json.load(f)
    shape = f'{c["hidden_size"]} × {c["num_hidden_layers"]} (FFN {c["intermediate_size"]})'
    return shape, r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--voile", default=os.path.join(ROOT, "target/release/voile"))
    ap.add_argument("--speed-corpus", default=os.path.join(ROOT, "corpora/synthetic/test.jsonl"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("models", nargs="+")
    a = ap.parse_args()
    chars = corpus_chars(a.speed_corpus)
    print("| model | parameters | epochs (best) | training s | style-shift dev strict P / R / F1 "
          "| dev token P / R | synthetic test strict F1 | token R | chars per CPU-s (model alone) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for m in a.models:
        cfg = config_for(m)
        shape, r = describe(m)
        dev = scores(a.voile, cfg, os.path.join(ROOT, "corpora/styleshift/dev.jsonl"))
        test = scores(a.voile, cfg, os.path.join(ROOT, "corpora/synthetic/test.jsonl"))
        best_cpu = min(cpu_seconds(a.voile, cfg, a.speed_corpus) for _ in range(a.repeat))
        os.unlink(cfg)
        print(f'| {shape} | {r["parameters"]:,} | {len(r["epochs"])} ({r["best_epoch"] + 1}) '
              f'| {r["total_seconds"]:,.0f} | {dev[0]:.3f} / {dev[1]:.3f} / {dev[2]:.3f} '
              f'| {dev[3]:.3f} / {dev[4]:.3f} | {test[2]:.3f} | {test[4]:.3f} '
              f'| {chars / best_cpu:,.0f} |')


if __name__ == "__main__":
    main()
