"""The ``nutgraf`` command: a thin shell over the library, one module per command.

Exit codes (``nutgraf.errors``): 0 everything summarized; 1 some input could not be summarized (each one
reported on stderr, and as an error row in JSON output) or a job stopped part-way; 2 usage error (bad
option, missing file or model, URL, missing extra); 3 a bug in nutgraf (its traceback is printed); 130
interrupted. No traceback for user mistakes.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType

from nutgraf._version import __version__
from nutgraf.cli import batch, evaluate, labels, methods, model, segment, serve, summarize, train
from nutgraf.cli.common import Parser
from nutgraf.errors import EXIT_BUG, EXIT_FAILED, EXIT_OK, EXIT_USAGE, NutgrafError, exit_code

COMMANDS: tuple[ModuleType, ...] = (summarize, segment, evaluate, batch, serve, train, labels, model, methods)
"""Each command is a module with ``NAME``, ``SUMMARY`` (for ``nutgraf --help``), a docstring (for its own
``--help``), ``add_arguments(parser)`` and ``run(args) -> exit code``."""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="nutgraf",
        description="Key points for news articles: highlight sentences taken from the article's own words, "
        "each with character spans back into the input. No network access, ever.",
        epilog="Exit codes: 0 ok, 1 some input could not be summarized, 2 usage error, 3 a bug in nutgraf.",
    )
    parser.add_argument("--version", action="version", version=f"nutgraf {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        p = sub.add_parser(command.NAME, help=command.SUMMARY, description=command.__doc__)
        command.add_arguments(p)
        p.set_defaults(run=command.run)
    return parser


class _Stderr(logging.Handler):
    """nutgraf's log on whatever ``sys.stderr`` is now: a bug's traceback, a warning."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            print(f"nutgraf: {self.format(record)}", file=sys.stderr)
        except Exception:  # pragma: no cover - logging must never take the command down
            self.handleError(record)


def _log_to_stderr() -> None:
    logger = logging.getLogger("nutgraf")
    if not any(isinstance(h, _Stderr) for h in logger.handlers):
        logger.addHandler(_Stderr(logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    _log_to_stderr()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(args)
        return code
    except NutgrafError as exc:
        print(f"nutgraf: error: {exc}", file=sys.stderr)
        return exit_code(exc)
    except BrokenPipeError:
        # The reader went away (``nutgraf ... | head``): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt as exc:
        print("nutgraf: interrupted", file=sys.stderr)
        return exit_code(exc)
    except OSError as exc:
        if exc.errno not in _WRITE_FAILURES:
            return _bug()
        # The disk (or quota) is full, or the device failed: the machine's problem, not a bug of ours.
        where = f" {exc.filename}" if exc.filename else " (standard output)"
        print(f"nutgraf: error: cannot write{where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    except Exception:  # a bug: say so, show where, and never pass it off as a usage error
        return _bug()


_WRITE_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _bug() -> int:
    """Print the traceback of the exception being handled and say it is a bug; ``EXIT_BUG``."""
    traceback.print_exc()
    print(
        f"nutgraf: internal error in nutgraf {__version__}: a bug, please report it with the traceback above",
        file=sys.stderr,
    )
    return EXIT_BUG
