"""Train the compressor's model: which deletable units of a key point to delete, learned from CNN highlights.

    python scripts/train_compressor.py --data ../shared/data/cnndm/train.jsonl.gz \
        --out src/nutgraf/data/compress-v2.json.gz          # (make compressor)

Examples: for every training article, the sentences nutgraf's bundled scorer selects as key points (the
sentences the compressor will meet), and in each the deletable units that ``compress.sentence_units`` finds
(rules and dependency parse). A unit is labelled *deleted* when at most 30% of its content words appear in the
article's reference highlights, *kept* when at least 70% do (in between: left out). So the model learns what
the editors' highlights leave out of the sentences a summarizer picks. A small LightGBM model learns
P(deleted) from ``compress.unit_features``. Never reads test.
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
from typing import Any

from nutgraf.compress import (
    COMPRESS_FEATURE_VERSION,
    COMPRESS_FEATURES,
    COMPRESS_FORMAT,
    RULE_KINDS,
    ArticleContext,
    inside_quotation,
    sentence_units,
    unit_features,
)
from nutgraf.compress.syntax import PARSER_PACKAGE, parse, parser
from nutgraf.contracts import Article, Options, Summary
from nutgraf.pipeline import summarize_article

_W = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "the a an of to in and or for on at by with from as is was were be been are that this it its".split()
)
DELETED, KEPT = 0.3, 0.7


def _toks(text: str) -> list[str]:
    return _W.findall(text.lower())


def selected_sentences(path: str) -> tuple[list[tuple[str, str, set[str]]], str | None]:
    """(article text, selected sentence, reference words) for each sentence the default method selects."""
    items: list[tuple[str, str, set[str]]] = []
    model = None
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            result = summarize_article(Article(str(row["id"]), row["article"]), Options(method="gbdt"))
            if not isinstance(result, Summary):
                continue
            model = result.model
            refs = set(_toks(" ".join(row["highlights"])))
            for h in result.highlights:
                if not inside_quotation(row["article"], h.spans[0][0]):
                    items.append((row["article"], h.text, refs))
    return items, model


def labelled_units(
    items: list[tuple[str, str, set[str]]],
) -> tuple[list[list[float]], list[int], Counter[str]]:
    x: list[list[float]] = []
    y: list[int] = []
    stats: Counter[str] = Counter()
    contexts: dict[str, ArticleContext] = {}
    parses = (
        p for start in range(0, len(items), 256) for p in parse([t for _, t, _ in items[start : start + 256]])
    )
    for (article, text, refs), parsed in zip(items, parses, strict=True):
        if article not in contexts:
            contexts[article] = ArticleContext.of(article)
        context = contexts[article]
        for unit in sentence_units(text, parsed):
            if unit.kind in RULE_KINDS:
                continue
            words = [t for t in _toks(text[unit.start : unit.end]) if t not in _STOP]
            if not words:
                continue
            share = sum(t in refs for t in words) / len(words)
            if DELETED < share < KEPT:
                stats["unclear"] += 1
                continue
            label = 1 if share <= DELETED else 0
            stats[f"{unit.kind}:{'deleted' if label else 'kept'}"] += 1
            x.append(unit_features(text, unit, parsed, context))
            y.append(label)
        if len(contexts) > 64:
            contexts.clear()
    return x, y, stats


PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "seed": 0,
    "deterministic": True,
    "force_row_wise": True,
    "verbose": -1,
    "num_threads": 1,
}
ROUNDS = 200


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", action="append", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    import lightgbm
    import numpy as np

    from nutgraf.learned.train import file_sha256, write_model

    x: list[list[float]] = []
    y: list[int] = []
    files = []
    stats: Counter[str] = Counter()
    scorer_model = None
    for path in args.data:
        items, scorer_model = selected_sentences(path)
        px, py, ps = labelled_units(items)
        x += px
        y += py
        stats += ps
        stats["sentences"] += len(items)
        files.append({"path": os.path.basename(path), "sha256": file_sha256(path)})
    data = lightgbm.Dataset(
        np.asarray(x, dtype=np.float64), np.asarray(y), feature_name=list(COMPRESS_FEATURES)
    )
    booster = lightgbm.train(PARAMS, data, ROUNDS)
    training = {
        "command": shlex.join(["python", "scripts/train_compressor.py", *(argv or sys.argv[1:])]),
        "data": files,
        "sentences_from": scorer_model,
        **_provenance(y, stats),
    }
    metadata = {
        "features": {"version": COMPRESS_FEATURE_VERSION, "names": list(COMPRESS_FEATURES)},
        "training": training,
    }
    write_model(args.out, booster, metadata, fmt=COMPRESS_FORMAT)
    print(
        f"wrote {args.out}: {len(y)} units ({sum(y)} deleted) from {stats['sentences']} sentences",
        file=sys.stderr,
    )
    print(json.dumps(dict(sorted(stats.items()))), file=sys.stderr)
    return 0


def _provenance(y: list[int], stats: Counter[str]) -> dict[str, Any]:
    """The training record's account of the parser, the labels and the learner (after the data's)."""
    import lightgbm
    import spacy

    return {
        "parser": f"{PARSER_PACKAGE} {parser().meta.get('version')} (spaCy {spacy.__version__})",
        "units": len(y),
        "deleted": sum(y),
        "counts": dict(sorted(stats.items())),
        "labels": f"content-word share in the references: deleted <= {DELETED}, kept >= {KEPT}",
        "params": PARAMS,
        "rounds": ROUNDS,
        "lightgbm": lightgbm.__version__,
    }


if __name__ == "__main__":
    sys.exit(main())
