"""LightGBM models, predicted fast: the learned scorer's two models and the web furniture detector each predict
a few dozen rows per article, hundreds of times a second.

``Predictor`` gives exactly ``Booster.predict(x, num_threads=1)``'s doubles, two ways:
- LightGBM's C predictor, called directly (``_Direct``), skipping ``Booster.predict``'s Python layer;
- a compiled kernel (``nutgraf._forest_kernel``, numba) over the model's trees as flat arrays (``Forest``,
  read from LightGBM's own model text): the same comparisons and the leaves summed in the same order, so the
  same doubles bit for bit, in well under half the time (LightGBM walks one row down one tree at a time; the
  kernel walks 16 rows together).

Loading the kernel costs 0.3-0.5 s and about 110 MB once per process (numba and LLVM), more than a
one-article command spends in all, so by default (``policy``: ``NUTGRAF_COMPILED_TREES=auto``) a predictor starts with
LightGBM and moves to the kernel at its ``COMPILED_AFTER``-th call, in bulk jobs only. The kernel is skipped
where it cannot run: no numba, or a model with categorical splits, missing-value directions, several classes or
another output transform.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from nutgraf.errors import ModelError, OptionError


def set_max_threads(n: int) -> None:
    """Cap LightGBM's OpenMP threads in this process. Loading and predicting use one thread: a forked worker
    (batch, evaluate) hangs if its parent ever started an OpenMP thread pool. Training raises it."""
    import lightgbm

    lib = getattr(lightgbm.basic, "_LIB", None)
    if lib is not None and hasattr(lib, "LGBM_SetMaxThreads"):
        import ctypes

        lib.LGBM_SetMaxThreads(ctypes.c_int(n))


def load_booster(text: str) -> Any:
    """A LightGBM booster from its model text, with one OpenMP thread (``set_max_threads``). ``ValueError``
    for text LightGBM cannot read; ``ModelError`` without LightGBM."""
    try:
        import lightgbm
    except ImportError:  # pragma: no cover - a core dependency
        raise ModelError("the learned scorer needs LightGBM: pip install 'lightgbm>=4.3'") from None
    set_max_threads(1)
    try:
        return lightgbm.Booster(model_str=text)
    except lightgbm.basic.LightGBMError as exc:
        raise ValueError(str(exc)) from None


@dataclass(frozen=True, eq=False)
class Forest:
    """A model's trees as flat arrays: every node (split or leaf) has a feature, a threshold and two children
    (``children[2 * node]`` left, ``+ 1`` right); a leaf's threshold is +inf and both its children are itself,
    with its value in ``leaves``. ``roots`` and ``depth`` hold each tree's first node and its depth."""

    roots: Any
    depth: Any
    feature: Any
    threshold: Any
    children: Any
    leaves: Any
    sigmoid: float
    """The binary objective's sigmoid factor; 0.0 for a raw output (regression)."""
    features: int
    """Columns a row must have."""

    def run(self, kernel: Any, x: Any, out: Any) -> None:
        """``kernel`` (``_forest_kernel.predict``) over these trees: the predictions for the rows of ``x``
        (C-contiguous float64, ``features`` columns) into ``out``."""
        kernel(
            x,
            self.roots,
            self.depth,
            self.feature,
            self.threshold,
            self.children,
            self.leaves,
            self.sigmoid,
            out,
        )


def _field(block: dict[str, str], key: str) -> list[str]:
    return block[key].split() if block.get(key) else []


def parse_forest(text: str) -> Forest | None:
    """The trees of LightGBM model text, or None for a model the kernel would not predict the way LightGBM
    does: several classes or trees per iteration, categorical splits, splits that send missing values one way,
    an averaged (random forest) output, or an objective whose output is not raw or a plain sigmoid. Raises
    ``ValueError`` for text that is not a LightGBM model."""
    try:
        return _parse_forest(text)
    except (KeyError, IndexError) as exc:
        raise ValueError(f"not LightGBM model text (no {exc})") from None


