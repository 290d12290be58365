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
from collections.abc import Callable, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from nutgraf.batch import (
    BatchError,
    Tally,
    _fingerprint,
    describe_inputs,
    encode_row,
    iter_records,
    process_record,
)
from nutgraf.contracts import Options
from nutgraf.ingest import UsageError

INSTALL = "pip install 'nutgraf[dask]'"


def process_shard(records: list[Any], options: Options, part: str) -> dict[str, Any]:
    """Summarize one shard into its part file (runs on a worker). Atomic: the part appears whole or not."""
    path = Path(part)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    ok = failed = 0
    rows = bytearray()
    for record in records:
        line, success = process_record(record, options)
        rows += encode_row(line)
        ok += success
        failed += not success
    data = gzip.compress(bytes(rows), mtime=0) if path.name.endswith(".gz") else bytes(rows)
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    digest = hashlib.sha256(data).hexdigest()
    return {"part": path.name, "records": ok + failed, "ok": ok, "failed": failed, "sha256": digest}


def parts_dir(out: str) -> Path:
    return Path(out + ".parts")


def run_dask(
    paths: Sequence[str],
    out: str,
    options: Options,
    *,
    scheduler: str | None = None,
    workers: int = 1,
    shard_size: int = 1000,
    resume: bool = False,
    overwrite: bool = False,
    max_bytes: int,
    progress: Callable[[int, int | None], None] | None = None,
) -> Tally:
    try:
        dist: Any = importlib.import_module("distributed")
    except ImportError as exc:
        raise UsageError(f"--engine dask needs Dask's distributed scheduler: {INSTALL}") from exc
    Client, LocalCluster, wait = dist.Client, dist.LocalCluster, dist.wait
    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.ERROR)
    inputs = describe_inputs(paths)
    gz = out.endswith(".gz")
    fingerprint = f"{_fingerprint(inputs, options, gz, max_bytes)}:{shard_size}"
    directory = parts_dir(out)
    manifest_path = directory / "manifest.json"
    done: dict[int, dict[str, Any]] = {}
    if directory.exists():
        if resume:
            done = _completed_parts(manifest_path, directory, fingerprint)
        elif not overwrite:
            raise BatchError(
                f"{directory} exists; pass --resume to continue that job, or --overwrite to replace it"
            )
        else:
            for old in directory.iterdir():
                old.unlink()

    start = time.perf_counter()
    cluster = None
    if scheduler:  # connect before touching the output, so a typo in the address leaves nothing behind
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from exc
    else:
        cluster = LocalCluster(
            n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    directory.mkdir(parents=True, exist_ok=True)
    tally = Tally()
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        in_flight: dict[Any, int] = {}
        iterator = iter_records(inputs, max_bytes=max_bytes)
        index = 0
        while True:
            shard = list(islice(iterator, shard_size))
            if not shard:
                break
            if index in done:
                tally.skipped += len(shard)
                _add(tally, done[index])
            else:
                part = directory / f"part-{index:05d}.jsonl{'.gz' if gz else ''}"
                future = client.submit(process_shard, shard, options, str(part), pure=False)
                in_flight[future] = index
                while len(in_flight) >= 2 * n_workers:
                    finished, _ = wait(list(in_flight), return_when="FIRST_COMPLETED")
                    _collect(finished, in_flight, done, tally, manifest_path, progress, fingerprint)
            index += 1
        if in_flight:
            finished, _ = wait(list(in_flight))
            _collect(finished, in_flight, done, tally, manifest_path, progress, fingerprint)
        _write_manifest(manifest_path, done, fingerprint, complete=True, shards=index)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        tally.seconds = time.perf_counter() - start
    tally.extra = {"parts": index, "directory": str(directory)}
    return tally


def _add(tally: Tally, entry: dict[str, Any]) -> None:
    tally.records += entry["records"]
    tally.ok += entry["ok"]
    tally.failed += entry["failed"]


def _collect(
    finished: Any,
    in_flight: dict[Any, int],
    done: dict[int, dict[str, Any]],
    tally: Tally,
    manifest_path: Path,
    progress: Callable[[int, int | None], None] | None,
    fingerprint: str,
) -> None:
    for future in finished:
        index = in_flight.pop(future)
        entry = future.result()
        done[index] = entry
        _add(tally, entry)
    _write_manifest(manifest_path, done, fingerprint, complete=False)
    if progress:
        progress(tally.records, None)


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
            raise BatchError(f"shards {missing[:5]} did not finish; run again with --resume")
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
