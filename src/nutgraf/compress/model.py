"""The compressor's model: what it knows about a deletable unit, and the probability it gives an editor
deleting it.

The model is a small LightGBM booster learned from CNN highlights aligned with their source sentences
(``scripts/train_compressor.py``), shipped in ``nutgraf/data``. Its input is the parse of the sentence, so
its id names the parser build too, and loading it loads the parser: a missing extra or a damaged file fails
once, before any article is read.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from nutgraf.compress.rules import ANY_QUOTE, UNIT_KINDS, Unit, inside_quotation
from nutgraf.compress.syntax import (
    DEP_KINDS,
    PARSER_PACKAGE,
    parser,
    parsing,
    sentence_units,
    top_token,
)
from nutgraf.contracts import Document
from nutgraf.errors import ModelError
from nutgraf.lang import alternation, language

COMPRESS_FEATURE_VERSION = "nutgraf.compress.features.v2"
ALL_KINDS = (*UNIT_KINDS, *DEP_KINDS)
_POS = ("VERB", "AUX", "NOUN", "PROPN", "ADJ", "ADV", "ADP", "PRON", "SCONJ", "CCONJ", "DET", "NUM")
_HEAD_DEPS = (
    "ROOT", "nsubj", "nsubjpass", "dobj", "pobj", "conj", "ccomp", "xcomp", "advcl", "relcl", "acl", "attr", "appos"
)  # fmt: skip
# The words the model knows are English's (``nutgraf.lang.en``): the first words it has a column for, the
# words of its ``has_said`` column and the function words its article features skip. Changing one changes the
# model's features: it needs a new COMPRESS_FEATURE_VERSION and a retrained model.
_EN_WORDS = language("en").compression
_FIRST_WORDS = _EN_WORDS.unit_first_words
COMPRESS_FEATURES: tuple[str, ...] = (
    *(f"kind_{k}" for k in ALL_KINDS),
    "unit_words",
    "sentence_words",
    "unit_share",
    "rel_start",
    "at_end",
    "unit_caps",
    "unit_caps_share",
    "left_caps",
    "right_lower",
    "has_said",
    *(f"top_pos_{p}" for p in _POS),
    *(f"head_pos_{p}" for p in _POS),
    *(f"head_dep_{d}" for d in _HEAD_DEPS),
    *(f"first_{w}" for w in _FIRST_WORDS),
    "depth",
    "n_propn",
    "n_verbs",
    "comma_before",
    "comma_after",
    "head_is_root",
    "has_pronoun",
    "sentence_tokens",
    "article_mean_tf",
    "article_max_tf",
    "article_share_seen",
    "article_share_lead",
    "content_words",
)
_WORDS = re.compile(r"\S+")
_LOWER_WORD = re.compile(r"[a-z0-9]+")
_FUNCTION = _EN_WORDS.function_words
_SAID = re.compile(rf"\b(?:{alternation(_EN_WORDS.said_words)})\b")
_N_PARSE_FEATURES = 2 * len(_POS) + len(_HEAD_DEPS) + len(_FIRST_WORDS) + 8
_N_ARTICLE_FEATURES = 5


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """What the compressor's model knows of the article around a sentence: how often each word occurs in
    it, and the words of its opening (about its first 600 characters)."""

    counts: Counter[str]
    lead: frozenset[str]

    @classmethod
    def of(cls, article_text: str) -> ArticleContext:
        return cls(
            Counter(_LOWER_WORD.findall(article_text.lower())),
            frozenset(_LOWER_WORD.findall(article_text[:600].lower())),
        )


def unit_features(text: str, unit: Unit, parsed: Any, context: ArticleContext) -> list[float]:
    """What the compressor's model knows about a unit (``COMPRESS_FEATURES``, in order): its kind, size and
    place, its names and attribution, its head in the parse, and how much the rest of the article repeats
    its words."""
    return [
        *_shape_features(text, unit),
        *_parse_features(text, unit, parsed),
        *_article_features(text, unit, context),
    ]


def _shape_features(text: str, unit: Unit) -> list[float]:
    """The unit's kind, its size and place in the sentence, its capitalised words and any attribution."""
    piece = text[unit.start : unit.end]
    words = _WORDS.findall(piece)
    n_words = max(len(_WORDS.findall(text)), 1)
    caps = sum(1 for w in words[1:] if w[:1].isupper())
    left = text[: unit.start].split()
    right = text[unit.end :].split()
    return [
        *(1.0 if unit.kind == k else 0.0 for k in ALL_KINDS),
        float(len(words)),
        float(n_words),
        len(words) / n_words,
        unit.start / max(len(text), 1),
        1.0 if not text[unit.end :].strip(" .!?") else 0.0,
        float(caps),
        caps / max(len(words), 1),
        1.0 if left and left[-1][:1].isupper() else 0.0,
        1.0 if right and right[0][:1].islower() else 0.0,
        1.0 if _SAID.search(piece) else 0.0,
    ]


