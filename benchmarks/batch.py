"""Batch throughput and memory: the local engine with 1 and 2 workers and the Dask local cluster, one run.

    .venv/bin/python benchmarks/batch.py [--data ../shared/data] [--repeat 1] [--records 100000]

Input: the shared train and test articles (8,210), written once as JSON Lines; with ``--records N`` they
are repeated under new ids up to N records (the flat-memory check: compare the peak at N with the peak at
the plain run). Each configuration runs ``nutgraf batch`` in a fresh process of its own. Peak memory is
the largest resident set among that process and its workers (VmHWM of the process, ru_maxrss of the
workers it waited for). Prints a Markdown table with records/s and the ratio to one local worker.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
from nutgraf.contracts import Options
engine, src, out, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
t0 = time.perf_counter()
if engine == "dask":
    from nutgraf.batch.dask import run_dask
    tally = run_dask([src], out, Options(), workers=workers, shard_size=1000, overwrite=True, max_bytes=5_000_000)
else:
    from nutgraf.batch import run_local
    tally = run_local([src], out, Options(), workers=workers, overwrite=True, max_bytes=5_000_000)
elapsed = time.perf_counter() - t0
hwm = 0
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        hwm = int(line.split()[1])
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"records": tally.records, "failed": tally.failed, "seconds": elapsed,
                  "self_kb": hwm, "children_kb": children}))
"""


def write_input(data: Path, path: Path, records: int | None) -> int:
    articles: list[str] = []
    for name in ("train", "test"):
        with gzip.open(data / "cnndm" / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
            articles.extend(json.loads(line)["article"] for line in fh)
    n = records or len(articles)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"a{i}", "text": articles[i % len(articles)]}) + "\n")
    return n


def run(engine: str, src: Path, out: Path, workers: int) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, engine, str(src), str(out), str(workers)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def count_rows(out: Path, engine: str) -> int:
    if engine == "dask":
        manifest = json.loads((Path(str(out) + ".parts") / "manifest.json").read_text())
        return sum(p["records"] for p in manifest["parts"])
    with open(out, "rb") as fh:
        return sum(1 for _ in fh)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--records", type=int, default=None, help="repeat the articles up to N records")
    ap.add_argument(
        "--configs",
        default="local:1,local:2,dask:2",
        help="engine:workers list (default local:1,local:2,dask:2)",
    )
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        n = write_input(args.data, src, args.records)
        size = src.stat().st_size / 1e6
        print(
            f"{n:,} records ({size:,.0f} MB of JSON Lines) from the shared train and test articles; 2 cores"
        )
        rows = []
        for config in args.configs.split(","):
            engine, workers = config.split(":")
            out = Path(tmp) / f"out-{engine}-{workers}.jsonl"
            t0 = time.perf_counter()
            result = run(engine, src, out, int(workers))
            wall = time.perf_counter() - t0
            written = count_rows(out, engine)
            assert written == n, f"{config}: {written} rows for {n} records"
            peak = max(result["self_kb"], result["children_kb"]) / 1024
            rows.append((config, n / result["seconds"], result["seconds"], wall, peak, written))
        base = rows[0][1]
        print(
            "\n| engine:workers | records/s | job s | process s (incl. start-up) | peak RSS MB | rows out |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        for config, rate, secs, wall, peak, written in rows:
            print(
                f"| {config} | {rate:,.0f} ({rate / base:.2f}x) | {secs:.1f} | {wall:.1f} | {peak:.0f} | "
                f"{written:,} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
