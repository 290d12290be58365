"""Articles per second on one core and peak memory, each method in a fresh process of its own."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Sequence
from typing import Any

from nutgraf.contracts import Options
from nutgraf.evaluate.methods import Producer, base_options, is_ours, make_producer, method_options
from nutgraf.evaluate.rows import EvalRow
from nutgraf.pipeline import compile_trees

FLOOR = "-"
"""The method name of the measuring process that does nothing (reported as ``python+articles``)."""


def _peak_rss_kb() -> int:
    """This process's peak resident memory. Linux's VmHWM belongs to the address space, so it starts afresh
    in a spawned process; ``ru_maxrss`` would carry over the parent's peak from before the exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _nothing(row: EvalRow) -> list[dict[str, Any]]:
    return []


def _speed_child(method: str, options: Options, rows: list[EvalRow], conn: Any) -> None:
    try:
        producer: Producer = make_producer(method, options=options) if method != FLOOR else _nothing
        if method != FLOOR and is_ours(method):
            # Loaded before the clock starts, like the model: a bulk job pays it once (trees.COMPILED_AFTER).
            compile_trees(method_options(options, method))
        t0 = time.perf_counter()
        for row in rows:
            with contextlib.suppress(Exception):  # failures are counted by the ROUGE run; this times attempts
                producer(row)
        elapsed = time.perf_counter() - t0
        conn.send((elapsed, _peak_rss_kb()))
    except Exception as exc:  # report, never hang the parent
        conn.send((math.nan, f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _measure_one(ctx: Any, method: str, options: Options, rows: list[EvalRow]) -> tuple[float, int | str]:
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_speed_child, args=(method, options, rows, child))
    proc.start()
    child.close()
    elapsed: float = math.nan
    peak: int | str = "the measuring process died before reporting"
    while proc.is_alive() or parent.poll(0):
        if parent.poll(0.5):
            with contextlib.suppress(EOFError):
                elapsed, peak = parent.recv()
            break
    proc.join()
    return elapsed, peak


def measure_speed(
    rows: Sequence[EvalRow],
    methods: list[str],
    k: int | None = None,
    model: str | None = None,
    compress: bool = False,
    options: Options | None = None,
) -> dict[str, Any]:
    """Articles per second on one core and peak memory, each method in a fresh process of its own on the
    same articles, with the run's base ``options``. ``python+articles`` is the same process doing nothing:
    the memory floor (interpreter, nutgraf core, rows)."""
    import multiprocessing

    base = base_options(k, model, compress, options)
    ctx = multiprocessing.get_context("spawn")
    out: dict[str, Any] = {}
    for method in [FLOOR, *methods]:
        elapsed, peak = _measure_one(ctx, method, base, list(rows))
        name = "python+articles" if method == FLOOR else method
        if isinstance(peak, str):
            out[name] = {"error": peak}
            continue
        out[name] = {
            "articles": len(rows),
            "seconds": round(elapsed, 3),
            "articles_per_second": round(len(rows) / elapsed, 1) if elapsed > 0 and method != FLOOR else None,
            "peak_rss_mb": round(peak / 1024, 1),
        }
    return out
