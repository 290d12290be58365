"""Train (and cross-validate) the web-page furniture detector, ``nutgraf.webfurniture``.

    .venv/bin/python scripts/train_web_furniture.py [--data ../shared/data] [--out FILE]   # make web-furniture

Each non-empty line of the text nutgraf extracts from the 181 pages of the article-extraction benchmark
(``html/article-extraction-benchmark``) is labelled body (it appears, white space folded, in the page's
human-labelled ``articleBody``) or furniture (it does not). A small LightGBM model learns furniture from the
line's ``webfurniture.FEATURES``.

Cross-validation: the pages are split into 5 folds by a hash of their key. For each fold, a model trained on
the other four marks that fold's furniture lines at each candidate threshold, and the Summarizer then runs
on its pages: the share of key points found verbatim in the labelled body, and the pages that get key points.
The threshold is the highest whose share of key points inside the body is within half a point of the best,
among those that keep every page the rules alone summarize (as few body lines taken as the gain allows). The
model written to ``--out`` (default: ``src/nutgraf/data/web-furniture-v2.json.gz``) is trained on all pages,
with that threshold, the data's SHA-256 and this command in its metadata. Deterministic: the same data give
the same file.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lightgbm
import numpy as np

import nutgraf.clean as clean_module
from html_check import benchmark_pages  # scripts/html_check.py
from nutgraf import Options, Rejection, summarize_article
from nutgraf.contracts import Article, PageHints
from nutgraf.ingest import from_html
from nutgraf.webfurniture import FEATURES, FORMAT, MODEL_FILE, WebFurniture, line_rows, line_spans

ROOT = Path(__file__).resolve().parent.parent
PARAMS = {
    "objective": "binary",
    "num_leaves": 15,
    "learning_rate": 0.05,
    "min_data_in_leaf": 10,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.9,
    "bagging_freq": 1,
    "seed": 0,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
ROUNDS = 200
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
FOLDS = 5


def pages(base: Path) -> Iterator[tuple[str, Article, str]]:
    """The benchmark's pages that give an article: key, article, labelled body (white space folded)."""
    for key, text, gt in benchmark_pages(base):
        article = from_html(text, key)
        if isinstance(article, Article):
            yield key, article, " ".join(gt["articleBody"].split())


def labelled(article: Article, body: str) -> tuple[list[list[float]], list[int]]:
    spans = line_spans(article.text)
    rows = line_rows(article.text, spans, article.title, article.page)
    labels = [int(" ".join(article.text[s:e].split()) not in body) for s, e in spans]
    return rows, labels


def fold_of(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % FOLDS


def train(rows: list[list[float]], labels: list[int]) -> Any:
    data = lightgbm.Dataset(
        np.asarray(rows, dtype=np.float64), label=np.asarray(labels), feature_name=list(FEATURES)
    )
    return lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)


def _rules_only(text: str, title: str | None = None, page: PageHints | None = None) -> list[tuple[int, int]]:
    """A stand-in for ``webfurniture.web_furniture`` that marks nothing: the cleaner's rules alone."""
    return []


MISSES: dict[float | None, list[tuple[str, str, str]]] = {}
"""Per threshold, the key points outside the labelled body (white space ignored): (page, kind, text)."""

_DATE_OR_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b")
_PROMO_HINT = re.compile(
    r"\b(?:sign up|newsletter|subscribe|follow|share|also on|click|view our|read more)\b", re.I
)


def miss_kind(text: str, article: Article) -> str:
    """A rough kind for a key point outside the labelled body, for the README's table of what gets through."""
    line = " ".join(text.split())
    words = line.split()
    if _PROMO_HINT.search(line):
        return "promo or sign-up"
    if line[-1:] not in '.!?"”’)' and sum(w[:1].isupper() for w in words) * 2 >= len(words):
        return "headline of another story, caption or subheading"
    if _DATE_OR_CLOCK.search(line) and len(words) <= 12:
        return "timestamp or byline"
    if article.text.lstrip().startswith(text[:40]) or article.text.find(text[:40]) < 400:
        return "lead or standfirst the labelled body leaves out or words differently"
    return "body-like sentence the labelled body leaves out"


