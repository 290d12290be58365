"""End-to-end speed of nutgraf's methods on one core, beside baselines measured in the same run.

    .venv/bin/python benchmarks/throughput.py [--data ../shared/data] [--limit 1000] [--repeat 3]

Each method runs the whole path a user runs: text in, clean, segment, score, select, render JSON out.
Articles: the shared validation and test articles (read once, before timing). Peers in the same run:
- ``naive-lead3``: split on ". " and take three: the floor any summarizer's speed is measured against;
- ``pysbd-lead3``: Lead-3 with pySBD's segmenter, if pysbd is installed (``pip install -e '.[bench]'``).
Prints a Markdown table with articles/second, per-article latency percentiles, and ratios to ``lead``;
then, for the learned method, the model's load time and the peak memory of a fresh process that summarizes
every article with it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from nutgraf import Article, Options, Rejection, summarize_article
from nutgraf.compress.syntax import PARSER_PACKAGE
from nutgraf.learned.model import load_model
from nutgraf.render import render

ROOT = Path(__file__).resolve().parent.parent


def load(data: Path, limit: int) -> list[str]:
    texts: list[str] = []
    for name in ("validation", "test"):
        with gzip.open(data / "cnndm" / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                texts.append(json.loads(line)["article"])
    step = max(1, len(texts) // limit)
    return texts[::step][:limit]


def nutgraf_method(method: str, model: str | None = None, compress: bool = False) -> Callable[[str], str]:
    options = Options(method=method, model=model if method == "gbdt" else None, compress=compress)

    def run(text: str) -> str:
        result = summarize_article(Article("a", text), options)
        if isinstance(result, Rejection):
            return result.message
        return render(result, "json", indent=None)

    return run


def gbdt_trees(model: str | None, compiled: bool) -> Callable[[str], str]:
    """``gbdt`` with its trees predicted by LightGBM or by the compiled kernel (``nutgraf.trees``; by default
    the kernel takes over at a process's 256th article). The same key points either way."""
    run = nutgraf_method("gbdt", model)
    loaded = load_model(model)  # the Summarizer's own (load_model keeps one per file)

    def timed(text: str) -> str:
        if loaded.compiled != compiled:  # the first article of the row
            loaded.compile(compiled)
        return run(text)

    return timed


_NAIVE = re.compile(r"(?<=[.!?])\s+")


def naive_lead3(text: str) -> str:
    return json.dumps(_NAIVE.split(text.strip(), maxsplit=3)[:3])


def pysbd_lead3() -> Callable[[str], str] | None:
    try:
        import pysbd
    except ImportError:
        return None
    seg = pysbd.Segmenter(language="en", clean=False)

    def run(text: str) -> str:
        return json.dumps(seg.segment(text)[:3])

    return run


def measure(fn: Callable[[str], str], texts: list[str], repeat: int) -> tuple[float, list[float]]:
    """Best-of-``repeat`` wall time for the whole set, and per-article latencies from the best run."""
    best = float("inf")
    best_lat: list[float] = []
    for _ in range(repeat):
        lat = []
        t0 = time.perf_counter()
        for text in texts:
            s = time.perf_counter()
            fn(text)
            lat.append(time.perf_counter() - s)
        total = time.perf_counter() - t0
        if total < best:
            best, best_lat = total, lat
    return best, best_lat


_FRESH = """
import gzip, json, sys, time
t0 = time.perf_counter()
from nutgraf.learned.model import load_model
model = load_model(sys.argv[1] or None)
compress = sys.argv[3] == "1"
if compress:
    from nutgraf.compress import model_id
    model_id()  # the compressor's model and spaCy's parser
load = time.perf_counter() - t0
t0 = time.perf_counter()
model.compile()  # what a process pays at its 256th article (trees.COMPILED_AFTER), timed on its own
kernel = time.perf_counter() - t0
from nutgraf import Article, Options, summarize_article
from nutgraf.render import render
from nutgraf.compress.syntax import PARSER_PACKAGE
options = Options(method="gbdt", model=sys.argv[1] or None, compress=compress)
texts = json.load(open(sys.argv[2]))
for t in texts:
    r = summarize_article(Article("a", t), options)
    if hasattr(r, "highlights"):
        render(r, "json", indent=None)
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"load_s": load, "kernel_s": kernel, "peak_mb": peak / 1024, "model": model.id}))
"""


def fresh_process(model: str | None, texts: list[str], compress: bool = False) -> dict[str, float]:
    """Model load time (including importing LightGBM, and with ``compress`` spaCy and its parser) and peak
    memory, in a process of its own."""
    import os
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(texts, fh)
    try:
        out = subprocess.run(
            [sys.executable, "-c", _FRESH, model or "", fh.name, "1" if compress else "0"],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(fh.name)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--limit", type=int, default=1000, help="articles to time (default 1000)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--peer-limit", type=int, default=200, help="articles for the slow pysbd peer")
    ap.add_argument("--model", default=None, help="model file for gbdt (default: the bundled one)")
    args = ap.parse_args(argv)
    texts = load(args.data, args.limit)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    print(
        f"{len(texts)} articles ({mb:.1f} MB) from validation+test; "
        f"Python {platform.python_version()}, one core"
    )
    runs: list[tuple[str, Callable[[str], str], list[str], int]] = [
        ("nutgraf lead", nutgraf_method("lead"), texts, args.repeat),
        ("nutgraf gbdt (learned), LightGBM's trees", gbdt_trees(args.model, False), texts, args.repeat),
        ("nutgraf gbdt (learned), compiled trees", gbdt_trees(args.model, True), texts, args.repeat),
        ("nutgraf gbdt --compress", nutgraf_method("gbdt", args.model, compress=True), texts, args.repeat),
        ("nutgraf textrank", nutgraf_method("textrank"), texts, args.repeat),
        ("naive-lead3 (split on '. ')", naive_lead3, texts, args.repeat),
    ]
    peer = pysbd_lead3()
    if peer is None:
        print("pysbd not installed: pip install -e '.[bench]' to add the pysbd-lead3 peer")
    else:
        runs.append((f"pysbd-lead3 ({args.peer_limit} articles)", peer, texts[: args.peer_limit], 1))
    nutgraf_method("textrank")(texts[0])  # warm caches and imports outside the timed runs
    nutgraf_method("gbdt", args.model, compress=True)(texts[0])
    load_model(args.model).compile()  # the compiled trees loaded once, outside the timed runs
    rows = []
    for name, fn, subset, repeat in runs:
        total, lat = measure(fn, subset, repeat)
        rate = len(subset) / total
        q = statistics.quantiles(lat, n=100)
        rows.append((name, rate, q[49] * 1e3, q[98] * 1e3))
    lead_rate = rows[0][1]
    print("\n| method | articles/s (1 core) | p50 ms | p99 ms | speed vs nutgraf lead |")
    print("|---|---:|---:|---:|---:|")
    for name, rate, p50, p99 in rows:
        print(f"| {name} | {rate:,.0f} | {p50:.2f} | {p99:.2f} | {rate / lead_rate:.2f}x |")
    fresh = fresh_process(args.model, texts)
    print(
        f"\nLearned model {fresh['model']}: loads in {fresh['load_s'] * 1000:.0f} ms in a fresh process "
        f"(LightGBM import included); that process's peak memory after summarizing all {len(texts)} "
        f"articles: {fresh['peak_mb']:.0f} MB. Loading the "
        f"compiled trees (numba, LLVM and the cached kernel) took {fresh['kernel_s'] * 1000:.0f} ms."
    )
    fresh = fresh_process(args.model, texts, compress=True)
    print(
        f"With --compress (the compressor's model and spaCy's {PARSER_PACKAGE} parser): loads in "
        f"{fresh['load_s'] * 1000:.0f} ms in a fresh process; peak memory {fresh['peak_mb']:.0f} MB."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