def _parse_forest(text: str) -> Forest | None:
    import numpy as np

    head, _, body = text.partition("\nend of trees")[0].partition("\nTree=")
    header = dict(line.split("=", 1) for line in head.splitlines() if "=" in line)
    objective = header.get("objective", "").split()
    if (
        header.get("num_class", "1") != "1"
        or header.get("num_tree_per_iteration", "1") != "1"
        or "average_output" in head.splitlines()
        or not objective
    ):
        return None
    if objective[0] == "binary" and len(objective) == 2 and objective[1].startswith("sigmoid:"):
        sigmoid = float(objective[1].partition(":")[2])
    elif objective[0] in ("regression", "lambdarank", "rank_xendcg") and len(objective) == 1:
        sigmoid = 0.0
    else:
        return None
    features = int(header["max_feature_idx"]) + 1
    names = header.get("feature_names", "").split()
    if not 0 < features <= 1_000_000 or (names and len(names) != features):
        raise ValueError("its feature count does not match its feature names")
    roots: list[int] = []
    depths: list[int] = []
    feature: list[int] = []
    threshold: list[float] = []
    children: list[int] = []
    leaves: list[float] = []
    for chunk in body.split("\nTree=") if body else []:
        block = dict(line.split("=", 1) for line in chunk.splitlines() if "=" in line)
        n_leaves = int(block["num_leaves"])
        values = [float(v) for v in _field(block, "leaf_value")]
        if n_leaves < 1 or len(values) != n_leaves:
            raise ValueError("a tree's leaves do not match its leaf count")
        if int(block.get("num_cat", "0")) != 0 or block.get("is_linear", "0") != "0":
            return None
        split_feature = [int(v) for v in _field(block, "split_feature")]
        thresholds = [float(v) for v in _field(block, "threshold")]
        decisions = [int(v) for v in _field(block, "decision_type")]
        left = [int(v) for v in _field(block, "left_child")]
        right = [int(v) for v in _field(block, "right_child")]
        n_splits = n_leaves - 1
        if any(len(a) != n_splits for a in (split_feature, thresholds, decisions, left, right)):
            raise ValueError("a tree's split arrays do not match its leaf count")
        if any(d & 1 or (d >> 2) & 3 for d in decisions):  # categorical, or a missing-value direction
            return None
        if any(not 0 <= f < features for f in split_feature):
            raise ValueError("a split reads a feature the model does not have")
        base = len(feature)
        # Node numbering: the tree's splits first (LightGBM's own order), then its leaves.
        for i in range(n_splits):
            feature.append(split_feature[i])
            threshold.append(thresholds[i])
            for child in (left[i], right[i]):
                if not -n_leaves <= child < n_splits:
                    raise ValueError("a split's child is outside its tree")
                children.append(base + child if child >= 0 else base + n_splits + ~child)
        for j in range(n_leaves):
            node = base + n_splits + j
            feature.append(0)
            threshold.append(float("inf"))
            children.extend((node, node))
        leaves.extend([0.0] * n_splits + values)
        roots.append(base)
        depths.append(_depth(left, right))
    if not roots:
        raise ValueError("no trees")
    return Forest(
        roots=np.asarray(roots, dtype=np.int64),
        depth=np.asarray(depths, dtype=np.int64),
        feature=np.asarray(feature, dtype=np.int64),
        threshold=np.asarray(threshold, dtype=np.float64),
        children=np.asarray(children, dtype=np.int64),
        leaves=np.asarray(leaves, dtype=np.float64),
        sigmoid=sigmoid,
        features=features,
    )


def _depth(left: list[int], right: list[int]) -> int:
    """The number of splits on a tree's longest path from its root (0 for a single leaf)."""
    if not left:
        return 0
    deepest, stack = 0, [(0, 1)]
    seen = 0
    while stack:
        node, d = stack.pop()
        seen += 1
        if seen > 2 * len(left) + 1:
            raise ValueError("a tree's splits form a cycle")
        deepest = max(deepest, d)
        for child in (left[node], right[node]):
            if child >= 0:
                stack.append((child, d + 1))
    return deepest


