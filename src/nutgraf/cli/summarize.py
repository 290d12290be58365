"""Print the key points of an article (or of every record of a JSON Lines file, every entry of an RSS/Atom feed,
every text and HTML file of a directory)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from nutgraf.cli import common
from nutgraf.contracts import Article, Rejection, Summary
from nutgraf.errors import EXIT_BUG, EXIT_FAILED, EXIT_OK, UsageError
from nutgraf.ingest import open_input
from nutgraf.render import FORMATS, heading, rejection_to_dict, render, to_json
from nutgraf.summarizer import Summarizer

NAME = "summarize"
SUMMARY = "print the key points of an article"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_input_file(p)
    common.add_reading(p)
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    p.add_argument(
        "--title", help="the article's title (used to keep a repeated headline out of the key points)"
    )
    common.add_options(p)


def add_input_file(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help="input file or directory, or - for stdin (default)",
    )


def check_stdin(args: argparse.Namespace) -> None:
    if args.file == "-" and sys.stdin.isatty():
        raise UsageError("no input: pass a FILE, or pipe the article into nutgraf (… | nutgraf summarize -)")


def run(args: argparse.Namespace) -> int:
    summarizer = Summarizer(common.options_from_args(args))
    check_stdin(args)
    source = open_input(args.file, common.reading_from_args(args))
    failed = count = bugs = 0
    for record in source.records:
        count += 1
        if args.title and isinstance(record, Article) and not record.title:
            record = replace(record, title=args.title)
        result = summarizer(record)
        if isinstance(result, Rejection):
            failed += 1
            bugs += result.reason == "internal"
            common.report(result)
            if args.format == "json":
                print(to_json(rejection_to_dict(result)), flush=source.many)
            continue
        _print(args, result, record if isinstance(record, Article) else None, count, source.many)
    if count == 0:
        print("nutgraf: no records in the input", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_BUG if bugs else EXIT_FAILED if failed else EXIT_OK


def _print(
    args: argparse.Namespace, result: Summary, article: Article | None, count: int, many: bool
) -> None:
    for notice in result.warnings:
        print(f"nutgraf: {common.printable(result.article_id)}: warning: {notice.message}", file=sys.stderr)
    if args.format == "json":
        print(render(result, "json", article, indent=None if many else 2), flush=many)
        return
    if many:
        print(("\n" if count > 1 else "") + heading(result.article_id, args.format))
    print(render(result, args.format, article), flush=many)
