"""Train the learned scorer (LightGBM over nutgraf's sentence features) on JSON Lines rows with 'article' (or
'text') and 'highlights', validate it against lead, and write a model file for --model. The file records the
data's SHA-256, the feature version, this command and the validation scores."""

from __future__ import annotations

import argparse
import os
import sys

from nutgraf.cli import common
from nutgraf.errors import EXIT_OK, UsageError
from nutgraf.score import LABELERS

NAME = "train"
SUMMARY = "train the learned scorer on articles with highlights (e.g. your own archive)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from nutgraf.learned.features import FEATURE_GROUPS

    p.add_argument(
        "--data", action="append", required=True, metavar="TRAIN", help="training file (repeatable)"
    )
    p.add_argument(
        "--valid", action="append", default=[], metavar="VALID", help="validation file (repeatable)"
    )
    p.add_argument("--out", required=True, metavar="MODEL", help="the model file to write (.json.gz)")
    p.add_argument(
        "--silver",
        action="append",
        default=[],
        metavar="FILE",
        help="extra rows whose highlights are machine-written (silver labels), down- or up-weighted",
    )
    p.add_argument("--silver-weight", type=float, default=4.0, help="weight of a silver sentence (default 4)")
    p.add_argument("--rounds", type=common.bounded_int(), default=200, help="boosting rounds (default 200)")
    p.add_argument(
        "--leaves", type=common.bounded_int(2, 1024), default=15, help="leaves per tree (default 15)"
    )
    p.add_argument(
        "--seed", type=int, default=0, help="LightGBM's seed (default 0): other seeds measure the noise"
    )
    p.add_argument(
        "--no-sets",
        dest="sets",
        action="store_false",
        help="no set scorer: key points are the top k sentences by score (default: train one, which "
        "chooses 2-4 key points as a set)",
    )
    p.add_argument(
        "--set-rounds", type=common.bounded_int(), default=300, help="the set scorer's rounds (default 300)"
    )
    p.add_argument(
        "--labels",
        choices=tuple(LABELERS),
        default="greedy",
        help="the oracle the labels come from: greedy (default, the bundled model's) or beam (a beam search "
        "for the best set; measured within seed noise of greedy on the validation files, see the README)",
    )
    p.add_argument(
        "--drop-groups",
        default="",
        metavar="G1,G2",
        help="feature groups to leave out (for ablations): " + ", ".join(FEATURE_GROUPS),
    )
    p.add_argument("--name", default="gbdt", help="the model's name, recorded in every summary it makes")
    common.add_workers(p)


def run(args: argparse.Namespace) -> int:
    import shlex

    from nutgraf.learned.train import TrainConfig, train

    config = TrainConfig(
        data=args.data,
        valid=args.valid,
        out=args.out,
        silver=args.silver,
        silver_weight=args.silver_weight,
        rounds=args.rounds,
        params={"num_leaves": args.leaves, "seed": args.seed},
        drop_groups=[g.strip() for g in args.drop_groups.split(",") if g.strip()],
        workers=args.workers,
        sets=args.sets,
        set_rounds=args.set_rounds,
        labels=args.labels,
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
