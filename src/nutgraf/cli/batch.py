"""Summarize every record of the inputs into OUT (JSON Lines; .gz for gzip), in input order, one row per record:
the summary (as summarize --format json) or {id, error: {reason, code, message}}. Safe to kill at any moment:
--resume continues where the last run stopped."""

from __future__ import annotations

import argparse
import sys

from nutgraf.batch.job import Job, Tally
from nutgraf.cli import common
from nutgraf.errors import EXIT_BUG, EXIT_FAILED, EXIT_OK, UsageError
from nutgraf.pipeline import summarizer_for
from nutgraf.progress import Progress

NAME = "batch"
SUMMARY = "summarize many articles into one JSON Lines file, crash-safely"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="JSON Lines (.jsonl, .jsonl.gz; '-' for stdin), directories of .txt/.html files, RSS/Atom feeds, "
        "or single documents",
    )
    p.add_argument("--out", required=True, metavar="OUT", help="output JSON Lines file (.jsonl or .jsonl.gz)")
    common.add_workers(p)
    p.add_argument("--resume", action="store_true", help="continue an interrupted job with the same command")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output instead of refusing")
    p.add_argument(
        "--engine", choices=("local", "dask"), default="local", help="local processes, or a Dask cluster"
    )
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="Dask scheduler (default: a local cluster)")
    p.add_argument(
        "--shard-size", type=common.bounded_int(), default=None, help="records per Dask shard (default 1000)"
    )
    common.add_reading(p)
    common.add_options(p)


def run(args: argparse.Namespace) -> int:
    if args.engine != "dask" and (args.scheduler or args.shard_size is not None):
        raise UsageError("--scheduler and --shard-size go with --engine dask")
    options = common.options_from_args(args)
    summarizer_for(options)  # every option checked, every model loaded, before any input is read
    job = Job(
        tuple(args.inputs),
        args.out,
        options,
        common.reading_from_args(args),
        args.workers,
        args.resume,
        args.overwrite,
    )
    progress = Progress("nutgraf batch", unit="records")
    try:
        tally = _run(args, job, progress if progress.enabled else None)  # no bar, no extra pass to count
    except OSError as exc:
        raise UsageError(f"cannot write the output {args.out}: {exc.strerror or exc}") from exc
    finally:
        progress.close()
    print(tally.line(), file=sys.stderr)
    if tally.records == 0:
        print("nutgraf: no records in the input", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_BUG if tally.bugs else EXIT_FAILED if tally.failed else EXIT_OK


def _run(args: argparse.Namespace, job: Job, progress: Progress | None) -> Tally:
    if args.engine == "dask":
        from nutgraf.batch.dask import run_dask_job

        return run_dask_job(
            job, scheduler=args.scheduler, shard_size=args.shard_size or 1000, progress=progress
        )
    from nutgraf.batch.local import run_job

    return run_job(job, progress)
