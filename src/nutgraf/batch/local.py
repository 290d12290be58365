"""The local batch engine: many inputs to one JSON Lines output, in input order, exactly one row per record,
crash-safe.

Records stream through a bounded window, so memory stays flat however large the input. Never losing a
record: rows are appended in input order and, after every window, the output is flushed and fsynced and a
checkpoint (``OUT.checkpoint``: records done, bytes written) is atomically replaced. After a crash or
``kill -9`` the output's complete rows are all valid; ``resume`` truncates the output to the checkpoint's
byte count and skips that many records, so nothing is lost or written twice and the final rows equal those
of an uninterrupted run.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from itertools import islice
from pathlib import Path
from typing import IO, Any, cast

from nutgraf.batch.job import (
    Job,
    Progress,
    Record,
    Tally,
    WorkerDied,
    encode_row,
    is_bug,
    make_job,
    process_record,
)
from nutgraf.contracts import Options
from nutgraf.errors import BatchError
from nutgraf.pipeline import summarizer_for
from nutgraf.summarizer import Summarizer

WINDOW_PER_WORKER = 64
"""Records handed to each worker per window: large enough to keep workers busy, small enough that a
window's rows are a few hundred kilobytes."""

_WORKER: tuple[Options, Summarizer] | None = None
"""In a worker process: the job's options and their Summarizer (the parent's, when the worker was forked)."""


def _init(options: Options, parent: int) -> None:
    global _WORKER
    _die_with_parent(parent)
    # Ctrl-C is the parent's to handle (it stops the pool and says so); a worker that took it too would
    # print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER = (options, summarizer_for(options))


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Ask Linux to send this worker SIGTERM when the batch process dies, however it dies (SIGKILL too):
    a killed job must leave no worker behind, or every kill + --resume cycle would add orphans."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl here: workers end with the pool as before
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _work(record: Record) -> tuple[str, bool]:
    assert _WORKER is not None
    return process_record(record, *_WORKER)


