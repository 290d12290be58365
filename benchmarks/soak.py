"""A soak test of ``nutgraf serve`` on loopback: mixed traffic for 30 minutes, memory and latency watched.

    .venv/bin/python benchmarks/soak.py [--minutes 30] [--data ../shared/data]

Starts ``nutgraf serve`` (one worker process) on 127.0.0.1 on a free port, then:

1. **Idle**: a probe client alone posts typical articles (``POST /v1/summarize``, the default method), one at a
   time, for ``--idle-seconds``; its latencies are the idle server's.
2. **Soak**, for ``--minutes``, all at once:
   - the same probe, one request at a time with a pause between (its p99 is compared with the idle one);
   - ``--clients`` clients with mixed requests and a random pause: the default method (half), ``compress``
     (a quarter: spaCy's parser on words it has not seen, so an unbounded string store would show), batches
     of four, HTML pages; every article is a different real one in turn (thousands of them);
   - ``--slow`` slow clients: half trickle their headers a byte at a time (a slowloris), half send headers and
     then trickle the body; each should get a 408 and the server should not care;
   - an oversized body (3 MB, over the 2 MB limit) every ``--oversized-every`` seconds: each should get a 413.
3. The server's resident memory (``/proc``) is sampled every 5 s; "after warm-up" is the first sample after
   a tenth of the soak (at least a minute).

Prints what was sent and answered, the probe's p50/p99 idle and under soak, and the memory curve. Exits 1 if
any response was a 5xx (or a connection failed), if the probe's p99 under soak is more than twice its idle
p99, or if memory grew more than 10% (and 20 MB) after warm-up. Only loopback is ever targeted.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from load import serving  # benchmarks/load.py: the same server, started the same way

ROOT = Path(__file__).resolve().parent.parent


def load_articles(data: Path, limit: int) -> list[str]:
    out: list[str] = []
    for name in ("validation", "test", "train", "llm_summaries"):
        path = data / "cnndm" / f"{name}.jsonl.gz"
        if not path.exists():
            continue
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                article = json.loads(line).get("article")
                if isinstance(article, str) and article.strip():
                    out.append(article)
                if len(out) >= limit:
                    return out
    if not out:
        raise SystemExit(f"no articles under {data}/cnndm (pass --data)")
    return out


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def quantile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) >= 2 else float("nan")


class Soak:
    def __init__(self, url: str, port: int, articles: list[str], seed: int) -> None:
        self.url, self.port, self.articles = url, port, articles
        self.rng = random.Random(seed)
        self.cursor = 0
        self.statuses: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.latencies: dict[str, list[float]] = {}

    def next_article(self) -> str:
        self.cursor += 1
        return self.articles[self.cursor % len(self.articles)]

    def note(self, kind: str, status: int | str, seconds: float | None = None) -> None:
        self.statuses[f"{kind} {status}"] += 1
        if seconds is not None:
            self.latencies.setdefault(kind, []).append(seconds)

    async def probe(
        self, client: httpx.AsyncClient, until: float, pause: float, probes: list[bytes]
    ) -> list[float]:
        latencies: list[float] = []
        i = 0
        while time.perf_counter() < until:
            body = probes[i % len(probes)]
            i += 1
            start = time.perf_counter()
            try:
                r = await client.post(
                    "/v1/summarize", content=body, headers={"content-type": "application/json"}
                )
                self.note("probe", r.status_code)
                latencies.append(time.perf_counter() - start)
            except httpx.HTTPError as exc:
                self.failures[f"probe {type(exc).__name__}"] += 1
            if pause:
                await asyncio.sleep(pause)
        return latencies

    async def mixed(self, client: httpx.AsyncClient, until: float) -> None:
        while time.perf_counter() < until:
            roll = self.rng.random()
            if roll < 0.5:
                kind, path, payload = "default", "/v1/summarize", {"text": self.next_article()}
            elif roll < 0.75:
                kind, path, payload = (
                    "compress",
                    "/v1/summarize",
                    {"text": self.next_article(), "compress": True},
                )
            elif roll < 0.9:
                docs = [{"id": str(j), "text": self.next_article()} for j in range(4)]
                kind, path, payload = "batch", "/v1/summarize/batch", {"documents": docs}
            else:
                paras = "".join(f"<p>{p}</p>" for p in self.next_article().split("\n") if p.strip())
                nav = "<nav>Home | World | Sport</nav>"
                page = (
                    f"<html><head><title>t</title></head><body>{nav}<article>{paras}</article></body></html>"
                )
                kind, path, payload = "html", "/v1/summarize", {"html": page}
            start = time.perf_counter()
            try:
                r = await client.post(path, json=payload)
                self.note(kind, r.status_code, time.perf_counter() - start)
            except httpx.HTTPError as exc:
                self.failures[f"{kind} {type(exc).__name__}"] += 1
            await asyncio.sleep(self.rng.uniform(0.0, 0.2))

    async def slow(self, until: float, which: int) -> None:
        """A client that trickles its headers (even ``which``) or its body (odd), a byte every second."""
        kind = "slow-headers" if which % 2 == 0 else "slow-body"
        while time.perf_counter() < until:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError as exc:
                self.failures[f"{kind} connect {type(exc).__name__}"] += 1
                await asyncio.sleep(1)
                continue
            if kind == "slow-headers":
                head = b"POST /v1/summarize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                trickle = b"X-Padding: " + b"a" * 200
            else:
                head = (
                    b"POST /v1/summarize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 100000\r\n\r\n"
                )
                trickle = b'{"text": "' + b"word " * 100
            try:
                writer.write(head)
                await writer.drain()
                read = asyncio.ensure_future(reader.read(65536))
                for byte in trickle:
                    if read.done() or time.perf_counter() >= until:
                        break
                    writer.write(bytes([byte]))
                    await writer.drain()
                    await asyncio.wait({read}, timeout=1.0)
                answer = (
                    await asyncio.wait_for(read, timeout=30)
                    if read.done() or time.perf_counter() < until
                    else b""
                )
                if not read.done():
                    read.cancel()
                status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
                if status:
                    self.note(kind, status)
                elif time.perf_counter() < until:
                    self.failures[f"{kind} no answer"] += 1
            except (TimeoutError, OSError) as exc:
                if time.perf_counter() < until:
                    self.failures[f"{kind} {type(exc).__name__}"] += 1
            finally:
                writer.close()

    async def oversized(self, client: httpx.AsyncClient, until: float, every: float) -> None:
        body = json.dumps({"text": "All work and no play makes Jack a dull boy. " * 70_000}).encode()
        while time.perf_counter() < until:
            start = time.perf_counter()
            try:
                r = await client.post(
                    "/v1/summarize", content=body, headers={"content-type": "application/json"}
                )
                self.note("oversized", r.status_code, time.perf_counter() - start)
            except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError):
                # The server may refuse (413) and close before the client has sent 3 MB: that is a refusal too.
                self.note("oversized", "closed-mid-upload")
            except httpx.HTTPError as exc:
                self.failures[f"oversized {type(exc).__name__}"] += 1
            await asyncio.sleep(every)


async def watch_memory(pid: int, until: float, samples: list[tuple[float, float]], t0: float) -> None:
    while time.perf_counter() < until:
        samples.append((time.perf_counter() - t0, rss_mb(pid)))
        await asyncio.sleep(5)
    samples.append((time.perf_counter() - t0, rss_mb(pid)))


async def run(args: argparse.Namespace, url: str, port: int, pid: int) -> int:
    articles = load_articles(args.data, args.articles)
    soak = Soak(url, port, articles, args.seed)
    probes = [json.dumps({"text": a}).encode() for a in articles[:50]]
    limits = httpx.Limits(max_connections=args.clients + 4, max_keepalive_connections=args.clients + 4)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60.0) as client:
        await soak.probe(client, time.perf_counter() + 5, 0.0, probes)  # warm-up, not counted
        idle = await soak.probe(client, time.perf_counter() + args.idle_seconds, args.probe_pause, probes)
        idle_rss = rss_mb(pid)
        t0 = time.perf_counter()
        until = t0 + args.minutes * 60
        memory: list[tuple[float, float]] = []
        tasks = [
            soak.probe(client, until, args.probe_pause, probes),
            watch_memory(pid, until, memory, t0),
            soak.oversized(client, until, args.oversized_every),
            *(soak.mixed(client, until) for _ in range(args.clients)),
            *(soak.slow(until, i) for i in range(args.slow)),
        ]
        results = await asyncio.gather(*tasks)
    loaded: list[float] = results[0]
    warm_at = max(60.0, args.minutes * 6)
    warm = next((m for t, m in memory if t >= warm_at), memory[-1][1])
    end = memory[-1][1]
    peak = max(m for _, m in memory)
    fives = {k: v for k, v in soak.statuses.items() if k.split()[-1].startswith("5")}
    failures = {k: v for k, v in soak.failures.items() if v}
    ratio = quantile(loaded, 99) / quantile(idle, 99)
    grew = end - warm

    print(
        f"nutgraf serve, 1 worker process, loopback, same 2-core machine; soak {args.minutes:g} min after "
        f"{args.idle_seconds:g} s idle; {args.clients} mixed clients (pause 0-200 ms), {args.slow} slow clients, "
        f"a 3 MB body every {args.oversized_every:g} s; {len(articles):,} distinct articles\n"
    )
    print("| requests | answered |\n|---|---|")
    kinds: dict[str, Counter[str]] = {}
    for key, n in soak.statuses.items():
        kind, status = key.rsplit(" ", 1)
        kinds.setdefault(kind, Counter())[status] += n
    for kind in sorted(kinds):
        print(f"| {kind} | " + ", ".join(f"{n:,} × {s}" for s, n in sorted(kinds[kind].items())) + " |")
    print("\n| probe (default method, typical article) | requests | p50 ms | p99 ms |\n|---|---:|---:|---:|")
    print(f"| idle server | {len(idle):,} | {quantile(idle, 50):.1f} | {quantile(idle, 99):.1f} |")
    print(f"| under soak | {len(loaded):,} | {quantile(loaded, 50):.1f} | {quantile(loaded, 99):.1f} |")
    print(f"\np99 under soak / idle: {ratio:.2f}x")
    for kind in ("default", "compress", "batch", "html"):
        if kind in soak.latencies:
            lat = soak.latencies[kind]
            print(f"{kind}: p50 {quantile(lat, 50):.1f} ms, p99 {quantile(lat, 99):.1f} ms")
    curve = ", ".join(f"{t / 60:.0f} min {m:.0f}" for t, m in memory[:: max(1, len(memory) // 10)])
    print(
        f"\nserver memory (RSS, MB): idle {idle_rss:.1f}, after warm-up ({warm_at / 60:.0f} min) {warm:.1f}, "
        f"end {end:.1f}, peak {peak:.1f}; growth after warm-up {grew:+.1f} MB\ncurve: {curve}"
    )
    print(f"5xx responses: {sum(fives.values())} {fives or ''}; connection failures: {failures or 0}")
    ok = not fives and not failures and ratio <= 2.0 and not (grew > 20 and grew > 0.1 * warm)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--idle-seconds", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--slow", type=int, default=32)
    ap.add_argument("--oversized-every", type=float, default=2.0)
    ap.add_argument("--probe-pause", type=float, default=0.1, help="seconds between probe requests")
    ap.add_argument("--articles", type=int, default=40_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    with serving(1, attempts=300) as (url, port, pid):
        return asyncio.run(run(args, url, port, pid))


if __name__ == "__main__":
    sys.exit(main())
