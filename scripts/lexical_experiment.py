"""Research: what a lexical model of highlight-worthy words, and knowing whether case is known, add to the
learned scorer (issue "Key points as good as BERT-class extractors"). Validation data only.

    .venv/bin/python scripts/lexical_experiment.py [--cache build/cache] [--variants base,lex,...] [--seeds 0,1]

Reads the example caches of ``scripts/cache_examples.py`` (train, train_lower, silver; valid, valid_lower,
dmdev), builds a Naive-Bayes log-count-ratio lexicon out of fold (2 folds by article id) on the training
articles with human highlights, adds lexical and text-form columns, trains LightGBM, and scores each
validation set by a proxy: the top-3 usable sentences by score against the references (ROUGE-1/2/Lsum F),
beside the first three usable sentences. The real pipeline's selection (redundancy, repairs) is not
applied here; ``nutgraf evaluate`` measures the chosen variant end to end.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import pickle
import re
import sys
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from nutgraf.learned.features import FEATURE_NAMES
from nutgraf.learned.train import DEFAULT_PARAMS

DATA = Path("../shared/data/cnndm")
REFS = {
    "valid": DATA / "validation.jsonl.gz",
    "valid_lower": DATA / "validation_lower.jsonl.gz",
    "dmdev": Path("build/llm/dm_dev.jsonl.gz"),
    # validation_lower detokenized and truecased (scripts/truecase_lower.py): cased Daily Mail with human highlights
    "valid_true": Path("build/truecased/validation_lower.jsonl.gz"),
}
_TOKEN = re.compile(r"[a-z0-9]+")
_TOKENIZED = re.compile(r" n't\b| 's\b|-lrb-|-rrb-|`` | ''|\s[,.;:!?](?:\s|$)")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def load(cache: Path, name: str) -> tuple[list[Any], list[list[str]]]:
    with open(cache / f"{name}.pkl", "rb") as fh:
        examples, _, texts = pickle.load(fh)
    return examples, texts


def lexicon(
    examples: Sequence[Any], texts: Sequence[list[str]], min_count: int, alpha: float
) -> dict[str, float]:
    pos: Counter[str] = Counter()
    neg: Counter[str] = Counter()
    for e, ts in zip(examples, texts, strict=True):
        for label, t in zip(e.labels, ts, strict=True):
            (pos if label else neg).update(set(tokens(t)))
    vocab = [w for w in pos.keys() | neg.keys() if pos[w] + neg[w] >= min_count]
    p_total = sum(pos[w] for w in vocab) + alpha * len(vocab)
    n_total = sum(neg[w] for w in vocab) + alpha * len(vocab)
    return {
        w: round(math.log((pos[w] + alpha) / p_total) - math.log((neg[w] + alpha) / n_total), 3)
        for w in vocab
    }


def lex_columns(texts: list[str], table: dict[str, float]) -> list[list[float]]:
    means, maxes = [], []
    for t in texts:
        ws = [table.get(w, 0.0) for w in tokens(t)]
        means.append(sum(ws) / len(ws) if ws else 0.0)
        maxes.append(max(ws) if ws else 0.0)
    order = sorted(range(len(means)), key=lambda i: (-means[i], i))
    rank = [0.0] * len(means)
    for r, i in enumerate(order):
        rank[i] = r / len(means)
    best = max(means) if means else 0.0
    return [[m, x, rk, m - best] for m, x, rk in zip(means, maxes, rank, strict=True)]


_BUCKETS = 1 << 20


def hashed(text: str) -> np.ndarray:
    """Hashed unigrams and bigrams of a sentence (crc32: stable across processes)."""
    words = tokens(text)
    grams = words + [f"{a} {b}" for a, b in pairwise(words)]
    return np.unique(
        np.fromiter((zlib.crc32(g.encode()) % _BUCKETS for g in grams), dtype=np.int64, count=len(grams))
    )


def train_lr(
    items: Sequence[tuple[np.ndarray, float]], epochs: int = 2, lr: float = 0.05, l2: float = 1e-6
) -> np.ndarray:
    """Logistic regression over hashed n-grams by plain SGD (weights; the last one is the bias)."""
    w = np.zeros(_BUCKETS + 1)
    rng = np.random.default_rng(0)
    order = np.arange(len(items))
    for _ in range(epochs):
        rng.shuffle(order)
        for k in order:
            idx, y = items[k]
            z = w[idx].sum() + w[-1]
            g = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) - y
            w[idx] -= lr * (g + l2 * w[idx])
            w[-1] -= lr * g
    return w


def lr_scores(texts: Sequence[list[str]], w: np.ndarray) -> list[list[float]]:
    out = []
    for ts in texts:
        z = [float(w[hashed(t)].sum() + w[-1]) for t in ts]
        best = max(z) if z else 0.0
        order = sorted(range(len(z)), key=lambda i: (-z[i], i))
        rank = [0.0] * len(z)
        for r, i in enumerate(order):
            rank[i] = r / len(z)
        out.append([[v, rk, v - best] for v, rk in zip(z, rank, strict=True)])
    return out


def form_columns(article_text_sample: str) -> list[float]:
    letters = [c for c in article_text_sample if c.isalpha()]
    cased = 1.0 if letters and sum(c.isupper() for c in letters) / len(letters) > 0.01 else 0.0
    tokenized = 1.0 if _TOKENIZED.search(article_text_sample) else 0.0
    return [cased, tokenized]


def matrix(
    examples: Sequence[Any],
    texts: Sequence[list[str]],
    tables: Sequence[dict[str, float]] | None,
    fold_of: Any,
) -> np.ndarray:
    rows = []
    for e, ts in zip(examples, texts, strict=True):
        extra_form = form_columns(" ".join(ts)[:4000])
        lex = lex_columns(ts, tables[fold_of(e)]) if tables is not None else [[0.0] * 4 for _ in ts]
        for r, lc in zip(e.rows, lex, strict=True):
            rows.append([*r, *extra_form, *lc])
    return np.asarray(rows, dtype=np.float64)


def fold(e: Any) -> int:
    return zlib.crc32(e.article_id.encode()) % 2


def mmr(texts: list[str], s: np.ndarray, k: int, weight: float) -> list[int]:
    """Greedy maximal marginal relevance: the score minus ``weight`` times the largest word overlap
    (Jaccard) with a sentence already chosen."""
    if weight <= 0:
        return sorted(range(len(texts)), key=lambda i: (-s[i], i))[:k]
    words = [set(tokens(t)) for t in texts]
    chosen: list[int] = []

    def gain(i: int) -> float:
        overlap = max(
            (len(words[i] & words[j]) / (len(words[i] | words[j]) or 1) for j in chosen), default=0.0
        )
        return float(s[i]) - weight * overlap

    while len(chosen) < min(k, len(texts)):
        chosen.append(max((i for i in range(len(texts)) if i not in chosen), key=lambda i: (gain(i), -i)))
    return chosen


def rouge_proxy(
    examples: Sequence[Any],
    texts: Sequence[list[str]],
    scores: np.ndarray,
    refs: dict[str, list[str]],
    k: int = 3,
    mmr_weight: float = 0.0,
) -> dict[str, float]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    totals = Counter()
    n = 0
    at = 0
    for e, ts in zip(examples, texts, strict=True):
        s = scores[at : at + len(ts)]
        at += len(ts)
        if e.form != "as_is" or e.article_id not in refs:
            continue
        top = sorted(mmr(ts, s, k, mmr_weight))
        ref = "\n".join(refs[e.article_id])
        got = scorer.score(ref, "\n".join(" ".join(ts[i].split()) for i in top))
        for m, v in got.items():
            totals[m] += v.fmeasure
        n += 1
    return {m: round(100 * v / n, 2) for m, v in totals.items()} | {"n": n}


def _grades(examples: Sequence[Any]) -> np.ndarray:
    out: list[float] = []
    for e in examples:
        order = sorted(range(len(e.solo)), key=lambda i: -e.solo[i])
        rank = {i: r for r, i in enumerate(order)}
        for i, label in enumerate(e.labels):
            out.append(3.0 if label else 2.0 if rank[i] < 3 else 1.0 if rank[i] < 6 else 0.0)
    return np.asarray(out)


def references(path: Path) -> dict[str, list[str]]:
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out[str(row["id"])] = row["highlights"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="build/cache")
    ap.add_argument("--train", default="train,train_lower,silver")
    ap.add_argument("--variants", default="base,form,lex")
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--leaves", type=int, default=15)
    ap.add_argument("--mmr", default="0", help="comma-separated MMR weights to score the selection with")
    ap.add_argument("--alpha", type=float, default=1.0)
    ap.add_argument("--silver-weight", type=float, default=4.0)
    ap.add_argument("--lower-weight", type=float, default=1.0, help="weight of a train_lower sentence")
    ap.add_argument(
        "--objective", default="binary", help="binary (oracle labels), regression (solo ROUGE), lambdarank"
    )
    args = ap.parse_args()
    import lightgbm

    cache = Path(args.cache)
    t0 = time.time()
    train_sets = {name: load(cache, name) for name in args.train.split(",")}
    human = [
        (e, t)
        for name, (es, ts) in train_sets.items()
        if name != "silver"
        for e, t in zip(es, ts, strict=True)
    ]
    he, ht = [e for e, _ in human], [t for _, t in human]
    tables = [
        lexicon(
            [e for e in he if fold(e) != f],
            [t for e, t in zip(he, ht, strict=True) if fold(e) != f],
            args.min_count,
            args.alpha,
        )
        for f in (0, 1)
    ]
    full = lexicon(he, ht, args.min_count, args.alpha)
    print(f"lexicons: {len(full):,} words ({time.time() - t0:.0f} s)", file=sys.stderr)
    train_e, train_t, weights, names = [], [], [], []
    for name, (es, ts) in train_sets.items():
        train_e += es
        train_t += ts
        names += [name] * len(es)
        weight = {"silver": args.silver_weight, "train_lower": args.lower_weight}.get(name, 1.0)
        weights += [weight] * sum(len(e.rows) for e in es)
    y = np.asarray([v for e in train_e for v in e.labels], dtype=np.float64)
    solo = np.asarray([v for e in train_e for v in e.solo], dtype=np.float64)
    groups = [len(e.rows) for e in train_e]
    w = np.asarray(weights)
    x_train = matrix(train_e, train_t, tables, fold)
    valid = {name: load(cache, name) for name in REFS}
    refs = {name: references(path) for name, path in REFS.items()}
    x_valid = {name: matrix(es, ts, [full, full], lambda e: 0) for name, (es, ts) in valid.items()}
    base_n = len(FEATURE_NAMES)
    if any("lr" in v for v in args.variants.split(",")):
        t1 = time.time()
        hashes = [[hashed(t) for t in ts] for ts in train_t]
        items = [
            [(h, float(y)) for e, hs, n in zip(train_e, hashes, names, strict=True) if n != "silver" and fold(e) == f
             for h, y in zip(hs, e.labels, strict=True)]
            for f in (0, 1)
        ]  # fmt: skip
        fold_w = [train_lr(items[1 - f]) for f in (0, 1)]  # each fold scored by the model of the other
        full_w = (fold_w[0] + fold_w[1]) / 2
        oof = []
        for e, hs in zip(train_e, hashes, strict=True):
            w_ = fold_w[fold(e)]
            z = [float(w_[h].sum() + w_[-1]) for h in hs]
            best = max(z)
            order = sorted(range(len(z)), key=lambda i: (-z[i], i))
            rank = {i: r / len(z) for r, i in enumerate(order)}
            oof += [[v, rank[i], v - best] for i, v in enumerate(z)]
        x_train = np.hstack([x_train, np.asarray(oof)])
        for name, (_, ts) in valid.items():
            extra = [c for per in lr_scores(ts, full_w) for c in per]
            x_valid[name] = np.hstack([x_valid[name], np.asarray(extra)])
        print(f"hashed logistic regression: {time.time() - t1:.0f} s", file=sys.stderr)
    lr_cols = [base_n + 6 + i for i in range(3)]
    columns = {
        "base": list(range(base_n)),
        "form": list(range(base_n + 2)),
        "lex": list(range(base_n)) + [base_n + 2 + i for i in range(4)],
        "form+lex": list(range(base_n + 6)),
        "lr": list(range(base_n + 2)) + lr_cols,
        "form+lex+lr": list(range(base_n + 6)) + lr_cols,
    }
    for name, (es, ts) in valid.items():
        lead = np.asarray([-i for e in es for i in range(len(e.rows))], dtype=np.float64)
        print(name, "lead(usable)", rouge_proxy(es, ts, lead, refs[name]))
    for variant in args.variants.split(","):
        cols = columns[variant]
        for seed in [int(s) for s in args.seeds.split(",")]:
            params = {**DEFAULT_PARAMS, "seed": seed, "num_threads": 2, "num_leaves": args.leaves}
            if args.objective == "binary":
                data = lightgbm.Dataset(x_train[:, cols], y, weight=w)
            elif args.objective == "regression":
                params["objective"] = "regression"
                data = lightgbm.Dataset(x_train[:, cols], solo, weight=w)
            else:  # lambdarank: the oracle's picks 3, then solo-ROUGE quartiles within the article
                params |= {"objective": "lambdarank", "lambdarank_truncation_level": 10, "eval_at": [3]}
                grades = _grades(train_e)
                data = lightgbm.Dataset(x_train[:, cols], grades, group=groups)
            booster = lightgbm.train(params, data, num_boost_round=args.rounds)
            for name, (es, ts) in valid.items():
                scores = booster.predict(x_valid[name][:, cols], num_threads=2)
                for weight in [float(m) for m in args.mmr.split(",")]:
                    got = rouge_proxy(es, ts, scores, refs[name], mmr_weight=weight)
                    print(name, variant, seed, f"mmr={weight:g}", got, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
