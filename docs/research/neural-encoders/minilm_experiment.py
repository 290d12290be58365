"""Small-scale value of all-MiniLM-L6-v2 sentence embeddings (and of a TF-IDF baseline) as extra columns
for the LightGBM sentence scorer. Validation data only.

    PYTHONPATH=src:scripts OMP_NUM_THREADS=2 nice -n 15 \
        /tmp/minilm-venv/bin/python docs/research/neural-encoders/minilm_experiment.py [--variants ...] [--seeds 0,1,2]

Needs build/exp-minilm/subsets.pkl and emb_*.npy from minilm_embed.py.

Columns
- sem (6, per sentence, from an article's L2-normalised sentence vectors E): cosine to the article's mean
  vector; cosine to the mean of the first 3 sentences; max and mean cosine to the other sentences; rank of
  the first cosine in the article / n (0 = most central); its gap to the article max (<= 0).
- pca (32): E projected on the 16 leading principal components of the training sentences, and
  (E - article mean) projected on the 16 leading components of those deviations in training.
- tfsem (6): the same sem columns from TF-IDF vectors (unigrams [a-z0-9]+, lowercased, sentence-level idf
  fit on the training sentences, min_df 2, sublinear tf, L2-normalised).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import numpy as np

from lexical_experiment import REFS, references, rouge_proxy, tokens
from nutgraf.learned.features import FEATURE_NAMES
from nutgraf.learned.train import DEFAULT_PARAMS

HERE = Path("build/exp-minilm")  # outputs, relative to the repository root
TRAIN = ("train", "train_true")
VALID = ("valid", "valid_true")


def sem_columns(e: np.ndarray) -> np.ndarray:
    """6 columns per row of ``e`` (rows L2-normalised, dense)."""
    m = e.mean(0)
    c_mean = e @ m / (np.linalg.norm(m) + 1e-12)
    l3 = e[:3].mean(0)
    c_lead = e @ l3 / (np.linalg.norm(l3) + 1e-12)
    return _sem(c_mean, c_lead, e @ e.T)


def _sem(c_mean: np.ndarray, c_lead: np.ndarray, s: np.ndarray) -> np.ndarray:
    """The 6 columns from the cosines to the article's mean and lead, and the dense sentence-by-sentence
    similarity matrix ``s``."""
    n = s.shape[0]
    if n > 1:
        diag = np.diag(s).copy()
        s_off = s.copy()
        np.fill_diagonal(s_off, -np.inf)
        c_max = s_off.max(1)
        c_avg = (s.sum(1) - diag) / (n - 1)
    else:
        c_max = np.zeros(1)
        c_avg = np.zeros(1)
    order = np.lexsort((np.arange(n), -c_mean))
    rank = np.empty(n)
    rank[order] = np.arange(n) / n
    gap = c_mean - c_mean.max()
    return np.column_stack([c_mean, c_lead, c_max, c_avg, rank, gap])


def split(arr: np.ndarray, lens: list[int]) -> list[np.ndarray]:
    return np.split(arr, np.cumsum(lens)[:-1])


def pca(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    mu = x.mean(0)
    _, _, vt = np.linalg.svd(x - mu, full_matrices=False)
    return mu, vt[:k].T


def tfidf_vectors(sets: dict, fit_names: tuple[str, ...]) -> dict[str, list]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(tokenizer=tokens, lowercase=False, token_pattern=None, min_df=2, sublinear_tf=True)
    vec.fit([s for name in fit_names for t in sets[name][1] for s in t])
    out = {}
    for name, (_, ts) in sets.items():
        out[name] = [vec.transform(t) for t in ts]  # csr, rows L2-normalised
    return out, len(vec.vocabulary_)


def sem_sparse(x) -> np.ndarray:  # noqa: ANN001
    """sem_columns for a sparse csr matrix of L2-normalised rows (same values, sparse arithmetic)."""
    m = np.asarray(x.mean(0)).ravel()
    c_mean = x @ m / (np.linalg.norm(m) + 1e-12)
    l3 = np.asarray(x[:3].mean(0)).ravel()
    c_lead = x @ l3 / (np.linalg.norm(l3) + 1e-12)
    return _sem(c_mean, c_lead, (x @ x.T).toarray())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", default="base,sem,sem+pca,tfsem,tfsem+sem")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--leaves", type=int, default=15)
    ap.add_argument("--train-true-n", type=int, default=2000, help="first N train_true articles")
    args = ap.parse_args()
    import lightgbm

    t0 = time.time()
    with open(HERE / "subsets.pkl", "rb") as fh:
        sets = pickle.load(fh)
    variants = args.variants.split(",")
    need_emb = any(c in ("sem", "pca") for v in variants for c in v.split("+"))
    emb = {}
    if need_emb:
        for name in sets:
            path = HERE / f"emb_{name}.npy"
            if path.exists():
                emb[name] = np.load(path)
            else:  # a partial train_true from minilm_embed2.py's chunks
                parts = sorted(HERE.glob(f"emb_{name}_part*.npy"))
                emb[name] = np.vstack([np.load(p) for p in parts])
                print(f"{name}: {len(parts)} chunks of 250 articles embedded", file=sys.stderr)
    n_tt = args.train_true_n
    if need_emb and emb["train_true"].shape[0] < sum(len(t) for t in sets["train_true"][1]):
        n_tt = min(n_tt, 250 * len(sorted(HERE.glob("emb_train_true_part*.npy"))))
    sets["train_true"] = (sets["train_true"][0][:n_tt], sets["train_true"][1][:n_tt])
    lens = {name: [len(t) for t in ts] for name, (_, ts) in sets.items()}
    print("articles:", {n: len(v) for n, v in lens.items()}, "sentences:", {n: sum(v) for n, v in lens.items()},
          file=sys.stderr, flush=True)
    total = {name: sum(lens[name]) for name in sets}
    if need_emb:
        emb = {name: emb[name][: total[name]] for name in sets}
        for name in sets:
            assert emb[name].shape[0] == total[name], name
        per_art = {name: split(emb[name], lens[name]) for name in sets}
        sem = {name: np.vstack([sem_columns(e) for e in per_art[name]]) for name in sets}
        dev = {name: np.vstack([e - e.mean(0) for e in per_art[name]]) for name in sets}
        mu1, p1 = pca(np.vstack([emb[n] for n in TRAIN]), 16)
        mu2, p2 = pca(np.vstack([dev[n] for n in TRAIN]), 16)
        pcs = {name: np.hstack([(emb[name] - mu1) @ p1, (dev[name] - mu2) @ p2]) for name in sets}
        print(f"embedding columns: {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
    else:
        sem = {name: np.zeros((total[name], 6)) for name in sets}
        pcs = {name: np.zeros((total[name], 32)) for name in sets}
    tfsem = {name: np.zeros((total[name], 6)) for name in sets}
    if any("tf" in v for v in variants):
        t1 = time.time()
        tf, vocab = tfidf_vectors(sets, TRAIN)
        tfsem = {name: np.vstack([sem_sparse(x) for x in tf[name]]) for name in sets}
        print(f"tf-idf columns ({vocab:,} words): {time.time() - t1:.0f} s", file=sys.stderr, flush=True)
    base = {name: np.asarray([r for e in sets[name][0] for r in e.rows], dtype=np.float64) for name in sets}
    for name in sets:
        assert base[name].shape == (sum(lens[name]), len(FEATURE_NAMES)), (name, base[name].shape)
    x = {name: np.hstack([base[name], sem[name], pcs[name], tfsem[name]]) for name in sets}
    nb = len(FEATURE_NAMES)
    sem_c = list(range(nb, nb + 6))
    pca_c = list(range(nb + 6, nb + 38))
    tf_c = list(range(nb + 38, nb + 44))
    columns = {
        "base": list(range(nb)),
        "sem": list(range(nb)) + sem_c,
        "sem+pca": list(range(nb)) + sem_c + pca_c,
        "tfsem": list(range(nb)) + tf_c,
        "tfsem+sem": list(range(nb)) + tf_c + sem_c,
        "tfsem+sem+pca": list(range(nb)) + tf_c + sem_c + pca_c,
    }
    x_train = np.vstack([x[n] for n in TRAIN])
    y = np.asarray([v for n in TRAIN for e in sets[n][0] for v in e.labels], dtype=np.float64)
    print(f"train rows {x_train.shape}, positives {y.mean() * 100:.1f}%", file=sys.stderr, flush=True)
    refs = {name: references(REFS[name]) for name in VALID}
    for name in VALID:
        es, ts = sets[name]
        lead = np.asarray([-i for e in es for i in range(len(e.rows))], dtype=np.float64)
        print(name, "lead(usable)", "-", rouge_proxy(es, ts, lead, refs[name]), flush=True)
    for variant in variants:
        cols = columns[variant]
        for seed in [int(s) for s in args.seeds.split(",")]:
            params = {**DEFAULT_PARAMS, "seed": seed, "num_threads": 2, "num_leaves": args.leaves}
            booster = lightgbm.train(params, lightgbm.Dataset(x_train[:, cols], y), num_boost_round=args.rounds)
            for name in VALID:
                es, ts = sets[name]
                scores = booster.predict(x[name][:, cols], num_threads=2)
                print(name, variant, seed, rouge_proxy(es, ts, scores, refs[name]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
