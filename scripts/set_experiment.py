"""Research: choose key points as a set (issue "Key points as good as BERT-class extractors", lever 2).
Validation data only.

    .venv/bin/python scripts/set_experiment.py [--cache build/cache] [--train train,train_true,silver]

1. Trains the sentence scorer out of fold (2 folds by article id) on the training caches of
   ``scripts/cache_examples.py``, so each training article gets scores from a model that did not see it.
2. For each article, builds candidate sets of 2 to 4 sentences from the top ``--pool`` sentences by score, and
   computes each set's ROUGE (mean of R-1 and R-2 F) against the human highlights with a fast re-implementation
   of ``rouge-score``'s tokenizer (lower-case, non-alphanumerics to spaces, Porter stems of words over 3 letters).
3. Trains a set scorer (LightGBM regression on each set's ROUGE minus the article's mean) over set features:
   size, sentence scores (sum, min, mean, ranks), length, positions, redundancy and coverage of the article.
4. Scores each validation set by the proxy of ``scripts/lexical_experiment.py``: top 3 by sentence score;
   the best set of 3; the best set of 2 to 4.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from functools import cache
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

import numpy as np
from nltk.stem import porter

# The example caches, the references and the folds are the lexical experiment's (run from scripts/ or the
# project root: python puts the script's directory on the path).
from lexical_experiment import fold, load, references
from nutgraf.learned.train import DEFAULT_PARAMS

DATA = Path("../shared/data/cnndm")
REFS = {
    "train": DATA / "train.jsonl.gz",
    "train_true": Path("build/truecased/train_lower.jsonl.gz"),
    "valid": DATA / "validation.jsonl.gz",
    "valid_lower": DATA / "validation_lower.jsonl.gz",
    "valid_true": Path("build/truecased/validation_lower.jsonl.gz"),
}
_NON = re.compile(r"[^a-z0-9]+")
_STEMMER = porter.PorterStemmer()
_STOP = frozenset(
    "the a an and or but of to in on at for with by from as is are was were be been has have had it its this "
    "that he she they his her their i we you not will would said says s t".split()
)


@cache
def _stem(w: str) -> str:
    return _STEMMER.stem(w) if len(w) > 3 else w


def rtokens(text: str) -> list[str]:
    return [_stem(w) for w in _NON.sub(" ", text.lower()).split()]


def _f(overlap: int, got: int, want: int) -> float:
    if not overlap or not got or not want:
        return 0.0
    p, r = overlap / got, overlap / want
    return 2 * p * r / (p + r)


def set_rouge(cands: Sequence[list[str]], ref: list[str], ref1: Counter, ref2: Counter) -> float:
    toks = [t for c in cands for t in c]
    c1 = Counter(toks)
    # rouge-score joins sentences with spaces for rouge2: bigrams cross sentence boundaries
    c2 = Counter(pairwise(toks))
    o1 = sum((c1 & ref1).values())
    o2 = sum((c2 & ref2).values())
    return (_f(o1, len(toks), len(ref)) + _f(o2, max(len(toks) - 1, 0), max(len(ref) - 1, 0))) / 2


SET_FEATURES = [
    "size", "s_sum", "s_min", "s_mean", "s_max", "p_sum", "r_sum", "r_max", "has_top", "words", "chars",
    "w_mean", "w_min", "w_max", "pos_min", "pos_mean", "pos_max", "has_first", "art_words", "n_usable",
    "w_share", "red_max", "red_mean", "cover", "cover_top", "gap_next", "cased",
]  # fmt: skip


def _content(tokens: list[str]) -> set[str]:
    return {t for t in tokens if t not in _STOP and not t.isdigit()}


def candidate_sets(
    e: Any, texts: list[str], s: np.ndarray, pool: int, sizes: Sequence[int]
) -> tuple[list[tuple[int, ...]], list[list[float]], list[list[str]]]:
    """The candidate sets of one article (as row indexes, in document order) and their features."""
    n = len(texts)
    order = sorted(range(n), key=lambda i: (-s[i], i))
    rank = {i: r for r, i in enumerate(order)}
    top = order[:pool]
    toks = [rtokens(t) for t in texts]
    content = [_content(t) for t in toks]
    tf = Counter(w for c in content for w in c)
    total_tf = sum(tf.values()) or 1
    top_words = {w for w, _ in tf.most_common(20)}
    art_words = sum(len(t.split()) for t in texts)
    probs = 1 / (1 + np.exp(-s))
    letters = [c for c in " ".join(texts)[:3000] if c.isalpha()]
    cased = float(bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.01)
    words = [len(t.split()) for t in texts]
    sets, feats = [], []
    for size in sizes:
        if size > len(top):
            continue
        for combo in combinations(sorted(top), size):
            sc = [float(s[i]) for i in combo]
            ws = [words[i] for i in combo]
            pairs = [
                len(content[a] & content[b]) / (len(content[a] | content[b]) or 1)
                for a, b in combinations(combo, 2)
            ]
            covered = set().union(*(content[i] for i in combo))
            outside = [float(s[i]) for i in order[: size + 3] if i not in combo]
            feats.append(
                [
                    size, sum(sc), min(sc), sum(sc) / size, max(sc), float(sum(probs[i] for i in combo)),
                    sum(rank[i] for i in combo), max(rank[i] for i in combo), float(order[0] in combo),
                    sum(ws), sum(len(texts[i]) for i in combo), sum(ws) / size, min(ws), max(ws),
                    combo[0], sum(combo) / size, combo[-1], float(combo[0] == 0), art_words, n,
                    sum(ws) / (art_words or 1), max(pairs), sum(pairs) / len(pairs),
                    sum(tf[w] for w in covered) / total_tf, len(covered & top_words) / (len(top_words) or 1),
                    (min(sc) - max(outside)) if outside else 0.0, cased,
                ]
            )  # fmt: skip
            sets.append(combo)
    return sets, feats, toks


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="build/cache")
    ap.add_argument("--train", default="train,train_true,silver")
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--leaves", type=int, default=31)
    ap.add_argument("--pool", type=int, default=5)
    ap.add_argument(
        "--set-configs",
        default="300x31@0.05",
        help="comma-separated ROUNDSxLEAVES@RATE set scorers to compare",
    )
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training articles per set")
    args = ap.parse_args()
    import lightgbm
    from rouge_score import rouge_scorer

    cache_dir = Path(args.cache)
    t0 = time.time()
    train_sets = {name: load(cache_dir, name) for name in args.train.split(",")}
    if args.limit:
        train_sets = {k: (es[: args.limit], ts[: args.limit]) for k, (es, ts) in train_sets.items()}
    es_all, ts_all, names = [], [], []
    for name, (es, ts) in train_sets.items():
        es_all += es
        ts_all += ts
        names += [name] * len(es)
    x = np.asarray([r for e in es_all for r in e.rows], dtype=np.float64)
    y = np.asarray([v for e in es_all for v in e.labels], dtype=np.float64)
    w = np.asarray(
        [4.0 if n == "silver" else 1.0 for e, n in zip(es_all, names, strict=True) for _ in e.rows]
    )
    row_fold = np.asarray([fold(e) for e in es_all for _ in e.rows])
    params = {**DEFAULT_PARAMS, "num_threads": 2, "num_leaves": args.leaves}
    oof = np.zeros(len(y))
    for f in (0, 1):
        tr = row_fold != f
        b = lightgbm.train(params, lightgbm.Dataset(x[tr], y[tr], weight=w[tr]), num_boost_round=args.rounds)
        oof[~tr] = b.predict(x[~tr], raw_score=True, num_threads=2)
    full = lightgbm.train(params, lightgbm.Dataset(x, y, weight=w), num_boost_round=args.rounds)
    print(f"sentence scorers: {time.time() - t0:.0f} s", file=sys.stderr)

    refs = {n: references(p) for n, p in REFS.items() if n in train_sets or n.startswith("valid")}
    sizes = (2, 3, 4)
    sx, sy, groups = [], [], []
    at = 0
    t1 = time.time()
    for e, ts, name in zip(es_all, ts_all, names, strict=True):
        s = oof[at : at + len(ts)]
        at += len(ts)
        if name not in refs or e.form != "as_is" or e.article_id not in refs[name] or len(ts) < 3:
            continue
        ref = rtokens("\n".join(refs[name][e.article_id]))
        r1, r2 = Counter(ref), Counter(pairwise(ref))
        sets, feats, toks = candidate_sets(e, ts, s, args.pool, sizes)
        ys = [set_rouge([toks[i] for i in c], ref, r1, r2) for c in sets]
        mean = sum(ys) / len(ys)
        sx += feats
        sy += [v - mean for v in ys]
        groups.append(len(sets))
    print(f"set rows: {len(sx):,} from {len(groups):,} articles ({time.time() - t1:.0f} s)", file=sys.stderr)
    set_models = {}
    for spec in args.set_configs.split(","):
        shape, rate = spec.split("@")
        rounds, leaves = (int(v) for v in shape.split("x"))
        set_params = {
            **DEFAULT_PARAMS, "objective": "regression", "num_threads": 2, "num_leaves": leaves,
            "learning_rate": float(rate),
        }  # fmt: skip
        set_models[spec] = lightgbm.train(
            set_params, lightgbm.Dataset(np.asarray(sx), np.asarray(sy)), num_boost_round=rounds
        )
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    for vname in ("valid", "valid_lower"):
        es, ts_list = load(cache_dir, vname)
        xv = np.asarray([r for e in es for r in e.rows], dtype=np.float64)
        sv = full.predict(xv, raw_score=True, num_threads=2)
        totals: dict[str, Counter] = {}
        k_hist: Counter = Counter()
        at = 0
        for e, ts in zip(es, ts_list, strict=True):
            s = sv[at : at + len(ts)]
            at += len(ts)
            if e.form != "as_is" or e.article_id not in refs[vname]:
                continue
            ref = "\n".join(refs[vname][e.article_id])
            top3 = tuple(sorted(sorted(range(len(ts)), key=lambda i: (-s[i], i))[:3]))
            picks = {"lead3u": tuple(range(min(3, len(ts)))), "top3": top3}
            if len(ts) >= 3:
                sets, feats, _ = candidate_sets(e, ts, s, args.pool, sizes)
                for spec, set_model in set_models.items():
                    pred = set_model.predict(np.asarray(feats), num_threads=1)
                    best = max(range(len(sets)), key=lambda j: (pred[j], -j))
                    picks[f"set_any {spec}"] = sets[best]
                    k_hist[len(sets[best])] += 1
            for label, idx in picks.items():
                got = scorer.score(ref, "\n".join(" ".join(ts[i].split()) for i in idx))
                c = totals.setdefault(label, Counter())
                for m, v in got.items():
                    c[m] += v.fmeasure
                c["n"] += 1
        for label, c in totals.items():
            n = c.pop("n")
            print(vname, label, {m: round(100 * v / n, 2) for m, v in c.items()}, n, flush=True)
        print(vname, "sizes chosen", dict(sorted(k_hist.items())), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
