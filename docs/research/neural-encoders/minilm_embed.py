"""Subsets for the small-scale experiment, and their all-MiniLM-L6-v2 sentence embeddings.

    PYTHONPATH=src HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 OMP_NUM_THREADS=2 nice -n 15 \
        /tmp/minilm-venv/bin/python docs/research/neural-encoders/minilm_embed.py

Writes build/exp-minilm/subsets.pkl ({name: (examples, texts)}) and build/exp-minilm/emb_<name>.npy
(float32, one L2-normalised 384-d row per sentence, in the order of the examples' rows).
Subsets: train = first 2000 'as_is' of train.pkl, train_true = first 2000 'as_is' of train_true.pkl,
valid = first 800 of valid.pkl, valid_true = first 800 of valid_true.pkl.
"""

from __future__ import annotations

import pickle
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

HERE = Path("build/exp-minilm")  # outputs, relative to the repository root
CACHE = Path("build/cache")
SUBSETS = {"train": 2000, "train_true": 2000, "valid": 800, "valid_true": 800}


def subsets() -> dict[str, tuple[list, list]]:
    path = HERE / "subsets.pkl"
    if path.exists():
        with open(path, "rb") as fh:
            return pickle.load(fh)
    out = {}
    for name, n in SUBSETS.items():
        t = time.time()
        with open(CACHE / f"{name}.pkl", "rb") as fh:
            examples, _, texts = pickle.load(fh)
        keep = [i for i, e in enumerate(examples) if e.form == "as_is"][:n]
        out[name] = (
            [SimpleNamespace(article_id=examples[i].article_id, form=examples[i].form, rows=examples[i].rows,
                             labels=examples[i].labels) for i in keep],
            [texts[i] for i in keep],
        )
        del examples, texts
        es, ts = out[name]
        assert all(len(e.rows) == len(t) == len(e.labels) for e, t in zip(es, ts))
        print(f"{name}: {len(es)} articles, {sum(len(t) for t in ts)} sentences ({time.time() - t:.0f} s)",
              flush=True)
    with open(path, "wb") as fh:
        pickle.dump(out, fh)
    return out


def main() -> int:
    sets = subsets()
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(2)
    model = SentenceTransformer(str(HERE / "model" / "all-MiniLM-L6-v2"), device="cpu")
    model.max_seq_length = 128
    for name, (_, ts) in sets.items():
        out = HERE / f"emb_{name}.npy"
        if out.exists():
            continue
        flat = [s for t in ts for s in t]
        t = time.time()
        emb = model.encode(flat, batch_size=64, convert_to_numpy=True, normalize_embeddings=True,
                           show_progress_bar=False)
        np.save(out, emb.astype(np.float32))
        print(f"{name}: {len(flat)} sentences embedded in {time.time() - t:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