COMPILED_AFTER = 256
"""Under the ``auto`` policy, a predictor moves to the compiled kernel at its 256th call (an article calls each
of the learned scorer's two once): a job that long is a bulk job (batch, evaluation, a service), where loading
the kernel (numba and LLVM: 0.3-0.5 s and about 110 MB, once per process) pays back within seconds, while a
one-article command never pays it."""
POLICIES = ("auto", "on", "off")


def policy() -> str:
    """When predictors use the compiled kernel, from ``NUTGRAF_COMPILED_TREES``: ``auto`` (the default: after
    ``COMPILED_AFTER`` calls), ``on`` (from the first call: the kernel is loaded with the model) or ``off``
    (never: LightGBM only, for the smallest memory). Any other value is an error, not a silent default."""
    value = os.environ.get("NUTGRAF_COMPILED_TREES", "auto").strip().lower() or "auto"
    value = {"1": "on", "true": "on", "yes": "on", "0": "off", "false": "off", "no": "off"}.get(value, value)
    if value not in POLICIES:
        raise OptionError(
            f"NUTGRAF_COMPILED_TREES={os.environ['NUTGRAF_COMPILED_TREES']!r}: expected auto, on or off"
        )
    return value


@lru_cache(maxsize=1)
def _kernel() -> Any:
    """The compiled walker, or None where numba is missing or cannot compile it."""
    try:
        from nutgraf._forest_kernel import predict
    except Exception:  # any failure to import or compile it means: predict with LightGBM
        return None
    return predict


class Predictor:
    """A model's plain predictions (probabilities for a binary model, raw values for a regression), exactly
    ``Booster.predict(x, num_threads=1)``'s, from its text (``text``) or a booster (``booster``, a model being
    trained): by LightGBM's C predictor, then (``policy``) by the compiled kernel, which gives the same doubles.
    ``compiled`` overrides the policy (True: the kernel now; False: LightGBM only). Thread-safe."""

    def __init__(self, booster: Any = None, *, text: str | None = None, compiled: bool | None = None) -> None:
        if text is None:
            if booster is None:
                raise ValueError("Predictor needs a booster or its model text")
            text = str(booster.model_to_string())
        self._text = text
        # LightGBM reads the text now, whatever the policy: a model it cannot read fails at load, never
        # mid-run, and --explain and the fallback have their booster.
        self.booster = booster if booster is not None else load_booster(text)
        """The LightGBM booster: explanations and the fallback use it."""
        self._lock = threading.Lock()
        self._direct: Any = None
        self._forest: Forest | None = None
        mode = policy() if compiled is None else ("on" if compiled else "off")
        self._allowed = mode != "off"
        """Whether the kernel may be used at all (``compile`` moves to it only then)."""
        self._calls_left = {"on": 0, "auto": COMPILED_AFTER, "off": -1}[mode]
        """Calls before moving to the kernel; -1: not by counting (LightGBM only, or the move was made)."""
        if self._calls_left == 0:
            self._compile(strict=True)

    def compile(self, on: bool = True) -> bool:
        """Move to the compiled kernel now, unless the policy (or ``compiled=False``) is off: a service does
        this at start, so no request pays for loading it. ``on=False`` moves back to LightGBM for good (a
        benchmark's comparison). Whether predictions now come from the kernel."""
        with self._lock:
            if not on:
                self._forest, self._calls_left = None, -1
            elif self._allowed and self._forest is None:
                self._compile(strict=True)
        return self.compiled

    def _compile(self, strict: bool = False) -> None:
        """Move to the compiled kernel when it can run this model; else stay with LightGBM for good. Text
        the kernel's reader refuses raises ``ValueError`` when ``strict`` (at load, or an explicit move),
        and otherwise (the move at the 256th call) leaves the predictor on LightGBM, which read it. The
        kernel runs once here on a row of zeros: its first call loads the machine code (a few hundred
        milliseconds), which belongs to the move, not to the first article after it."""
        import numpy as np

        self._calls_left = -1
        try:
            forest = self._arrays
        except ValueError:
            if strict:
                raise
            return
        kernel = _kernel()
        if forest is None or kernel is None:
            return
        forest.run(kernel, np.zeros((1, forest.features)), np.empty(1))
        self._forest = forest

    @cached_property
    def _arrays(self) -> Forest | None:
        """The model's trees for the kernel (``parse_forest``), read once: moving back and forth re-reads
        nothing."""
        return parse_forest(self._text)

    @property
    def compiled(self) -> bool:
        """Whether predictions come from the compiled kernel now (else from LightGBM)."""
        return self._forest is not None

    def __call__(self, x: Any) -> Any:
        import numpy as np

        if self._calls_left > 0:
            with self._lock:
                self._calls_left -= 1
                if self._calls_left == 0:
                    self._compile()
        forest = self._forest
        if forest is not None and x.ndim == 2 and x.shape[1] == forest.features:
            x = np.ascontiguousarray(x, dtype=np.float64)
            out = np.empty(x.shape[0], dtype=np.float64)
            if x.shape[0]:
                forest.run(_kernel(), x, out)
            return out
        with self._lock:
            if self._direct is None:
                self._direct = _Direct(self.booster)
            return self._direct(x)


