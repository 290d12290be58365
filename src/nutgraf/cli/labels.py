"""For every row (article + highlights) and form (as is, and flattened when it has paragraph breaks): the usable
sentences, the ROUGE-1+2 oracle's picks (binary labels: greedy, or with ``--labels beam`` a beam search)
and each sentence's own ROUGE-1 F + ROUGE-2 F against the highlights (soft labels)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from nutgraf.cli import common
from nutgraf.errors import EXIT_OK, UsageError
from nutgraf.score import LABELERS

NAME = "labels"
SUMMARY = "write the training labels (oracle sentences and per-sentence ROUGE) of articles"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", nargs="+", metavar="DATA", help="JSON Lines files with highlights")
    p.add_argument("--out", required=True, metavar="OUT", help="output JSON Lines (.jsonl or .jsonl.gz)")
    p.add_argument(
        "--no-flat", dest="flat", action="store_false", help="only the text as it is, no flattened copy"
    )
    p.add_argument(
        "--labels",
        choices=tuple(LABELERS),
        default="greedy",
        help="the oracle (default greedy; see train)",
    )
    common.add_workers(p)


def run(args: argparse.Namespace) -> int:
    import gzip

    from nutgraf.learned.train import label_records, read_examples

    for path in args.data:
        if not os.path.isfile(path):
            raise UsageError(f"{path}: no such file")
    examples, _ = read_examples(args.data, flat_copies=args.flat, workers=args.workers, labels=args.labels)
    records = label_records(examples, args.labels)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    try:
        with open(args.out, "wb") as fh:
            fh.write(gzip.compress(lines, mtime=0) if args.out.endswith(".gz") else lines)
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"wrote {len(examples):,} labelled article forms to {args.out}", file=sys.stderr)
    return EXIT_OK
