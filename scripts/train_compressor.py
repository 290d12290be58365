"""Train the compressor's model: which deletable units editors delete, learned from CNN highlights.

    python scripts/train_compressor.py --data ../shared/data/cnndm/train.jsonl.gz \
        --out src/nutgraf/data/compress-v1.json.gz          # (make compressor)

Alignment: each reference highlight is matched with the article sentence that holds the largest share of
its words; pairs where that share is at least 0.8 (the highlight is the sentence with words removed) are
kept. Each deletable unit that ``compress.candidate_units`` finds in such a sentence is labelled *deleted*
when at most 30% of its content words appear in the highlight, *kept* when at least 70% do (in between:
left out). A small LightGBM model learns P(deleted) from ``compress.unit_features``. Never reads test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shlex
import sys
from collections import Counter

from nutgraf.clean import clean
from nutgraf.compress import (
    COMPRESS_FEATURE_VERSION,
    COMPRESS_FEATURES,
    COMPRESS_FORMAT,
    candidate_units,
    unit_features,
)
from nutgraf.contracts import Article
from nutgraf.segment import segment

_W = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "the a an of to in and or for on at by with from as is was were be been are that this it its".split()
)
ALIGN_SHARE = 0.8
DELETED, KEPT = 0.3, 0.7


def _toks(text: str) -> list[str]:
    return _W.findall(text.lower())


def labelled_units(path: str) -> tuple[list[list[float]], list[int], Counter[str]]:
    x: list[list[float]] = []
    y: list[int] = []
    stats: Counter[str] = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            article = Article(str(row["id"]), row["article"])
            sentences = segment(article.text, clean(article).regions)
            sets = [set(_toks(s.text)) for s in sentences]
            for highlight in row["highlights"]:
                h = set(_toks(highlight))
                if len(h) < 4 or not sets:
                    continue
                j = max(range(len(sets)), key=lambda i: (len(h & sets[i]), -i))
                if len(h & sets[j]) / len(h) < ALIGN_SHARE:
                    continue
                stats["pairs"] += 1
                text = sentences[j].text
                for unit in candidate_units(text):
                    words = [t for t in _toks(text[unit.start : unit.end]) if t not in _STOP]
                    if not words:
                        continue
                    share = sum(t in h for t in words) / len(words)
                    if DELETED < share < KEPT:
                        stats["unclear"] += 1
                        continue
                    label = 1 if share <= DELETED else 0
                    stats[f"{unit.kind}:{'deleted' if label else 'kept'}"] += 1
                    x.append(unit_features(text, unit))
                    y.append(label)
    return x, y, stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", action="append", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    import lightgbm

    from nutgraf.train import file_sha256, write_model

    x: list[list[float]] = []
    y: list[int] = []
    files = []
    stats: Counter[str] = Counter()
    for path in args.data:
        px, py, ps = labelled_units(path)
        x += px
        y += py
        stats += ps
        files.append({"path": os.path.basename(path), "sha256": file_sha256(path)})
    params = {
        "objective": "binary",
        "learning_rate": 0.05,
        "num_leaves": 7,
        "min_data_in_leaf": 20,
        "seed": 0,
        "deterministic": True,
        "force_row_wise": True,
        "verbose": -1,
        "num_threads": 1,
    }
    import numpy as np

    data = lightgbm.Dataset(
        np.asarray(x, dtype=np.float64), np.asarray(y), feature_name=list(COMPRESS_FEATURES)
    )
    booster = lightgbm.train(params, data, 100)
    metadata = {
        "features": {"version": COMPRESS_FEATURE_VERSION, "names": list(COMPRESS_FEATURES)},
        "training": {
            "command": shlex.join(["python", "scripts/train_compressor.py", *(argv or sys.argv[1:])]),
            "data": files,
            "units": len(y),
            "deleted": sum(y),
            "counts": dict(sorted(stats.items())),
            "alignment": f"highlight word share >= {ALIGN_SHARE}; deleted <= {DELETED}, kept >= {KEPT}",
            "params": params,
            "rounds": 100,
            "lightgbm": lightgbm.__version__,
        },
    }
    write_model(args.out, booster, metadata, fmt=COMPRESS_FORMAT)
    print(
        f"wrote {args.out}: {len(y)} units ({sum(y)} deleted) from {stats['pairs']} aligned pairs",
        file=sys.stderr,
    )
    print(json.dumps(dict(sorted(stats.items()))), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
