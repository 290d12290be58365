"""The distributed batch engine: the same job as ``nutgraf batch``, over input shards on a Dask cluster.

The client streams the inputs and cuts them into shards of ``shard_size`` records; each shard goes to a
worker, which summarizes it with the very function the local engine uses and writes one output part
(``OUT.parts/part-00000.jsonl``) atomically (temporary file, fsync, rename). A manifest
(``OUT.parts/manifest.json``) lists the parts in input order with their row counts and SHA-256. Parts
concatenated in manifest order hold exactly the local engine's rows.

The output directory must be reachable by every worker under the same path (a local disk for a local
cluster; a shared filesystem on a real one). ``resume`` keeps every part already renamed into place.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import json
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from nutgraf.batch.job import Job, Progress, Tally, encode_row, is_bug, make_job, process_record
from nutgraf.contracts import Options
from nutgraf.errors import BatchError, JobError, MissingExtra, UsageError, WorkerDied
from nutgraf.pipeline import summarizer_for


def process_shard(records: list[Any], options: Options, part: str) -> dict[str, Any]:
    """Summarize one shard into its part file (runs on a worker). Atomic: the part appears whole or not."""
    path = Path(part)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    ok = failed = bugs = 0
    rows = bytearray()
    summarizer = summarizer_for(options)  # once per worker process and model file version
    for record in records:
        line, success = process_record(record, options, summarizer)
        rows += encode_row(line)
        ok += success
        failed += not success
        bugs += is_bug(line, success)
    data = gzip.compress(bytes(rows), mtime=0) if path.name.endswith(".gz") else bytes(rows)
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    digest = hashlib.sha256(data).hexdigest()
    return {
        "part": path.name,
        "records": ok + failed,
        "ok": ok,
        "failed": failed,
        "bugs": bugs,
        "sha256": digest,
    }


def parts_dir(out: str) -> Path:
    return Path(out + ".parts")


def run_dask(
    paths: Sequence[str],
    out: str,
    options: Options,
    *,
    scheduler: str | None = None,
    shard_size: int = 1000,
    progress: Progress | None = None,
    **job: Any,
) -> Tally:
    """Summarize every record of ``paths`` into ``OUT.parts/`` on a Dask cluster (``scheduler``, or a
    local cluster of ``workers`` processes), ``shard_size`` records per part; ``job`` takes
    ``make_job``'s keywords (workers, resume, overwrite, max_bytes, reading)."""
    return run_dask_job(
        make_job(paths, out, options, **job), scheduler=scheduler, shard_size=shard_size, progress=progress
    )


@dataclass
class _Run:
    """One Dask run's state: the parts done (by shard index) and the manifest that records them."""

    job: Job
    fingerprint: str
    directory: Path
    tally: Tally
    progress: Progress | None
    done: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def manifest(self) -> Path:
        return self.directory / "manifest.json"

    def collect(self, finished: Any, in_flight: dict[Any, int]) -> None:
        for future in finished:
            index = in_flight.pop(future)
            entry = future.result()
            self.done[index] = entry
            _add(self.tally, entry)
        _write_manifest(self.manifest, self.done, self.fingerprint, complete=False)
        if self.progress:
            self.progress(self.tally.records, None)


def run_dask_job(
    job: Job, *, scheduler: str | None = None, shard_size: int = 1000, progress: Progress | None = None
) -> Tally:
    dist = _distributed()
    directory = parts_dir(job.out)
    run = _Run(job, f"{job.fingerprint()}:{shard_size}", directory, Tally(), progress)
    stale = _check_directory(run)
    start = time.perf_counter()
    client, cluster = _connect(dist, scheduler, job.workers)
    for old in stale:  # only once the cluster answers: a typo in its address must leave the old output be
        old.unlink()
    directory.mkdir(parents=True, exist_ok=True)
    try:
        shards = _submit_all(run, client, dist.wait, shard_size)
        _write_manifest(run.manifest, run.done, run.fingerprint, complete=True, shards=shards)
    except dist.KilledWorker as exc:
        raise WorkerDied(
            "a Dask worker died (killed, or out of memory?) while summarizing; every finished part is valid: "
            "run the same command again with --resume"
        ) from exc
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        run.tally.seconds = time.perf_counter() - start
    run.tally.extra = {"parts": shards, "directory": str(directory)}
    return run.tally