def _parse_features(text: str, unit: Unit, parsed: Any) -> list[float]:
    """The unit's head word in the parse (its part of speech, its head's, how deep it sits), its first word,
    and the commas, names, verbs and pronouns around and inside it; zeros when the unit holds no word."""
    top = top_token(parsed, unit.start, unit.end)
    if top is None:
        return [0.0] * _N_PARSE_FEATURES
    inside = [t for t in parsed if unit.start <= t.idx < unit.end and not t.is_punct]
    first = inside[0].lower_ if inside else ""
    depth, t = 0, top
    while t.head is not t and depth < 20:
        t, depth = t.head, depth + 1
    piece = text[unit.start : unit.end]
    before, after = text[: unit.start].rstrip(), text[unit.end :].lstrip()
    return [
        *(1.0 if top.pos_ == p else 0.0 for p in _POS),
        *(1.0 if top.head.pos_ == p else 0.0 for p in _POS),
        *(1.0 if top.head.dep_ == d else 0.0 for d in _HEAD_DEPS),
        *(1.0 if first == w else 0.0 for w in _FIRST_WORDS),
        float(depth),
        float(sum(t.pos_ == "PROPN" for t in inside)),
        float(sum(t.pos_ == "VERB" for t in inside)),
        1.0 if piece.startswith(",") or before.endswith(",") else 0.0,
        1.0 if after.startswith(",") or piece.endswith(",") else 0.0,
        1.0 if top.head.dep_ == "ROOT" else 0.0,
        1.0 if any(t.pos_ == "PRON" for t in inside) else 0.0,
        float(len(parsed)),
    ]


def _article_features(text: str, unit: Unit, context: ArticleContext) -> list[float]:
    """How often the rest of the article repeats the unit's content words, and whether its opening does:
    what the reader learns elsewhere can go from the key point."""
    content = [w for w in _LOWER_WORD.findall(text[unit.start : unit.end].lower()) if w not in _FUNCTION]
    if not content:
        return [0.0] * _N_ARTICLE_FEATURES
    own = Counter(_LOWER_WORD.findall(text.lower()))
    seen = [max(context.counts[w] - own[w], 0) for w in content]  # elsewhere in the article
    return [
        sum(seen) / len(content),
        float(max(seen)),
        sum(1 for v in seen if v > 0) / len(content),
        sum(1 for w in content if w in context.lead) / len(content),
        float(len(content)),
    ]


_LOCK = threading.Lock()
COMPRESS_MODEL = "compress-v2.json.gz"
COMPRESS_FORMAT = "nutgraf.compress-model.v1"
THRESHOLD = 0.85
"""Delete a unit when the model gives it at least this probability of an editor deleting it (chosen on
validation: ``scripts/compress_sweep.py``)."""


_LOAD_LOCK = threading.Lock()


def _loaded() -> tuple[Any, str]:
    """``_load``, once: the first requests of a service may come from several threads at once."""
    with _LOAD_LOCK:
        return _load()


@lru_cache(maxsize=1)
def _load() -> tuple[Any, str]:
    """The compressor's booster, shipped in ``nutgraf/data`` (``scripts/train_compressor.py`` makes it), and
    its id (``compress@`` and the booster's digest), read and checked once per process; the parser is loaded
    here too, so that a missing one fails before any article is read."""
    from pathlib import Path

    from nutgraf.learned.model import booster_from, read_model_file

    path = Path(str(resources.files("nutgraf") / "data" / COMPRESS_MODEL))
    data = read_model_file(path, COMPRESS_FORMAT)
    if data["metadata"].get("features", {}).get("version") != COMPRESS_FEATURE_VERSION:
        raise ModelError(f"{path} is not a compressor model for {COMPRESS_FEATURE_VERSION}; retrain it")
    booster = booster_from(data, str(path))
    nlp = parser()
    # The id names the parser too: its parses are the model's input, so a batch resumed under another
    # parser build must not mix the two.
    return (
        booster,
        f"compress@{data['metadata']['booster_sha256'][:12]}+{PARSER_PACKAGE}-{nlp.meta.get('version')}",
    )


def model_id() -> str:
    """The compressor model's id (its booster's digest and the parser's build): what a batch job's resume
    fingerprint includes. Loads the model and the parser, once."""
    return _loaded()[1]


def deletion_scores(rows: list[list[float]]) -> list[float]:
    """P(an editor deletes the unit), for each row of ``unit_features``."""
    if not rows:
        return []
    import numpy as np

    booster = _loaded()[0]
    with _LOCK:  # the service calls this from a thread pool; one prediction at a time, as for the scorer
        p = booster.predict(np.asarray(rows, dtype=np.float64), num_threads=1)
    return [round(float(v), 9) for v in p]


RULE_KINDS = {"that": 1.0}
"""Units that go by rule, not by the model (the probability they are given): an optional "that" carries no
content, so the references cannot teach the model about it."""


def scored_units(doc: Document, sentences: list[int]) -> dict[int, list[tuple[float, Unit]]]:
    """For each of the given sentences of ``doc``, its deletable units with P(an editor deletes it). The
    sentences are parsed in one batch; one inside a quotation, or holding a quotation mark, has none."""
    text = doc.article.text
    wanted = [
        i
        for i in sorted(set(sentences))
        if not inside_quotation(text, doc.sentences[i].start) and not ANY_QUOTE.search(doc.sentences[i].text)
    ]
    if not wanted:
        return {}
    context = ArticleContext.of(text)
    units: dict[int, list[Unit]] = {}
    rows: list[list[float]] = []
    with parsing([doc.sentences[i].text for i in wanted]) as parses:  # strings freed when it ends
        for i, parsed in zip(wanted, parses, strict=True):
            s = doc.sentences[i].text
            units[i] = sentence_units(s, parsed)
            rows += [unit_features(s, u, parsed, context) for u in units[i] if u.kind not in RULE_KINDS]
    scores = iter(deletion_scores(rows))
    return {
        i: [(RULE_KINDS[u.kind] if u.kind in RULE_KINDS else next(scores), u) for u in units[i]]
        for i in wanted
    }