def map_ordered(
    records: Iterable[Record], options: Options, workers: int
) -> Iterator[list[tuple[str, bool]]]:
    """Rows for the records, in input order, one window at a time; at most one window in flight, so
    memory stays flat for any input size."""
    window = max(1, workers) * WINDOW_PER_WORKER
    iterator = iter(records)
    if workers <= 1:
        summarizer = summarizer_for(options)
        while chunk := list(islice(iterator, window)):
            yield [process_record(r, options, summarizer) for r in chunk]
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init, initargs=(options, os.getpid())
    ) as pool:
        while chunk := list(islice(iterator, window)):
            try:
                yield list(pool.map(_work, chunk, chunksize=max(1, len(chunk) // (workers * 4))))
            except BrokenProcessPool as exc:
                raise WorkerDied(
                    "a worker process died (killed, or out of memory?) while summarizing; every row written "
                    "so far is valid: run the same command again with --resume"
                ) from exc


@dataclass
class Checkpoint:
    path: Path
    fingerprint: str
    records: int = 0
    ok: int = 0
    failed: int = 0
    bytes: int = 0
    complete: bool = False
    bugs: int = 0

    def save(self) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "path"}
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    @classmethod
    def load(cls, path: Path) -> Checkpoint | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, **{f.name: data[f.name] for f in fields(cls) if f.name in data})
        except (OSError, ValueError, TypeError):
            return None


class _Output:
    """Appends rows; for ``.gz`` each flush closes a gzip member, so every flushed byte count is a valid
    gzip file on its own."""

    def __init__(self, path: Path, offset: int) -> None:
        self.path = path
        self.gz = path.name.endswith(".gz")
        self.raw = open(path, "r+b" if path.exists() else "wb")  # noqa: SIM115 - closed in close()
        self.raw.truncate(offset)
        self.raw.seek(offset)
        self.buffer = io.BytesIO()

    def write(self, line: str) -> None:
        self.buffer.write(encode_row(line))

    def flush(self) -> int:
        data = self.buffer.getvalue()
        self.buffer = io.BytesIO()
        if data:
            self.raw.write(gzip.compress(data, mtime=0) if self.gz else data)
        self.raw.flush()
        os.fsync(self.raw.fileno())
        return self.raw.tell()

    def close(self) -> None:
        self.raw.close()


def run_local(
    paths: Sequence[str], out: str, options: Options, *, progress: Progress | None = None, **job: Any
) -> Tally:
    """Summarize every record of ``paths`` into ``out`` (JSON Lines, ``.gz`` for gzip), crash-safely;
    ``job`` takes ``make_job``'s keywords (workers, resume, overwrite, max_bytes, reading)."""
    return run_job(make_job(paths, out, options, **job), progress)


def run_job(job: Job, progress: Progress | None = None) -> Tally:
    out_path = Path(job.out)
    checkpoint = _start(job, out_path)
    tally = Tally(
        records=checkpoint.records, ok=checkpoint.ok, failed=checkpoint.failed, bugs=checkpoint.bugs
    )
    tally.skipped = checkpoint.records
    if checkpoint.complete:
        return tally
    total = job.count() if progress else None
    start = time.perf_counter()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    output = _Output(out_path, checkpoint.bytes)
    try:
        checkpoint.save()
        records = islice(job.records(), checkpoint.records, None)
        for rows in map_ordered(records, job.options, job.workers):
            for line, ok in rows:
                output.write(line)
                tally.ok += ok
                tally.failed += not ok
                tally.bugs += is_bug(line, ok)
            tally.records += len(rows)
            checkpoint.bytes = output.flush()
            checkpoint.records, checkpoint.ok, checkpoint.failed = tally.records, tally.ok, tally.failed
            checkpoint.bugs = tally.bugs
            checkpoint.save()
            if progress:
                progress(tally.records, total)
        checkpoint.complete = True
        checkpoint.save()
    finally:
        output.close()
        tally.seconds = time.perf_counter() - start
    return tally


def _start(job: Job, out_path: Path) -> Checkpoint:
    """The checkpoint to continue from: the previous run's (``resume``), or a fresh one."""
    fingerprint = job.fingerprint()
    ckpt_path = out_path.with_name(out_path.name + ".checkpoint")
    if job.resume and "-" in job.paths:
        raise BatchError(
            "--resume cannot continue a job that reads standard input: nutgraf cannot tell whether the same "
            "records come again. Save the input to a file and run from that"
        )
    if not job.resume:
        if out_path.exists() and not job.overwrite:
            raise BatchError(
                f"{job.out} exists; pass --resume to continue that job, or --overwrite to replace it"
            )
        ckpt_path.unlink(missing_ok=True)  # a fresh job: an old checkpoint must never describe the new output
        return Checkpoint(ckpt_path, fingerprint)
    previous = Checkpoint.load(ckpt_path)
    if previous is None:
        if out_path.exists() and out_path.stat().st_size:
            raise BatchError(
                f"{job.out}: no checkpoint ({ckpt_path.name}) to resume from; run without --resume to start "
                "over (add --overwrite to replace the file)"
            )
        return Checkpoint(ckpt_path, fingerprint)
    if previous.fingerprint != fingerprint:
        raise BatchError(
            f"{job.out} was written from other inputs or options; --resume needs the same command. "
            "Run without --resume and with --overwrite to start over"
        )
    size = out_path.stat().st_size if out_path.exists() else -1
    if size < previous.bytes:
        raise BatchError(
            f"{job.out} is {'missing' if size < 0 else 'shorter than its checkpoint says'}, so the rows it "
            "should hold are gone; run without --resume and with --overwrite to start over"
        )
    return previous


def read_rows(path: str) -> Iterator[dict[str, Any]]:
    """The complete rows of a batch output (plain or gzip), stopping quietly at a torn last row."""
    opened = cast(IO[bytes], gzip.open(path, "rb")) if path.endswith(".gz") else open(path, "rb")  # noqa: SIM115
    with opened as fh:
        try:
            for line in fh:
                if not line.endswith(b"\n"):
                    return
                yield json.loads(line)
        except (EOFError, gzip.BadGzipFile):
            return
