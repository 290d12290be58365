"""Model files for the learned scorer: loading, checking and predicting.

A model file is gzipped JSON: a metadata record (what the model needs, how it was trained, on which data,
with which validation scores) and the LightGBM booster as text. The metadata names the versioned scorer and
feature set it needs, so a model from an older feature set is refused with a message instead of scoring
garbage. ``nutgraf train`` writes these files; the default model ships inside the package.
"""

from __future__ import annotations

import hashlib
import json
import threading
import zlib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from nutgraf.contracts import Contribution
from nutgraf.errors import ModelError as ModelError  # re-exported: callers import it with the model API
from nutgraf.errors import UsageError
from nutgraf.learned.features import FEATURE_NAMES, FEATURE_VERSION
from nutgraf.learned.sets import SET_NAMES, SET_VERSION, SetInput, candidate_sets
from nutgraf.trees import Predictor, load_booster
from nutgraf.trees import set_max_threads as set_max_threads  # re-exported: training imports it here

MODEL_FORMAT = "nutgraf.model.v1"
MODEL_MAX_BYTES = 64 << 20
"""The most a model file may hold, gzipped or inflated (the bundled one: 0.8 MB gzipped, 3 MB inflated)."""
SCORER_NAME = "nutgraf.scorer.gbdt.v1"
BUNDLED_MODEL = "gbdt-v1.json.gz"
"""The model that ships in ``nutgraf/data`` and that ``--model`` replaces."""

SCORE_DIGITS = 9
"""Scores are rounded so that float noise on another CPU cannot reorder sentences; ties go by position."""


class Model:
    """A loaded model: the booster, the columns it reads, and its metadata. Safe to share across threads."""

    def __init__(
        self, booster: str | Any, metadata: dict[str, Any], source: str, set_booster: str | Any | None = None
    ) -> None:
        """``booster`` and ``set_booster``: LightGBM model text (as model files hold it) or boosters."""
        self.metadata = metadata
        self.source = source
        self.features: tuple[str, ...] = tuple(metadata["features"]["names"])
        self._columns = [FEATURE_NAMES.index(name) for name in self.features]
        self._all = self._columns == list(range(len(FEATURE_NAMES)))
        self._lock = threading.Lock()
        self._predict = _predictor(booster)
        self._predict_set = _predictor(set_booster) if set_booster is not None else None

    @property
    def booster(self) -> Any:
        """The sentence scorer's LightGBM booster (``--explain`` reads it; predictions come from
        ``trees.Predictor``)."""
        return self._predict.booster

    @property
    def set_booster(self) -> Any | None:
        """The set scorer (``learned.sets``) as a LightGBM booster, or None for a model file without one (top
        k by score)."""
        return self._predict_set.booster if self._predict_set is not None else None

    @property
    def compiled(self) -> bool:
        """Whether the sentence scorer predicts with the compiled kernel now (``trees.Predictor``)."""
        return self._predict.compiled

    @property
    def has_sets(self) -> bool:
        """Whether the model file has a set scorer."""
        return self._predict_set is not None

    def compile(self, on: bool = True) -> bool:
        """Predict with the compiled kernel from now on, or (``on=False``) with LightGBM
        (``trees.Predictor.compile``); whether the kernel predicts."""
        return all([p.compile(on) for p in (self._predict, self._predict_set) if p is not None])

    @property
    def id(self) -> str:
        """``name@sha256-prefix``: what a summary records about the model that scored it."""
        return f"{self.metadata.get('name', 'model')}@{self.metadata['sha256'][:12]}"

    def _matrix(self, rows: Any) -> Any:
        import numpy as np

        x = np.asarray(rows, dtype=np.float64)
        return x if self._all else x[:, self._columns]

    def predict(self, rows: Any) -> tuple[float, ...]:
        """The probability that each sentence belongs among the reference highlights' best match, for each
        row (a list of ``FEATURE_NAMES`` rows, or a 2-D array of them)."""
        if len(rows) == 0:
            return ()
        p = self._predict(self._matrix(rows))
        return tuple(round(float(v), SCORE_DIGITS) for v in p)

    def choose(self, inp: SetInput, sizes: tuple[int, ...]) -> tuple[int, ...] | None:
        """The candidate set of one of ``sizes`` that the set scorer rates best, as document sentence
        indexes in document order; None when there is no set scorer or too few usable sentences."""
        if self._predict_set is None or not sizes:
            return None
        sets, rows = candidate_sets(inp, sizes)
        if not sets:
            return None
        import numpy as np

        pred = self._predict_set(np.asarray(rows, dtype=np.float64))
        values = [round(float(v), SCORE_DIGITS) for v in pred]
        best = max(range(len(sets)), key=lambda j: (values[j], -j))
        return tuple(inp.sentences[i] for i in sets[best])

    def contributions(self, rows: Any, top: int = 3) -> list[tuple[Contribution, ...]]:
        """For each row, the ``top`` features that moved its score most (largest absolute SHAP value)."""
        if len(rows) == 0:
            return []
        x = self._matrix(rows)
        with self._lock:
            contrib = self.booster.predict(x, pred_contrib=True, num_threads=1)
        out = []
        for r, row in enumerate(contrib):
            values = row[:-1]  # the last column is the bias (expected value)
            order = sorted(range(len(values)), key=lambda j: (-abs(values[j]), j))[:top]
            out.append(
                tuple(
                    Contribution(self.features[j], round(float(x[r, j]), 6), round(float(values[j]), 6))
                    for j in order
                )
            )
        return out


