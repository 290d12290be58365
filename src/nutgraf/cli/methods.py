"""``nutgraf methods``: the available methods and the versioned scorers behind them."""

from __future__ import annotations

import argparse

from nutgraf.cli.common import Subcommands
from nutgraf.contracts import Options
from nutgraf.errors import EXIT_OK
from nutgraf.registry import get_scorer, method_names, resolve


def add_parser(sub: Subcommands) -> None:
    m = sub.add_parser(
        "methods", help="list the available methods", description="List the available methods."
    )
    m.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    for name in method_names():
        alias, versioned = resolve(name)
        suffix = f" (= {alias})" if name == "default" else ""
        scorer = get_scorer(versioned)
        if name != "default" and scorer.uses_model:
            suffix = f", model {scorer.prepare(Options(method=name))} (bundled)"
        print(f"{name:10s} {versioned}{suffix}")
    return EXIT_OK
