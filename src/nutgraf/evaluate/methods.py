"""The methods an evaluation compares, and the options each nutgraf method runs with.

One base ``Options`` holds for every nutgraf method in a run (its ``k`` is the run's ``k``; ``redundancy``,
``order``, ``max_words``, ``compress``, ... apply to each). Per method only three fields differ: the method
itself, ``model`` (kept only for a scorer that reads one) and ``compress`` (also on for ``X+compress``).
Peers and the plain Lead-3 take only ``k``.

Each method's ``Summarizer`` comes from ``pipeline.summarizer_for``: one per options and model-file
version, so checking the options, naming the model and scoring rows share it, and a model retrained in place
at the same path (training's validation does that between runs in one process) is read again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from nutgraf.contracts import Options, Rejection
from nutgraf.errors import EvaluationError, OptionError, UnknownName, UsageError
from nutgraf.evaluate.peers import PEER_NAMES, load_peer, peer_note
from nutgraf.evaluate.rows import EvalRow
from nutgraf.pipeline import summarizer_for
from nutgraf.registry import get_compressor, get_scorer, method_names, resolve
from nutgraf.segment import segment
from nutgraf.summarizer import Summarizer

BASELINE = "lead"
PLAIN_LEAD3 = "lead3-plain"
"""Plain Lead-3: the first three sentences of the raw text (no cleaning, no filters), nutgraf's segmenter.
The baseline that published Lead-3 numbers correspond to."""
PARA_LEADS = "para-leads"
"""Paragraph leads: the first sentence of each paragraph of the raw text, in order (then second sentences,
and so on, when there are fewer than k paragraphs), nutgraf's segmenter, no cleaning. What an editor reads
first; on text without paragraph breaks it is plain Lead-3."""
PLAIN_BASELINES = (PLAIN_LEAD3, PARA_LEADS)
COMPRESSED = "+compress"
"""Suffix of a nutgraf method run with compression (``gbdt+compress``): in the same run as the method
itself, the report adds a paired comparison of compression on against off."""

Producer = Callable[[EvalRow], list[dict[str, Any]]]
"""Turns a row into highlights: dicts with at least ``text`` (and ``spans`` for nutgraf's methods)."""


class MethodFailed(Exception):
    """A nutgraf method rejected a valid row (the row scores 0 for that method and is listed)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


# ---------------------------------------------------------------------------------------------- names


def base_method(name: str) -> str:
    """``gbdt+compress`` -> ``gbdt``; any other name as it is."""
    return name.removesuffix(COMPRESSED)


def is_ours(name: str) -> bool:
    """Whether ``name`` is one of nutgraf's methods, compressed or not."""
    return base_method(name) in method_names()


def available_methods() -> list[str]:
    """Every name ``--methods`` takes, in report order: nutgraf's methods, plain Lead-3, the peers."""
    ours = [BASELINE, *(m for m in method_names() if m != BASELINE)]
    return [*ours, *PLAIN_BASELINES, *PEER_NAMES]


def expand_methods(spec: str) -> list[str]:
    """``lead,textrank`` -> names; ``all`` -> every nutgraf method, the plain Lead-3 and every peer."""
    names: list[str] = []
    for raw in spec.split(","):
        name = raw.strip().lower()
        if name == "all":
            names.extend(available_methods())
        elif name == "peers":
            names.extend(PEER_NAMES)
        elif name:
            names.append(name)
    valid = set(available_methods())
    for name in names:
        if name not in valid and not (name.endswith(COMPRESSED) and is_ours(name)):
            raise UnknownName(
                f"Unknown method {name!r}. Available: {', '.join(available_methods())}, all, peers "
                f"(and any of nutgraf's methods with {COMPRESSED}, e.g. gbdt{COMPRESSED})"
            )
    out = list(dict.fromkeys(names))
    if BASELINE not in out:
        out.insert(0, BASELINE)  # the paired comparison needs the baseline in the same run
    return out


def compression_pairs(methods: Sequence[str]) -> list[tuple[str, str]]:
    """(``X+compress``, ``X``) for each compressed method whose plain form is in the run too."""
    return [(m, base_method(m)) for m in methods if m.endswith(COMPRESSED) and base_method(m) in methods]


# -------------------------------------------------------------------------------------------- options


def base_options(
    k: int | None = None, model: str | None = None, compress: bool = False, options: Options | None = None
) -> Options:
    """The run's base options: ``options`` when given, else built from the older ``k``/``model``/``compress``
    keywords (so code written before ``options`` keeps working). Both at once is a mistake, not a merge."""
    if options is None:
        return Options(k=k, model=model, compress=compress)
    if model is not None or compress:
        raise OptionError(
            "give model and compress inside options (Options(model=..., compress=...)), not beside it"
        )
    return options


def method_options(base: Options, name: str) -> Options:
    """The options nutgraf method ``name`` runs with: the base, with the method, the model only for a scorer
    that reads one, and compression on for ``X+compress``."""
    method = base_method(name)
    uses_model = get_scorer(method).uses_model
    return replace(
        base,
        method=method,
        model=base.model if uses_model else None,
        compress=base.compress or name.endswith(COMPRESSED),
    )


def check_options(base: Options, methods: Sequence[str]) -> None:
    """Fail before any row is read on options that cannot work for this run, and set up every method once:
    each nutgraf method's ``Summarizer`` (a bad model file raises ``ModelError`` here) and each peer (a
    missing package raises ``PeerUnavailable``)."""
    ours = [m for m in methods if is_ours(m)]
    if base.references or base.explain:
        raise OptionError(
            "an evaluation scores each row against its own highlights and scores no explanations: "
            "leave references and explain unset"
        )
    if base.compress and any(m.endswith(COMPRESSED) for m in ours):
        raise EvaluationError(
            f"--compress compresses every nutgraf method, so {COMPRESSED} would compare compressed with "
            f"compressed; to compare compression on and off, leave out --compress and list e.g. "
            f"gbdt,gbdt{COMPRESSED}"
        )
    if base.model is not None and not any(get_scorer(base_method(m)).uses_model for m in ours):
        raise UsageError(
            f"--model only applies to the learned method (gbdt); {', '.join(methods)} would ignore it"
        )
    for name in methods:
        if is_ours(name):
            summarizer_for(method_options(base, name))
        elif name not in PLAIN_BASELINES:
            load_peer(name)


def model_id(base: Options, methods: Iterable[str]) -> str | None:
    """The id (``name@sha256``) of the model the run's learned method uses, if one is in the run."""
    for name in methods:
        if is_ours(name) and get_scorer(base_method(name)).uses_model:
            return summarizer_for(method_options(base, name)).model_id
    return None


# ------------------------------------------------------------------------------------------ producers


def make_producer(
    name: str,
    k: int | None = None,
    model: str | None = None,
    compress: bool = False,
    options: Options | None = None,
) -> Producer:
    """The function that gives a method's highlights for a row (set up once per process). ``options`` is
    the run's base (see ``base_options``; without it, ``k``, ``model`` and ``compress`` make one)."""
    base = base_options(k, model, compress, options)
    if name == PLAIN_LEAD3:
        return _plain_lead(base.effective_k)
    if name == PARA_LEADS:
        return _paragraph_leads(base.effective_k)
    if is_ours(name):
        return _ours(summarizer_for(method_options(base, name)))
    return _peer(name, base.effective_k)


def _plain_lead(k: int) -> Producer:
    def lead3(row: EvalRow) -> list[dict[str, Any]]:
        return [{"text": s.text, "spans": [[s.start, s.end]]} for s in segment(row.article.text)[:k]]

    return lead3


def _paragraph_leads(k: int) -> Producer:
    def para_leads(row: EvalRow) -> list[dict[str, Any]]:
        sentences = segment(row.article.text)
        place: list[int] = []
        for i, s in enumerate(sentences):
            place.append(0 if i == 0 or s.paragraph != sentences[i - 1].paragraph else place[-1] + 1)
        chosen = sorted(sorted(range(len(sentences)), key=lambda i: (place[i], i))[:k])
        return [
            {"text": sentences[i].text, "spans": [[sentences[i].start, sentences[i].end]]} for i in chosen
        ]

    return para_leads


def _ours(summarizer: Summarizer) -> Producer:
    def nutgraf_method(row: EvalRow) -> list[dict[str, Any]]:
        result = summarizer(row.article)  # the article carries its references, for the oracle
        if isinstance(result, Rejection):
            raise MethodFailed(result.reason, result.message)
        return [{"text": h.text, "spans": [list(s) for s in h.spans]} for h in result.highlights]

    return nutgraf_method


def _peer(name: str, k: int) -> Producer:
    peer = load_peer(name)

    def peer_method(row: EvalRow) -> list[dict[str, Any]]:
        return [{"text": t} for t in peer(row.article.text, k)]

    return peer_method


# -------------------------------------------------------------------------------------------- notes


def method_notes(methods: Iterable[str]) -> dict[str, str]:
    """One line per method for reports: the versioned scorer, the peer's package and version, ..."""
    notes = {}
    for m in methods:
        if m in PEER_NAMES:
            notes[m] = peer_note(m)
        elif m == PLAIN_LEAD3:
            notes[m] = "first three sentences of the raw text (nutgraf's segmenter, no cleaning or filters)"
        elif m == PARA_LEADS:
            notes[m] = (
                "first sentence of each of the first three paragraphs of the raw text (Lead-3 without breaks)"
            )
        elif m.endswith(COMPRESSED):
            versioned = resolve(base_method(m))[1]
            notes[m] = f"{versioned} with --compress ({get_compressor().prepare()})"
        else:
            alias, versioned = resolve(m)
            notes[m] = versioned if alias == m else f"{versioned} (= {alias})"
    return notes
