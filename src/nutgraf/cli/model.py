"""Show what a model file records: name, features, training data and command, validation."""

from __future__ import annotations

import argparse
import json

from nutgraf.errors import EXIT_OK

NAME = "model"
SUMMARY = "show a model file's metadata"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "path", nargs="?", default=None, metavar="MODEL", help="model file (default: the bundled one)"
    )


def run(args: argparse.Namespace) -> int:
    from nutgraf.learned.model import load_model

    model = load_model(args.path)
    meta = dict(model.metadata)
    print(json.dumps({"path": model.source, "id": model.id, **meta}, indent=2, ensure_ascii=False))
    return EXIT_OK