@lru_cache(maxsize=8)
def bundled_model_path(name: str = BUNDLED_MODEL) -> Path:
    """Where a bundled model is (looked up once: the package does not move while it runs): English's by
    default, another language's by its file name (``lang/data/<code>.toml``'s ``model``)."""
    return Path(str(resources.files("nutgraf") / "data" / name))


def read_model_file(path: str | Path, fmt: str = MODEL_FORMAT) -> dict[str, Any]:
    """The parsed JSON of a model file of format ``fmt`` (the scorer's, or the compressor's), with its
    SHA-256 added as ``metadata.sha256``."""
    path = Path(path)
    try:
        if path.stat().st_size > MODEL_MAX_BYTES:
            raise ModelError(
                f"{path} is {path.stat().st_size:,} bytes, more than any nutgraf model file "
                f"({MODEL_MAX_BYTES:,}-byte limit)"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"model file not found: {path}") from None
    except IsADirectoryError:
        raise ModelError(f"{path} is a directory, not a model file") from None
    except OSError as exc:
        raise ModelError(f"cannot read model file {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(_inflate(raw, path) if raw[:2] == b"\x1f\x8b" else raw)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError):
        raise ModelError(
            f"{path} is not a nutgraf model file (expected the gzipped JSON that 'nutgraf train' writes)"
        ) from None
    if not isinstance(data, dict) or data.get("format") != fmt or "booster" not in data:
        raise ModelError(f"{path} is not a nutgraf model file (expected format {fmt!r})")
    meta = data.get("metadata")
    if not isinstance(meta, dict):
        raise ModelError(f"{path} has no metadata record; retrain it with 'nutgraf train'")
    meta["sha256"] = hashlib.sha256(raw).hexdigest()
    return data


def _inflate(raw: bytes, path: Path) -> bytes:
    """A gzipped model file's bytes, refusing (``ModelError``) one that inflates past ``MODEL_MAX_BYTES``
    before holding more than that in memory: a 2 MB gzip bomb must not take gigabytes."""
    inflater = zlib.decompressobj(wbits=31)
    out = bytearray()
    pending = raw
    while pending and not inflater.eof:
        out += inflater.decompress(pending, 1 << 20)  # a megabyte at a time
        pending = inflater.unconsumed_tail
        if len(out) > MODEL_MAX_BYTES:
            raise ModelError(
                f"{path} inflates to more than {MODEL_MAX_BYTES:,} bytes: not a nutgraf model file (a gzip bomb?)"
            )
    return bytes(out)


def _check(meta: dict[str, Any], path: str) -> None:
    if not isinstance(meta.get("features"), dict):
        raise ModelError(f"{path}: the metadata has no feature record; retrain it with 'nutgraf train'")
    scorer = meta.get("scorer")
    if scorer != SCORER_NAME:
        raise ModelError(f"{path} is a model for scorer {scorer!r}; this nutgraf runs {SCORER_NAME!r}")
    features = meta.get("features") or {}
    version = features.get("version")
    if version != FEATURE_VERSION:
        raise ModelError(
            f"{path} was trained on features {version!r}, but this nutgraf computes {FEATURE_VERSION!r}: "
            "retrain it with 'nutgraf train' (the metadata records the command that made it)"
        )
    sets = meta.get("sets")
    if sets is not None and (
        not isinstance(sets, dict)
        or sets.get("version") != SET_VERSION
        or sets.get("names") != list(SET_NAMES)
    ):
        raise ModelError(
            f"{path} has a set scorer of another version ({sets.get('version') if isinstance(sets, dict) else sets!r}"
            f"), but this nutgraf computes {SET_VERSION!r}: retrain it with 'nutgraf train'"
        )
    names = features.get("names")
    if (
        not isinstance(names, list)
        or not names
        or any(n not in FEATURE_NAMES for n in names)
        or len(set(names)) != len(names)
    ):
        raise ModelError(
            f"{path} names features this nutgraf does not compute; retrain it with 'nutgraf train'"
        )


def booster_digest(booster_text: str) -> str:
    return hashlib.sha256(booster_text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=8)
def _load(path: str, stamp: tuple[int, int]) -> Model:
    """``stamp`` (modification time, size) keys the cache, so a model rewritten in place is read again."""
    data = read_model_file(path)
    meta = data["metadata"]
    _check(meta, path)
    text = booster_text(data, path)
    if _feature_names(text) != list(meta["features"]["names"]):
        raise ModelError(f"{path}: the booster's features differ from its metadata's; retrain it")
    set_text = None
    if meta.get("sets") is not None:
        set_text = booster_text(
            {
                "booster": data.get("set_booster"),
                "metadata": {"booster_sha256": meta["sets"].get("booster_sha256")},
            },
            path,
        )
    try:
        return Model(text, meta, path, set_text)
    except UsageError:
        raise
    except ValueError as exc:  # the trees do not parse: a booster text that passed its checksum, edited
        raise ModelError(f"{path}: the booster in this model file is damaged ({exc})") from None


def _feature_names(text: str) -> list[str]:
    """The feature names a LightGBM model text declares (its ``feature_names=`` line)."""
    for line in text.partition("\nTree=")[0].splitlines():
        if line.startswith("feature_names="):
            return line[len("feature_names=") :].split()
    return []


def _predictor(booster: str | Any) -> Predictor:
    """A predictor for LightGBM model text or a booster."""
    return Predictor(text=booster) if isinstance(booster, str) else Predictor(booster)


def booster_text(data: dict[str, Any], path: str) -> str:
    """The LightGBM model text of a model file read by ``read_model_file``, after checking it against the
    digest in its metadata (LightGBM can crash on a truncated booster)."""
    text = data["booster"]
    if not isinstance(text, str) or booster_digest(text) != data["metadata"].get("booster_sha256"):
        raise ModelError(
            f"{path}: the booster does not match the checksum in its metadata (damaged or edited); "
            "retrain it with 'nutgraf train'"
        )
    return text


def booster_from(data: dict[str, Any], path: str) -> Any:
    """The LightGBM booster of a model file read by ``read_model_file``, after checking it against the
    digest in its metadata, built with one OpenMP thread."""
    try:
        return load_booster(booster_text(data, path))
    except ModelError:
        raise
    except ValueError as exc:
        raise ModelError(f"{path}: the booster in this model file is damaged ({exc})") from None


def load_model(path: str | None = None) -> Model:
    """The model at ``path`` (a file from ``nutgraf train``), or the bundled one. Loaded once per process and
    file version: each call checks the file's modification time and size, so a model rewritten in place is
    read again (``GbdtScorer`` keeps the loaded model instead of calling this for every article)."""
    resolved = bundled_model_path() if path is None else Path(path).expanduser().resolve()
    try:
        st = resolved.stat()
    except FileNotFoundError:
        raise ModelError(f"model file not found: {path if path is not None else resolved}") from None
    except OSError as exc:
        raise ModelError(f"cannot read model file {resolved}: {exc.strerror or exc}") from None
    return _load(str(resolved), (st.st_mtime_ns, st.st_size))
