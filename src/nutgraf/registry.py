"""Swappable parts by name: scorers, segmenters and compressors registered under versioned names.

A saved result or model names the versioned part it used (``nutgraf.scorer.lead.v1``), so it keeps meaning
the same thing after a ``.v2`` appears; users type the short alias (``lead``). Parts are built lazily, once
per process, by their factory, and shared: a part keeps no per-call state.

Third-party scorers register in code (``nutgraf.register_scorer``) or, to be found by the ``nutgraf``
command too, through the ``nutgraf.scorers`` entry-point group: an entry point named by the alias whose
object is a factory (usually the scorer class).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from importlib import metadata
from typing import Generic, TypeVar

from nutgraf.contracts import Compressor, Scorer, Segmenter
from nutgraf.errors import UnknownName

T = TypeVar("T")

RegisteredScorer = Scorer
"""The name ``contracts.Scorer`` had here before the Protocols in ``contracts`` were the ones used."""

ENTRY_POINT_GROUP = "nutgraf.scorers"


class _Registry(Generic[T]):
    """Factories by versioned name, aliases to versioned names, and the built instances."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.factories: dict[str, Callable[[], T]] = {}
        self.aliases: dict[str, str] = {}
        self.instances: dict[str, T] = {}
        self.lock = threading.Lock()

    def register(self, name: str, factory: Callable[[], T], alias: str | None) -> None:
        key = name.strip().lower()
        if not key or key == "default":
            raise UnknownName(f"a {self.kind} needs a versioned name such as 'acme.{self.kind}.mine.v1'")
        with self.lock:
            self.factories[key] = factory
            self.instances.pop(key, None)
            if alias is not None:
                self.aliases[alias.strip().lower()] = key

    def names(self) -> list[str]:
        return sorted(self.aliases)

    def resolve(self, name: str) -> tuple[str, str] | None:
        key = name.strip().lower()
        if key in self.aliases:
            return key, self.aliases[key]
        if key in self.factories:
            return next((a for a, n in self.aliases.items() if n == key), key), key
        return None

    def get(self, versioned: str) -> T:
        with self.lock:
            if versioned not in self.instances:
                self.instances[versioned] = self.factories[versioned]()
            return self.instances[versioned]


_SCORERS: _Registry[Scorer] = _Registry("scorer")
_SEGMENTERS: _Registry[Segmenter] = _Registry("segmenter")
_COMPRESSORS: _Registry[Compressor] = _Registry("compressor")
_entry_points_loaded = False


def register_scorer(name: str, factory: Callable[[], Scorer], *, alias: str | None = None) -> None:
    """Register a scorer under its versioned ``name`` (``"acme.scorer.mine.v1"``); ``alias`` (``"mine"``)
    is what users type as the method. ``factory`` (usually the class) is called once, on first use."""
    _SCORERS.register(name, factory, alias)


def register_segmenter(name: str, factory: Callable[[], Segmenter], *, alias: str | None = None) -> None:
    _SEGMENTERS.register(name, factory, alias)


def register_compressor(name: str, factory: Callable[[], Compressor], *, alias: str | None = None) -> None:
    _COMPRESSORS.register(name, factory, alias)


_ENTRY_POINTS_LOCK = threading.Lock()


def _load_entry_points() -> None:
    """Scorers other packages declare under ``nutgraf.scorers`` (read once, under a lock, so that a
    concurrent lookup never sees half of them)."""
    global _entry_points_loaded
    with _ENTRY_POINTS_LOCK:
        if _entry_points_loaded:
            return
        for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
            if _SCORERS.resolve(ep.name) is not None:
                continue

            def factory(ep: metadata.EntryPoint = ep) -> Scorer:
                made: Scorer = ep.load()()
                return made

            try:
                versioned = str(ep.value).replace(":", ".")
                register_scorer(f"{versioned}.entry-point", factory, alias=ep.name)
            except UnknownName:  # pragma: no cover - an unusable name in someone else's package
                continue
        _entry_points_loaded = True


def method_names() -> list[str]:
    """The user-facing method names, ``default`` first (entry-point scorers included)."""
    _load_entry_points()
    return ["default", *(a for a in _SCORERS.names() if a != "default")]


def resolve(method: str) -> tuple[str, str]:
    """Map a user-facing method name (or a versioned name) to ``(alias, versioned name)``."""
    key = method.strip().lower() if isinstance(method, str) else ""
    if key == "default":
        key = DEFAULT_METHOD
    found = _SCORERS.resolve(key)
    if found is None:
        _load_entry_points()
        found = _SCORERS.resolve(key)
    if found is None:
        raise UnknownName(f"Unknown method {method!r}. Available: {', '.join(method_names())}")
    return found


def get_scorer(method: str) -> Scorer:
    """The shared (stateless) scorer instance for a method name."""
    return _SCORERS.get(resolve(method)[1])


def get_segmenter(name: str = "news") -> Segmenter:
    found = _SEGMENTERS.resolve(name)
    if found is None:
        raise UnknownName(f"Unknown segmenter {name!r}. Available: {', '.join(_SEGMENTERS.names())}")
    return _SEGMENTERS.get(found[1])


def get_compressor(name: str = "deletion") -> Compressor:
    found = _COMPRESSORS.resolve(name)
    if found is None:
        raise UnknownName(f"Unknown compressor {name!r}. Available: {', '.join(_COMPRESSORS.names())}")
    return _COMPRESSORS.get(found[1])


def _gbdt() -> Scorer:
    from nutgraf.learned.scorer import GbdtScorer

    return GbdtScorer()


def _news_segmenter() -> Segmenter:
    from nutgraf.segment import NewsSegmenter

    return NewsSegmenter()


def _deletion_compressor() -> Compressor:
    from nutgraf.compress import DeletionCompressor

    return DeletionCompressor()


def _register_builtin() -> None:
    from nutgraf import score

    register_scorer(score.LeadScorer.name, score.LeadScorer, alias="lead")
    register_scorer(score.TextRankScorer.name, score.TextRankScorer, alias="textrank")
    register_scorer(score.OracleScorer.name, score.OracleScorer, alias="oracle")
    register_scorer("nutgraf.scorer.gbdt.v1", _gbdt, alias="gbdt")
    register_segmenter("nutgraf.segmenter.news.v1", _news_segmenter, alias="news")
    register_compressor("nutgraf.compressor.deletion.v2", _deletion_compressor, alias="deletion")


DEFAULT_METHOD = "gbdt"
"""What ``default`` means: the best method nutgraf ships, by validation ROUGE (see the README)."""

_register_builtin()
