"""A bounded load test of ``nutgraf serve`` on loopback: concurrency 32 for 30 s, typical articles.

    .venv/bin/python benchmarks/load.py [--concurrency 32] [--seconds 30] [--server-workers 2]

Starts ``nutgraf serve`` on 127.0.0.1 on a free port, posts real articles (the shared validation and test
articles, in turn) to ``POST /v1/summarize`` from an asyncio client, then stops the server. Prints
requests/second, latency percentiles and the error count. The client runs on the same 2-core machine as
the server and takes its share of the CPU, so these numbers are a floor. Only loopback is ever targeted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(workers: int, attempts: int = 200) -> Iterator[tuple[str, int, int]]:
    """``nutgraf serve --workers N`` on 127.0.0.1 on a free port, up once ``/healthz`` answers (checked every
    0.1 s, ``attempts`` times): yields its URL, port and process id, and stops it after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "nutgraf", "serve", "--port", str(port), "--workers", str(workers),
         "--log-level", "warning"],
        env={**os.environ},
    )  # fmt: skip
    try:
        for _ in range(attempts):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        yield url, port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def articles(data: Path, limit: int = 500) -> list[bytes]:
    out: list[bytes] = []
    for name in ("validation", "test"):
        with gzip.open(data / "cnndm" / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                out.append(json.dumps({"text": json.loads(line)["article"], "k": 3}).encode())
                if len(out) >= limit:
                    return out
    return out


def reason(response: httpx.Response) -> str:
    """An error answer's reason (``{"error": {"reason", ...}}`` or a rejected document's ``{"id", "error"}``)."""
    try:
        return str(response.json()["error"]["reason"])
    except (ValueError, KeyError, TypeError):
        return ""


async def run_load(url: str, bodies: list[bytes], concurrency: int, seconds: float) -> dict[str, object]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.perf_counter() + seconds
    counter = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0) as client:

        async def worker() -> None:
            nonlocal counter
            while time.perf_counter() < deadline:
                body = bodies[counter % len(bodies)]
                counter += 1
                start = time.perf_counter()
                try:
                    r = await client.post(
                        "/v1/summarize", content=body, headers={"content-type": "application/json"}
                    )
                    if r.status_code != 200:
                        key = f"{r.status_code} {reason(r)}".strip()
                        errors[key] = errors.get(key, 0) + 1
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                latencies.append(time.perf_counter() - start)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50_ms": q[49] * 1000,
        "p99_ms": q[98] * 1000,
        "max_ms": max(latencies) * 1000,
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--server-workers", type=int, default=2)
    args = ap.parse_args(argv)
    bodies = articles(args.data)
    with serving(args.server_workers) as (url, _, _):
        asyncio.run(run_load(url, bodies[:50], args.concurrency, 2.0))  # warm-up, not counted
        result = asyncio.run(run_load(url, bodies, args.concurrency, args.seconds))
    mean_kb = statistics.fmean(len(b) for b in bodies) / 1000
    print(
        f"POST /v1/summarize, {len(bodies)} real articles in turn (mean body {mean_kb:.1f} kB), k=3; "
        f"server --workers {args.server_workers}; client concurrency {args.concurrency} for {args.seconds:g} s, "
        "same 2-core machine, loopback"
    )
    print("\n| requests | requests/s | p50 ms | p99 ms | max ms | errors |\n|---:|---:|---:|---:|---:|---|")
    errors = result["errors"] or {}
    print(
        f"| {result['requests']:,} | {result['rps']:,.0f} | {result['p50_ms']:.1f} | {result['p99_ms']:.1f} | "
        f"{result['max_ms']:.1f} | {sum(errors.values()) if errors else 0} {errors if errors else ''} |"  # type: ignore[union-attr]
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
