"""Print the sentences of a text, one per line, or as JSON with character offsets."""

from __future__ import annotations

import argparse

from nutgraf.clean import clean
from nutgraf.cli import common
from nutgraf.cli.summarize import add_input_file, check_stdin
from nutgraf.contracts import Rejection
from nutgraf.errors import EXIT_FAILED, EXIT_OK
from nutgraf.ingest import open_input
from nutgraf.lang.detect import detect
from nutgraf.registry import get_segmenter
from nutgraf.render import sentences_to_json

NAME = "segment"
SUMMARY = "print an article's sentences"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_input_file(p)
    common.add_reading(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--clean", action="store_true", help="leave out page furniture (datelines, bylines, ...)")
    p.add_argument(
        "--lang",
        "--language",
        dest="language",
        type=common.language_code,
        metavar="CODE",
        default=None,
        help="the text's language, an ISO 639-1 code (default: detected per document)",
    )


def run(args: argparse.Namespace) -> int:
    check_stdin(args)
    segment = get_segmenter()
    failed = 0
    for record in open_input(args.file, common.reading_from_args(args)).records:
        if isinstance(record, Rejection):
            failed += 1
            common.report(record)
            continue
        language = args.language or detect(record.text).code
        regions = clean(record, language).regions if args.clean else None
        sentences = segment(record.text, regions, language=language)
        if args.format == "json":
            print(sentences_to_json(sentences))
        else:
            for s in sentences:
                print(" ".join(s.text.split()))
    return EXIT_FAILED if failed else EXIT_OK