def key_points(
    items: list[tuple[str, Article, str]], detector: Any, threshold: float | None
) -> tuple[int, int, int, int]:
    """(key points inside the labelled body, key points, pages with key points, key points inside it with all
    white space ignored) with ``detector`` (at ``threshold``; None: the rules alone). The labelled bodies are
    partly tokenized ("Boeing 's", "“ Dancing"), which the first count holds against a key point and the last
    does not."""
    saved = clean_module.webfurniture.web_furniture
    clean_module.webfurniture.web_furniture = detector  # type: ignore[assignment]
    try:
        inside = total = ok = spaceless = 0
        for _, article, body in items:
            result = summarize_article(article, Options())
            if isinstance(result, Rejection):
                continue
            ok += 1
            solid = "".join(body.split())
            for h in result.highlights:
                total += 1
                inside += " ".join(h.text.split()) in body
                if "".join(h.text.split()) in solid:
                    spaceless += 1
                else:
                    MISSES.setdefault(threshold, []).append((article.id, miss_kind(h.text, article), h.text))
        return inside, total, ok, spaceless
    finally:
        clean_module.webfurniture.web_furniture = saved


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "nutgraf" / "data" / MODEL_FILE)
    args = ap.parse_args(argv)
    base = args.data / "html" / "article-extraction-benchmark"
    items = list(pages(base))
    data = {key: labelled(article, body) for key, article, body in items}
    n_lines = sum(len(v[1]) for v in data.values())
    n_furniture = sum(sum(v[1]) for v in data.values())
    print(f"{len(items)} pages, {n_lines:,} lines, {n_furniture:,} not in the labelled body")
    totals = {t: [0, 0, 0, 0] for t in (None, *THRESHOLDS)}
    for fold in range(FOLDS):
        train_keys = [k for k in data if fold_of(k) != fold]
        test = [it for it in items if fold_of(it[0]) == fold]
        booster = train(
            [r for k in train_keys for r in data[k][0]], [y for k in train_keys for y in data[k][1]]
        )
        for t in totals:
            detector = _rules_only if t is None else WebFurniture(booster, t)
            got = key_points(test, detector, t)
            totals[t] = [a + b for a, b in zip(totals[t], got, strict=True)]
    print(
        "\n| threshold | key points in the labelled body | the same, white space ignored | pages with key points |"
        "\n|---|---|---|---|"
    )
    for t, (inside, total, ok, spaceless) in totals.items():
        label = "rules only" if t is None else f"{t:.1f}"
        print(
            f"| {label} | {inside}/{total} ({inside / max(total, 1):.1%}) | "
            f"{spaceless}/{total} ({spaceless / max(total, 1):.1%}) | {ok} |"
        )
    floor = totals[None][2]
    keeping = [t for t in THRESHOLDS if totals[t][2] >= floor]
    share = {t: totals[t][0] / max(totals[t][1], 1) for t in keeping}
    top = max(share.values())
    # The highest threshold within half a point of the best share: as few body lines taken as the gain allows.
    best = max(t for t in keeping if share[t] >= top - 0.005)
    print(f"\nchosen threshold {best} (cross-validated, {FOLDS} folds by page)")
    kinds: dict[str, int] = {}
    for _, kind, _ in MISSES.get(best, []):
        kinds[kind] = kinds.get(kind, 0) + 1
    print("\nwhat still gets through at that threshold (white space ignored), by rough kind:\n")
    print("| kind | key points |\n|---|---:|")
    for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"| {kind} | {n} |")
    booster = train([r for v in data.values() for r in v[0]], [y for v in data.values() for y in v[1]])
    truth = base / "ground-truth.json"
    model = {
        "format": FORMAT,
        "features": list(FEATURES),
        "threshold": best,
        "booster": booster.model_to_string(),
        "metadata": {
            "data": {
                "path": "html/article-extraction-benchmark/ground-truth.json",
                "sha256": hashlib.sha256(truth.read_bytes()).hexdigest(),
                "pages": len(items),
                "lines": n_lines,
            },
            "command": "python scripts/train_web_furniture.py",
            "params": PARAMS,
            "rounds": ROUNDS,
            "lightgbm": lightgbm.__version__,
            "cross_validation": {str(t): v for t, v in totals.items()},
        },
    }
    payload = json.dumps(model, sort_keys=True, ensure_ascii=False).encode("utf-8")
    args.out.write_bytes(gzip.compress(payload, mtime=0))
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
