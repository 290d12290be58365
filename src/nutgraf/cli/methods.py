"""List the available methods."""

from __future__ import annotations

import argparse

from nutgraf.contracts import Options
from nutgraf.errors import EXIT_OK
from nutgraf.registry import get_scorer, method_names, resolve

NAME = "methods"
SUMMARY = "list the available methods"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """No arguments."""


def run(args: argparse.Namespace) -> int:
    for name in method_names():
        alias, versioned = resolve(name)
        suffix = f" (= {alias})" if name == "default" else ""
        scorer = get_scorer(versioned)
        if name != "default" and scorer.uses_model:
            suffix = f", model {scorer.prepare(Options(method=name))} (bundled)"
        print(f"{name:10s} {versioned}{suffix}")
    return EXIT_OK
