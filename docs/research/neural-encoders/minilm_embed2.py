"""Second embedding pass (after embed.py had embedded 'train'): valid, valid_true, then train_true in chunks of
250 articles (emb_train_true_part<k>.npy), so a partial train_true can be used if time runs out.

    PYTHONPATH=src HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 OMP_NUM_THREADS=2 nice -n 15 \
        /tmp/minilm-venv/bin/python docs/research/neural-encoders/minilm_embed2.py
"""

from __future__ import annotations

import sys
import time

import numpy as np

from minilm_embed import HERE, subsets

CHUNK = 250


def main() -> int:
    sets = subsets()
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(2)
    model = SentenceTransformer(str(HERE / "model" / "all-MiniLM-L6-v2"), device="cpu")
    model.max_seq_length = 128

    def enc(flat: list[str]) -> np.ndarray:
        return model.encode(flat, batch_size=64, convert_to_numpy=True, normalize_embeddings=True,
                            show_progress_bar=False).astype(np.float32)

    for name in ("valid", "valid_true"):
        out = HERE / f"emb_{name}.npy"
        if not out.exists():
            t = time.time()
            flat = [s for ts in sets[name][1] for s in ts]
            np.save(out, enc(flat))
            print(f"{name}: {len(flat)} sentences in {time.time() - t:.0f} s", flush=True)
    ts_all = sets["train_true"][1]
    for k in range(0, len(ts_all), CHUNK):
        out = HERE / f"emb_train_true_part{k // CHUNK:02d}.npy"
        if out.exists():
            continue
        t = time.time()
        flat = [s for ts in ts_all[k : k + CHUNK] for s in ts]
        np.save(out, enc(flat))
        print(f"train_true articles {k}-{k + CHUNK}: {len(flat)} sentences in {time.time() - t:.0f} s", flush=True)
    parts = [np.load(HERE / f"emb_train_true_part{k // CHUNK:02d}.npy") for k in range(0, len(ts_all), CHUNK)]
    np.save(HERE / "emb_train_true.npy", np.vstack(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
