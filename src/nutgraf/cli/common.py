"""What every command shares: the argument parser, flags built from ``OPTION_SPECS`` (one definition of
each option's name, default and limits), how inputs are read, and how a rejected record is reported."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from nutgraf.contracts import OPTION_SPECS, Options, OptionSpec, Rejection
from nutgraf.errors import EXIT_USAGE, NutgrafError, UsageError
from nutgraf.ingest import INPUT_FORMATS, Reading, max_bytes_from_env
from nutgraf.registry import method_names, resolve
from nutgraf.render import printable as printable  # re-exported: the commands print ids with it


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"nutgraf: error: {message}\n")


def bounded_int(low: int = 1, high: float | None = None) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {raw!r}") from None
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high:g}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"must be {bound}, got {value}")
        return value

    parse.__name__ = "number"
    return parse


def positive_seconds(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {raw!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {raw}")
    return value


def _checked(spec: OptionSpec, convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse type that converts and then checks the value with the option's own limits."""

    def parse(raw: str) -> Any:
        try:
            value = convert(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a {spec.kind} value, got {raw!r}") from None
        try:
            spec.check(value)
        except NutgrafError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return value

    parse.__name__ = spec.kind
    return parse


def language_code(raw: str) -> str:
    """``--lang``: an ISO 639-1 code, in any case."""
    from nutgraf.lang import ISO_639_1

    code = raw.strip().lower()
    if code not in ISO_639_1:
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not an ISO 639-1 language code (two letters: en, de, id, vi, zh, ...)"
        )
    return code


def _method(raw: str) -> str:
    try:
        resolve(raw)
    except NutgrafError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return raw


_FLAGS = {"k": ("-k",), "language": ("--lang", "--language")}
_METAVARS = {"model": "PATH", "max_words_per_point": "N"}


def add_options(p: argparse.ArgumentParser, *, skip: Iterable[str] = ()) -> None:
    """A flag for every ``Options`` field (except ``skip``), from its spec; every default is None, so
    ``options_from_args`` leaves unset options at ``Options``' own defaults."""
    skipped = set(skip)
    for spec in OPTION_SPECS:
        if spec.name in skipped:
            continue
        flags = _FLAGS.get(spec.name, (spec.flag,))
        common: dict[str, Any] = {"dest": spec.name, "default": None, "help": spec.help}
        if spec.kind == "bool":
            p.add_argument(*flags, action=argparse.BooleanOptionalAction, **common)
        elif spec.name == "method":
            names = ", ".join(method_names())
            p.add_argument(
                *flags,
                type=_method,
                help=f"how to score sentences: {names} (default: default)",
                **{k: v for k, v in common.items() if k != "help"},
            )
        elif spec.name == "references":
            p.add_argument(
                *flags,
                dest="references",
                metavar="FILE",
                default=None,
                help="reference highlights, one per line, for --method oracle on a single text/HTML document",
            )
        elif spec.name == "language":
            p.add_argument(*flags, type=language_code, metavar="CODE", **common)
        elif spec.kind == "choice":
            p.add_argument(*flags, choices=spec.choices, **common)
        else:
            convert: Callable[[str], Any] = {"int": int, "float": float}.get(spec.kind, str)
            p.add_argument(*flags, type=_checked(spec, convert), metavar=_METAVARS.get(spec.name), **common)


def options_from_args(args: argparse.Namespace, **fixed: Any) -> Options:
    """The ``Options`` the flags ask for (only those given; the rest keep their defaults)."""
    values: dict[str, Any] = {}
    for spec in OPTION_SPECS:
        value = getattr(args, spec.name, None)
        if value is not None:
            values[spec.name] = value
    if isinstance(values.get("references"), str):
        values["references"] = read_references(values["references"])
    if values.get("model"):
        # An absolute path: batch workers (and Dask workers on other machines) may run elsewhere.
        values["model"] = os.path.abspath(os.path.expanduser(values["model"]))
    values.update(fixed)
    return Options(**values)


def read_references(path: str) -> tuple[str, ...]:
    try:
        with open(path, encoding="utf-8") as fh:
            return tuple(line.strip() for line in fh if line.strip())
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the references ({exc})") from exc


def add_reading(p: argparse.ArgumentParser) -> None:
    """How inputs are read: the same flags for summarize, segment and batch."""
    p.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        default="auto",
        help="text, html (article body extracted with trafilatura), jsonl (one record per line: "
        '{"id", "text" or "article", "title"?}), json (one such record), feed (RSS/Atom); auto (default) '
        "decides by file name and content. A directory reads its .txt and .html files",
    )
    p.add_argument("--encoding", help="decode the input with this encoding (default: UTF-8, or a BOM's)")
    p.add_argument(
        "--max-bytes",
        type=bounded_int(),
        default=None,
        help="largest document accepted, in bytes (default 5,000,000, or $NUTGRAF_MAX_BYTES)",
    )


def reading_from_args(args: argparse.Namespace) -> Reading:
    return Reading(args.input_format, args.encoding, args.max_bytes or max_bytes_from_env())


def add_workers(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--workers", type=bounded_int(), default=os.cpu_count() or 1, help="processes (default: all cores)"
    )


def add_model(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--model",
        metavar="PATH",
        default=None,
        help="model file for the learned method (gbdt), e.g. one trained on your archive with "
        "'nutgraf train' (default: the model nutgraf ships)",
    )


def report(rejection: Rejection) -> None:
    doc_id = printable(rejection.article_id)
    print(f"nutgraf: {doc_id}: {rejection.message} [{rejection.reason}]", file=sys.stderr)
