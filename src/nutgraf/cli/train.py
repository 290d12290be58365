"""``nutgraf train``, ``nutgraf labels`` and ``nutgraf model``: the learned scorer's model files."""

from __future__ import annotations

import argparse
import json
import os
import sys

from nutgraf.cli.common import Subcommands, add_workers, bounded_int
from nutgraf.errors import EXIT_OK, UsageError


def add_parsers(sub: Subcommands) -> None:
    from nutgraf.learned.features import FEATURE_GROUPS

    t = sub.add_parser(
        "train",
        help="train the learned scorer on articles with highlights (e.g. your own archive)",
        description="Train the learned scorer (LightGBM over nutgraf's sentence features) on JSON Lines rows "
        "with 'article' (or 'text') and 'highlights', validate it against lead, and write a model file "
        "for --model. The file records the data's SHA-256, the feature version, this command and the "
        "validation scores.",
    )
    t.add_argument(
        "--data", action="append", required=True, metavar="TRAIN", help="training file (repeatable)"
    )
    t.add_argument(
        "--valid", action="append", default=[], metavar="VALID", help="validation file (repeatable)"
    )
    t.add_argument("--out", required=True, metavar="MODEL", help="the model file to write (.json.gz)")
    t.add_argument(
        "--silver",
        action="append",
        default=[],
        metavar="FILE",
        help="extra rows whose highlights are machine-written (silver labels), down- or up-weighted",
    )
    t.add_argument("--silver-weight", type=float, default=4.0, help="weight of a silver sentence (default 4)")
    t.add_argument("--rounds", type=bounded_int(), default=200, help="boosting rounds (default 200)")
    t.add_argument(
        "--drop-groups",
        default="",
        metavar="G1,G2",
        help="feature groups to leave out (for ablations): " + ", ".join(FEATURE_GROUPS),
    )
    t.add_argument("--name", default="gbdt", help="the model's name, recorded in every summary it makes")
    add_workers(t)

    t.set_defaults(run=run_train)

    lab = sub.add_parser(
        "labels",
        help="write the training labels (greedy-oracle sentences and per-sentence ROUGE) of articles",
        description="For every row (article + highlights) and form (as is, and flattened when it has "
        "paragraph breaks): the usable sentences, the greedy ROUGE-1+2 oracle's picks (binary labels) and "
        "each sentence's own ROUGE-1 F + ROUGE-2 F against the highlights (soft labels).",
    )
    lab.add_argument("data", nargs="+", metavar="DATA", help="JSON Lines files with highlights")
    lab.add_argument("--out", required=True, metavar="OUT", help="output JSON Lines (.jsonl or .jsonl.gz)")
    lab.add_argument(
        "--no-flat", dest="flat", action="store_false", help="only the text as it is, no flattened copy"
    )
    add_workers(lab)

    lab.set_defaults(run=run_labels)

    mi = sub.add_parser(
        "model",
        help="show a model file's metadata",
        description="Show what a model file records: name, features, training data and command, validation.",
    )
    mi.add_argument(
        "path", nargs="?", default=None, metavar="MODEL", help="model file (default: the bundled one)"
    )

    mi.set_defaults(run=run_model_info)


def run_train(args: argparse.Namespace) -> int:
    import shlex

    from nutgraf.learned.train import TrainConfig, train

    config = TrainConfig(
        data=args.data,
        valid=args.valid,
        out=args.out,
        silver=args.silver,
        silver_weight=args.silver_weight,
        rounds=args.rounds,
        drop_groups=[g.strip() for g in args.drop_groups.split(",") if g.strip()],
        workers=args.workers,
        name=args.name,
        command=shlex.join(["nutgraf", *sys.argv[1:]]) if sys.argv[1:2] == ["train"] else "nutgraf train",
    )
    for path in [*config.data, *config.valid, *config.silver]:
        if not os.path.isfile(path):
            raise UsageError(f"{path}: no such file")
    meta = train(config, progress=lambda msg: print(f"nutgraf: {msg}", file=sys.stderr))
    print(f"wrote {args.out} ({os.path.getsize(args.out):,} bytes) in {meta['seconds']} s")
    for name, entry in (meta.get("validation") or {}).items():
        print(f"{name} ({entry['rows']} rows)   R-1 / R-2 / R-Lsum")
        for method in ("gbdt", "lead"):
            v = entry[method]
            print(f"  {method:5s} {v['rouge1']:6.2f} {v['rouge2']:6.2f} {v['rougeLsum']:6.2f}")
    return EXIT_OK


def run_labels(args: argparse.Namespace) -> int:
    import gzip

    from nutgraf.learned.train import label_records, read_examples

    for path in args.data:
        if not os.path.isfile(path):
            raise UsageError(f"{path}: no such file")
    examples, _ = read_examples(args.data, flat_copies=args.flat, workers=args.workers)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in label_records(examples)).encode("utf-8")
    try:
        with open(args.out, "wb") as fh:
            fh.write(gzip.compress(lines, mtime=0) if args.out.endswith(".gz") else lines)
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"wrote {len(examples):,} labelled article forms to {args.out}", file=sys.stderr)
    return EXIT_OK


def run_model_info(args: argparse.Namespace) -> int:
    from nutgraf.learned.model import load_model

    model = load_model(args.path)
    meta = dict(model.metadata)
    print(json.dumps({"path": model.source, "id": model.id, **meta}, indent=2, ensure_ascii=False))
    return EXIT_OK