def _distributed() -> Any:
    try:
        dist: Any = importlib.import_module("distributed")
    except ImportError as exc:
        raise MissingExtra("--engine dask", "dask", str(exc)) from exc
    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return dist


def _check_directory(run: _Run) -> list[Path]:
    """What an existing output directory means: the parts to keep (``resume``), the files to delete
    (``overwrite``), or a usage error."""
    if not run.directory.exists():
        return []
    if run.job.resume:
        run.done = _completed_parts(run.manifest, run.directory, run.fingerprint)
        return []
    if not run.job.overwrite:
        raise BatchError(
            f"{run.directory} exists; pass --resume to continue that job, or --overwrite to replace it"
        )
    return list(run.directory.iterdir())


def _connect(dist: Any, scheduler: str | None, workers: int) -> tuple[Any, Any]:
    """A client for ``scheduler``, or for a new local cluster. Connects before the output is touched, so a
    typo in the address leaves nothing behind."""
    if scheduler:
        try:
            return dist.Client(scheduler, timeout="20s"), None
        except OSError as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from exc
    cluster = dist.LocalCluster(
        n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None
    )
    return dist.Client(cluster), cluster


def _submit_all(run: _Run, client: Any, wait: Any, shard_size: int) -> int:
    """Cut the records into shards and keep at most two per worker in flight; returns the shard count."""
    n_workers = max(1, len(client.scheduler_info().get("workers", {})) or run.job.workers)
    in_flight: dict[Any, int] = {}
    iterator = run.job.records()
    suffix = ".gz" if run.job.gz else ""
    index = 0
    while shard := list(islice(iterator, shard_size)):
        if index in run.done:
            run.tally.skipped += len(shard)
            _add(run.tally, run.done[index])
        else:
            part = run.directory / f"part-{index:05d}.jsonl{suffix}"
            future = client.submit(process_shard, shard, run.job.options, str(part), pure=False)
            in_flight[future] = index
            while len(in_flight) >= 2 * n_workers:
                finished, _ = wait(list(in_flight), return_when="FIRST_COMPLETED")
                run.collect(finished, in_flight)
        index += 1
    if in_flight:
        finished, _ = wait(list(in_flight))
        run.collect(finished, in_flight)
    return index


def _add(tally: Tally, entry: dict[str, Any]) -> None:
    tally.records += entry["records"]
    tally.ok += entry["ok"]
    tally.failed += entry["failed"]
    tally.bugs += entry.get("bugs", 0)


def _write_manifest(
    path: Path, done: dict[int, dict[str, Any]], fingerprint: str, *, complete: bool, shards: int = 0
) -> None:
    data = {
        "engine": "dask",
        "fingerprint": fingerprint,
        "complete": complete,
        "parts": [done[i] for i in sorted(done)],
        "records": sum(e["records"] for e in done.values()),
        "failed": sum(e["failed"] for e in done.values()),
    }
    if complete:
        missing = [i for i in range(shards) if i not in done]
        if missing:
            raise JobError(f"shards {missing[:5]} did not finish; run the same command again with --resume")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _completed_parts(manifest_path: Path, directory: Path, fingerprint: str) -> dict[int, dict[str, Any]]:
    """The parts a previous run finished: in the manifest, present, and matching their checksum."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if manifest.get("fingerprint") != fingerprint:
        raise BatchError(
            f"{directory} was written from other inputs, options or shard size; --resume needs the same "
            "command. Run without --resume and with --overwrite to start over"
        )
    done: dict[int, dict[str, Any]] = {}
    for entry in manifest.get("parts", []):
        part = directory / entry["part"]
        if part.exists() and hashlib.sha256(part.read_bytes()).hexdigest() == entry["sha256"]:
            done[int(entry["part"].split("-")[1].split(".")[0])] = entry
    return done


def read_parts(out: str) -> list[str]:
    """The rows of a finished Dask job, in input order (parts concatenated in manifest order)."""
    directory = parts_dir(out)
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    lines: list[str] = []
    for entry in manifest["parts"]:
        data = (directory / entry["part"]).read_bytes()
        if entry["part"].endswith(".gz"):
            data = gzip.decompress(data)
        lines.extend(data.decode("utf-8").splitlines())
    return lines