class _Direct:
    """A booster's predictions from LightGBM's C function ``LGBM_BoosterPredictForMat`` called directly: the
    very function and parameters ``Booster.predict(x, num_threads=1)`` ends in, so the same numbers, without the
    Python layer ``Booster.predict`` builds on every call (a new inner predictor, its parameters parsed, the
    input checked and copied), which costs more than the trees on a news article's 30 rows. Falls back to
    ``Booster.predict`` where this LightGBM's internals are not the ones it was written against."""

    def __init__(self, booster: Any) -> None:
        import ctypes

        self.booster = booster
        self._lib = None
        try:
            import lightgbm.basic as lgb_basic

            lib = getattr(lgb_basic, "_LIB")  # noqa: B009 - private: mypy knows no such name
            handle = booster._handle
            self._call = lib.LGBM_BoosterPredictForMat
            self._lib = lib
        except AttributeError:  # pragma: no cover - another LightGBM layout
            return
        self._handle = handle
        self._columns = int(booster.num_feature())
        self._iterations = ctypes.c_int(int(getattr(booster, "best_iteration", -1)))
        self._parameters = ctypes.c_char_p(b"num_threads=1")
        self._ctypes = ctypes

    def __call__(self, x: Any) -> Any:
        import numpy as np

        if self._lib is None or x.ndim != 2 or x.shape[1] != self._columns:
            return self.booster.predict(x, num_threads=1)
        ct = self._ctypes
        x = np.ascontiguousarray(x, dtype=np.float64)
        out = np.empty(x.shape[0], dtype=np.float64)
        written = ct.c_int64(0)
        status = self._call(
            self._handle,
            x.ctypes.data_as(ct.c_void_p),
            ct.c_int(1),  # C_API_DTYPE_FLOAT64
            ct.c_int32(x.shape[0]),
            ct.c_int32(x.shape[1]),
            ct.c_int(1),  # C_API_IS_ROW_MAJOR
            ct.c_int(0),  # C_API_PREDICT_NORMAL
            ct.c_int(0),  # start iteration
            self._iterations,
            self._parameters,
            ct.byref(written),
            out.ctypes.data_as(ct.POINTER(ct.c_double)),
        )
        if status != 0 or written.value != x.shape[0]:
            return self.booster.predict(x, num_threads=1)  # let LightGBM raise its own error, or answer
        return out
