"""Swappable parts by name: scorers are registered under versioned names and reached by short aliases.

A saved result or model names the versioned part it used (``nutgraf.scorer.lead.v1``), so it keeps meaning
the same thing after a ``.v2`` appears; users type the short alias (``lead``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from nutgraf.contracts import Document, Options, SentenceFeatures, UnknownName


class RegisteredScorer(Protocol):
    name: str
    needs_references: bool

    def __call__(self, doc: Document, feats: SentenceFeatures, options: Options) -> tuple[float, ...]: ...


_FACTORIES: dict[str, Callable[[], RegisteredScorer]] = {}
_ALIASES: dict[str, str] = {}
_INSTANCES: dict[str, RegisteredScorer] = {}


def register_scorer(name: str, factory: Callable[[], RegisteredScorer], *, alias: str | None = None) -> None:
    """Register a scorer under its versioned ``name``; ``alias`` (e.g. ``lead``) then points to it."""
    _FACTORIES[name] = factory
    if alias is not None:
        _ALIASES[alias] = name


def method_names() -> list[str]:
    """The user-facing method names, ``default`` first."""
    return ["default", *sorted(a for a in _ALIASES if a != "default")]


def resolve(method: str) -> tuple[str, str]:
    """Map a user-facing method name (or a versioned name) to ``(alias, versioned name)``."""
    key = method.strip().lower()
    if key == "default":
        key = DEFAULT_METHOD
    if key in _ALIASES:
        return key, _ALIASES[key]
    if key in _FACTORIES:
        alias = next((a for a, n in _ALIASES.items() if n == key), key)
        return alias, key
    available = ", ".join(method_names())
    raise UnknownName(f"Unknown method {method!r}. Available: {available}")


def get_scorer(method: str) -> RegisteredScorer:
    """The shared (stateless) scorer instance for a method name."""
    _, name = resolve(method)
    if name not in _INSTANCES:
        _INSTANCES[name] = _FACTORIES[name]()
    return _INSTANCES[name]


def _register_builtin() -> None:
    from nutgraf import score

    register_scorer(score.LeadScorer.name, score.LeadScorer, alias="lead")
    register_scorer(score.TextRankScorer.name, score.TextRankScorer, alias="textrank")
    register_scorer(score.OracleScorer.name, score.OracleScorer, alias="oracle")
    register_scorer(score.GbdtScorer.name, score.GbdtScorer, alias="gbdt")


DEFAULT_METHOD = "gbdt"
"""What ``default`` means: the best method nutgraf ships, by validation ROUGE (see the README)."""

_register_builtin()
