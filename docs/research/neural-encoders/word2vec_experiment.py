"""Research: does a small word2vec model (trained on our own training stories) add quality to the
learned sentence scorer as extra LightGBM columns? Validation data only (never the test split).

    PYTHONPATH=build/exp-emb/pkgs:scripts nice -n 15 .venv/bin/python docs/research/neural-encoders/word2vec_experiment.py

Stages (the word2vec model and the feature matrices are cached in build/exp-emb/, delete them to redo):
1. word2vec (gensim, CBOW = gensim's default, dim 64, window 5, min_count 5, 5 epochs, 2 workers, seed 0) on
   the lower-cased [a-z0-9]+ tokens of every sentence of the as_is examples of train + train_true.
2. per sentence: "sem" (6 columns) and "pca" (32 columns) features from unit-normalised word vectors.
3. LightGBM (DEFAULT_PARAMS, num_leaves 31, 300 rounds, 2 threads; silver weight 4) on train + train_true +
   silver, variants base / base+sem / base+sem+pca, seeds 0 and 1; rouge_proxy on valid, valid_lower, valid_true.
4. run-time cost per article of the features (pure Python/numpy, one thread), embedding table sizes.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "2")

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from lexical_experiment import REFS, fold, load, matrix, references, rouge_proxy, tokens
from nutgraf.learned.features import FEATURE_NAMES
from nutgraf.learned.train import DEFAULT_PARAMS

OUT = Path("build/exp-emb")
CACHE = Path("build/cache")
TRAIN = ["train", "train_true", "silver"]
VALID = ["valid", "valid_lower", "valid_true"]  # dmdev skipped
SEM = ["sem_cos_doc", "sem_cos_lead3", "sem_max_other", "sem_mean_other", "sem_rank_doc", "sem_gap_doc"]
NPC = 16
_TOKEN = re.compile(r"[a-z0-9]+")


def log(*a: object) -> None:
    print(*a, file=sys.stderr, flush=True)


def train_w2v(sets: dict) -> tuple[dict[str, int], np.ndarray, list[int]]:
    """The word index, the unit-normalised float32 vectors and the word counts (rows by frequency)."""
    path = OUT / "w2v.model"
    from gensim.models import Word2Vec

    if path.exists():
        model = Word2Vec.load(str(path))
        log(f"word2vec loaded from {path}")
    else:
        corpus = [
            tokens(t)
            for name in ("train", "train_true")
            for e, ts in zip(*sets[name], strict=True)
            if e.form == "as_is"
            for t in ts
        ]
        corpus = [c for c in corpus if c]
        n_tok = sum(len(c) for c in corpus)
        log(f"word2vec corpus: {len(corpus):,} sentences, {n_tok:,} tokens")
        t0 = time.time()
        model = Word2Vec(
            corpus, vector_size=64, window=5, min_count=5, epochs=5, workers=2, seed=0, sg=0
        )
        took = time.time() - t0
        model.save(str(path))
        info = {"train_seconds": round(took, 1), "sentences": len(corpus), "tokens": n_tok,
                "vocab": len(model.wv.index_to_key)}  # fmt: skip
        (OUT / "w2v_info.json").write_text(json.dumps(info))
        log(f"word2vec trained: {info}")
    wv = model.wv
    vectors = wv.vectors.astype(np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    index = {w: i for i, w in enumerate(wv.index_to_key)}  # gensim sorts by descending frequency
    counts = [wv.get_vecattr(w, "count") for w in wv.index_to_key]
    return index, vectors, counts


def sentence_vectors(texts: list[list[str]], index: dict[str, int], emb: np.ndarray) -> np.ndarray:
    """Mean of the unit word vectors of each sentence (OOV skipped, zero if none), all sentences stacked."""
    ids: list[int] = []
    indptr = [0]
    for ts in texts:
        for t in ts:
            ids.extend(i for i in (index.get(w) for w in _TOKEN.findall(t.lower())) if i is not None)
            indptr.append(len(ids))
    ptr = np.asarray(indptr)
    s = sp.csr_matrix((np.ones(len(ids), np.float32), np.asarray(ids, np.int64), ptr), shape=(len(ptr) - 1, len(emb)))
    sums = np.asarray(s @ emb)
    return sums / np.maximum(np.diff(ptr), 1)[:, None].astype(np.float32)


def article_features(x: np.ndarray, comps: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """sem (6) + pca (32) columns of one article, given its n x 64 sentence vectors."""
    n = len(x)
    d = x.mean(axis=0)
    norms = np.linalg.norm(x, axis=1)
    xn = x / np.where(norms > 0, norms, 1.0)[:, None]

    def unit(v: np.ndarray) -> np.ndarray:
        nv = np.linalg.norm(v)
        return v / nv if nv > 0 else v

    cos_doc = xn @ unit(d)
    cos_lead = xn @ unit(x[:3].mean(axis=0))
    if n > 1:
        c = xn @ xn.T
        np.fill_diagonal(c, -np.inf)
        max_other = c.max(axis=1)
        np.fill_diagonal(c, 0.0)
        mean_other = c.sum(axis=1) / (n - 1)
    else:
        max_other = np.zeros(1)
        mean_other = np.zeros(1)
    order = sorted(range(n), key=lambda i: (-cos_doc[i], i))
    rank = np.empty(n)
    rank[order] = np.arange(n) / n
    gap = cos_doc - cos_doc.max()
    sem = np.column_stack([cos_doc, cos_lead, max_other, mean_other, rank, gap])
    pca = np.hstack([(x - mu) @ comps.T, (x - d) @ comps.T])
    return np.hstack([sem, pca])


def set_features(texts: list[list[str]], index, emb, comps, mu) -> np.ndarray:
    vecs = sentence_vectors(texts, index, emb)
    out = []
    at = 0
    for ts in texts:
        out.append(article_features(vecs[at : at + len(ts)], comps, mu))
        at += len(ts)
    return np.vstack(out)


def fit_pca(sets: dict, index, emb) -> tuple[np.ndarray, np.ndarray]:
    texts = [ts for name in ("train", "train_true") for e, ts in zip(*sets[name], strict=True) if e.form == "as_is"]
    vecs = sentence_vectors(texts, index, emb)
    rng = np.random.default_rng(0)
    sample = vecs[rng.choice(len(vecs), size=min(200_000, len(vecs)), replace=False)].astype(np.float64)
    mu = sample.mean(axis=0)
    _, sv, vt = np.linalg.svd(sample - mu, full_matrices=False)
    var = sv**2 / (sv**2).sum()
    log(f"PCA: top {NPC} components explain {var[:NPC].sum():.3f} of the variance")
    return vt[:NPC].astype(np.float32), mu.astype(np.float32)


def timing(texts: list[list[str]], index, emb, comps, mu, label: str) -> dict:
    """ms per article for tokenize + lookup + mean + cosines + PCA, one article at a time, one thread."""
    def one(ts: list[str]) -> np.ndarray:
        x = np.zeros((len(ts), emb.shape[1]), np.float32)
        for k, t in enumerate(ts):
            ids = [i for i in (index.get(w) for w in _TOKEN.findall(t.lower())) if i is not None]
            if ids:
                x[k] = emb[ids].astype(np.float32).mean(axis=0)
        return article_features(x, comps, mu)

    for ts in texts[:20]:
        one(ts)  # warm-up
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        for ts in texts:
            one(ts)
        took = time.perf_counter() - t0
        best = took if best is None else min(best, took)
    n_sent = sum(len(ts) for ts in texts)
    got = {"table": label, "articles": len(texts), "sentences": n_sent,
           "ms_per_article": round(1000 * best / len(texts), 3)}  # fmt: skip
    log(f"timing: {got}")
    return got


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="0,1")
    ap.add_argument("--variants", default="base,base+sem,base+sem+pca")
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--leaves", type=int, default=31)
    ap.add_argument("--silver-weight", type=float, default=4.0)
    args = ap.parse_args()
    import lightgbm

    t0 = time.time()
    sets = {name: load(CACHE, name) for name in TRAIN + VALID}
    log(f"loaded caches ({time.time() - t0:.0f} s)")
    index, emb, counts = train_w2v(sets)
    vocab = len(index)
    sizes = {
        "vocab": vocab,
        "full_float32_bytes": vocab * 64 * 4,
        "top30k_float16_bytes": min(vocab, 30_000) * 64 * 2,
        "top30k_token_coverage_train": round(sum(counts[:30_000]) / sum(counts), 4),
    }
    log(f"sizes: {sizes}")

    feat_path = OUT / "features.npz"
    if feat_path.exists():
        z = np.load(feat_path)
        comps, mu = z["comps"], z["mu"]
        feats = {name: z[name] for name in TRAIN + VALID}
        log("features loaded")
    else:
        t1 = time.time()
        comps, mu = fit_pca(sets, index, emb)
        feats = {name: set_features(sets[name][1], index, emb, comps, mu) for name in TRAIN + VALID}
        np.savez(feat_path, comps=comps, mu=mu, **feats)
        log(f"features built ({time.time() - t1:.0f} s)")

    # run-time cost on 500 validation articles (as_is), full float32 table and top-30k float16 table
    vt = [ts for e, ts in zip(*sets["valid"], strict=True) if e.form == "as_is"][:500]
    times = [timing(vt, index, emb, comps, mu, "full float32")]
    small = {w: i for w, i in index.items() if i < 30_000}
    times.append(timing(vt, small, emb[:30_000].astype(np.float16), comps, mu, "top-30k float16"))

    base_n = len(FEATURE_NAMES)
    train_e, weights, xs, fs = [], [], [], []
    for name in TRAIN:
        es, ts = sets[name]
        train_e += es
        xs.append(matrix(es, ts, None, fold)[:, :base_n])
        fs.append(feats[name])
        weights += [args.silver_weight if name == "silver" else 1.0] * sum(len(e.rows) for e in es)
    x_train = np.hstack([np.vstack(xs), np.vstack(fs)])
    y = np.asarray([v for e in train_e for v in e.labels], dtype=np.float64)
    w = np.asarray(weights)
    log(f"train matrix {x_train.shape}")
    x_valid = {
        name: np.hstack([matrix(*sets[name], None, fold)[:, :base_n], feats[name]]) for name in VALID
    }
    refs = {name: references(REFS[name]) for name in VALID}
    columns = {
        "base": list(range(base_n)),
        "base+sem": list(range(base_n + len(SEM))),
        "base+sem+pca": list(range(base_n + len(SEM) + 2 * NPC)),
    }
    results = OUT / "results.jsonl"
    with open(results, "a") as out:
        out.write(json.dumps({"run": time.strftime("%Y-%m-%d %H:%M:%S"), "sizes": sizes, "timing": times}) + "\n")
        for name in VALID:
            es, ts = sets[name]
            lead = np.asarray([-i for e in es for i in range(len(e.rows))], dtype=np.float64)
            got = rouge_proxy(es, ts, lead, refs[name])
            print(name, "lead(usable)", got, flush=True)
            out.write(json.dumps({"set": name, "variant": "lead3", "seed": None, **got}) + "\n")
        for seed in [int(s) for s in args.seeds.split(",")]:
            for variant in args.variants.split(","):
                cols = columns[variant]
                params = {**DEFAULT_PARAMS, "seed": seed, "num_threads": 2, "num_leaves": args.leaves}
                t1 = time.time()
                booster = lightgbm.train(params, lightgbm.Dataset(x_train[:, cols], y, weight=w), args.rounds)
                log(f"{variant} seed {seed}: trained in {time.time() - t1:.0f} s")
                for name in VALID:
                    es, ts = sets[name]
                    scores = booster.predict(x_valid[name][:, cols], num_threads=2)
                    got = rouge_proxy(es, ts, scores, refs[name])
                    print(name, variant, seed, got, flush=True)
                    out.write(json.dumps({"set": name, "variant": variant, "seed": seed, **got}) + "\n")
                    out.flush()
                if variant != "base":
                    imp = booster.feature_importance("gain")
                    extra = imp[base_n:].sum() / imp.sum()
                    log(f"{variant} seed {seed}: share of gain in the embedding columns {extra:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
