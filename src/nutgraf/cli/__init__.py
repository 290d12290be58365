"""The ``nutgraf`` command (``nutgraf.cli:main``); each command lives in a module of its own."""

from nutgraf.cli.main import build_parser as build_parser
from nutgraf.cli.main import main as main

__all__ = ["build_parser", "main"]
