"""Score methods, baselines and peers with ROUGE (Google's rouge-score, stemming on; rougeLsum over
newline-joined sentences) on JSON Lines rows with 'article' (or 'text') and 'highlights'. Means with bootstrap
95% CIs and a paired comparison with lead. Every nutgraf method runs with the option flags given
(--redundancy, --compress, --model for the learned one, ...)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from nutgraf.cli import common
from nutgraf.contracts import MAX_K
from nutgraf.errors import EXIT_FAILED, EXIT_OK
from nutgraf.ingest import check_output_path
from nutgraf.progress import Progress

if TYPE_CHECKING:  # pragma: no cover
    from nutgraf.evaluate import Report


NAME = "evaluate"
SUMMARY = "ROUGE of methods, baselines and peers on reference highlights"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", nargs="+", metavar="DATA", help="JSON Lines files (.jsonl or .jsonl.gz)")
    p.add_argument(
        "--methods",
        default="lead,textrank,oracle",
        help="comma-separated: nutgraf methods (default, lead, textrank, oracle), lead3-plain, para-leads, peers "
        "(sumy-lexrank, sumy-textrank, sumy-lsa, lede), or 'all' (default: lead,textrank,oracle)",
    )
    p.add_argument(
        "-k",
        type=common.bounded_int(1, MAX_K),
        default=None,
        help="key points per article for every method (default: 3, except that the learned method's set "
        "scorer chooses 2-4 per article, as it does in summarize)",
    )
    p.add_argument("--limit", type=common.bounded_int(), default=None, help="score only the first N rows")
    p.add_argument(
        "--by", action="append", default=[], metavar="COLUMN", help="breakdown by a column (repeatable)"
    )
    p.add_argument("--format", choices=("text", "json", "md"), default="text")
    p.add_argument("--per-article", metavar="OUT.jsonl", help="write one row per article and method")
    p.add_argument("--plot", metavar="OUT.png", help="write a bar chart of methods x ROUGE with 95%% CIs")
    common.add_workers(p)
    p.add_argument(
        "--speed", action="store_true", help="also measure articles/s per core and peak memory per method"
    )
    p.add_argument("--seed", type=int, default=None, help="bootstrap seed (default fixed)")
    common.add_options(p, skip=("k", "method", "references", "explain"))


def run(args: argparse.Namespace) -> int:
    from nutgraf import evaluate as ev

    base = common.options_from_args(args, k=args.k)
    for path, what in ((args.per_article, "the per-article rows"), (args.plot, "the plot")):
        if path:
            check_output_path(path, what)  # before minutes of work, not after
    methods = ev.expand_methods(args.methods)
    ev.check_options(base, methods)
    rows, failures = ev.load_rows(args.data, args.limit)
    for f in failures:
        print(f"nutgraf: {common.printable(f.id)}: {f.message} [{f.reason}]", file=sys.stderr)
    if not rows:
        print("nutgraf: error: no rows to score (see the messages above)", file=sys.stderr)
        return EXIT_FAILED
    for column in args.by:
        if all(column not in row.article.metadata for row in rows):
            print(
                f"nutgraf: warning: no row has a {column!r} column; its breakdown has one group, 'unknown'",
                file=sys.stderr,
            )
    seed = ev.SEED if args.seed is None else args.seed
    report = ev.evaluate(
        rows, methods, by=args.by, workers=args.workers, failures=failures, seed=seed,
        progress=Progress("scoring"), options=base,
    )  # fmt: skip
    if args.speed:
        report.speed = ev.measure_speed(rows, methods, options=base)
    _write_outputs(args, report)
    method_failures = [f for f in report.failures if f.method]
    if method_failures:
        print(f"nutgraf: {len(method_failures)} method failures on valid rows (scored 0)", file=sys.stderr)
    return EXIT_FAILED if report.failures else EXIT_OK


def _write_outputs(args: argparse.Namespace, report: Report) -> None:
    from nutgraf import evaluate

    if args.per_article:
        with open(args.per_article, "w", encoding="utf-8") as out:
            for row in evaluate.per_article_rows(report):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    if args.plot:
        evaluate.plot_report(report, args.plot)
    print(evaluate.render_report(report, args.format))
