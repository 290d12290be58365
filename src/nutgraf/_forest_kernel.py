"""The compiled tree walker of ``nutgraf.trees.Forest``, in a module of its own so that numba can cache its
machine code beside it (``__pycache__``) or in the user's cache: compiled once per machine (about 0.7 s),
loaded with numba in 0.3-0.5 s after that. Imported only by ``nutgraf.trees``, which falls back to LightGBM
without it."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
from numba import njit
from numba.core.errors import NumbaWarning

BLOCK = 16
"""Rows walked down a tree together: their walks are independent, so the processor overlaps them (a single
walk waits on each node's memory and mispredicts half its branches)."""
ZERO = float(np.float32(1e-35))
"""LightGBM's ``kZeroThreshold`` (``1e-35f``, a float's 1e-35: 1.0000000180025095e-35): a value this close to
zero is read as 0.0 (and so is NaN)."""


def _predict(
    x: Any,
    roots: Any,
    depth: Any,
    feature: Any,
    threshold: Any,
    children: Any,
    leaves: Any,
    sigmoid: float,
    out: Any,
) -> None:  # pragma: no cover - runs compiled; tests compare its output with LightGBM's
    """Sum of the trees' leaves for each row of ``x`` (through the sigmoid when ``sigmoid`` > 0), into ``out``.

    Every node goes right when the row's value is greater than its threshold, left otherwise (NaN and values
    within ``ZERO`` of zero read as 0.0: LightGBM's rule for splits without a missing-value direction). A leaf
    is a node whose two children are itself (threshold +inf), so every walk takes its tree's depth in steps
    with no branch on whether it has arrived; the trees are summed in order, as LightGBM sums them, so the
    result is the same double."""
    n_rows, n_cols = x.shape
    clean = np.empty((BLOCK, n_cols), np.float64)
    node = np.empty(BLOCK, np.int64)
    total = np.empty(BLOCK, np.float64)
    for r0 in range(0, n_rows, BLOCK):
        nb = min(BLOCK, n_rows - r0)
        for b in range(nb):
            total[b] = 0.0
            for c in range(n_cols):
                v = x[r0 + b, c]
                clean[b, c] = v if math.fabs(v) > ZERO else 0.0
        for t in range(roots.shape[0]):
            root = roots[t]
            for b in range(nb):
                node[b] = root
            for _ in range(depth[t]):
                for b in range(nb):
                    nd = node[b]
                    node[b] = children[2 * nd + (1 if clean[b, feature[nd]] > threshold[nd] else 0)]
            for b in range(nb):
                total[b] += leaves[node[b]]
        for b in range(nb):
            v = total[b]
            if sigmoid > 0.0:
                v = 1.0 / (1.0 + math.exp(-sigmoid * v))
            out[r0 + b] = v


def _compile() -> Any:
    """The compiled walker, cached on disk when numba finds a writable place for it, else compiled in memory
    (about half a second, once per process)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NumbaWarning)
        try:
            return njit(cache=True, nogil=True)(_predict)
        except RuntimeError:  # no writable cache directory (a read-only install, no home directory)
            return njit(cache=False, nogil=True)(_predict)


predict = _compile()
