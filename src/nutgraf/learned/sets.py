"""Key points chosen as a set: candidate sets of 2 to 4 sentences from the best-scored ones, scored as a whole.

The sentence scorer ranks sentences one at a time; it cannot see that two of its favourites say the same
thing, that three long sentences overshoot what a reader wants, or that a short story needs two key points and
a long one four. The set scorer (a second LightGBM model in the same model file, trained by ``nutgraf train``
to predict each candidate set's ROUGE against the human highlights) looks at each candidate set as a whole:
the sentence scores it holds, its length, where its sentences sit, how much they repeat each other and how
much of the article's vocabulary they cover.

``SET_NAMES`` is the contract between a model file and this module, like ``FEATURE_NAMES``: change a column,
and ``SET_VERSION`` changes with it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, combinations

from nutgraf.contracts import Document, SentenceFeatures

SET_VERSION = "nutgraf.sets.v1"
POOL = 5
"""Candidate sets are drawn from this many best-scored usable sentences (C(5,2)+C(5,3)+C(5,4) = 25 sets)."""
SIZES = (2, 3, 4)
"""The sizes the set scorer chooses between when the user gave no ``k``."""
_TOP_TERMS = 20
_UPPER = re.compile(r"[A-Z\u00c0-\u00de\u0391-\u03a9\u0410-\u042f]")
"""Upper-case letters of the Latin, Greek and Cyrillic alphabets: lower-cased archives have none at all."""
_CASE_SAMPLE = 3000

SET_NAMES = (
    "size", "s_sum", "s_min", "s_mean", "s_max", "p_sum", "r_sum", "r_max", "has_top", "words", "chars",
    "w_mean", "w_min", "w_max", "pos_min", "pos_mean", "pos_max", "has_first", "art_words", "n_usable",
    "w_share", "red_max", "red_mean", "cover", "cover_top", "gap_next", "cased",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SetInput:
    """What the set scorer reads about one article: per usable sentence (in document order), its sentence
    score, word and character counts and content terms; and whether the article's case is known."""

    sentences: tuple[int, ...]
    """The usable sentences' indexes in the document."""
    scores: tuple[float, ...]
    words: tuple[int, ...]
    chars: tuple[int, ...]
    terms: tuple[frozenset[str], ...]
    cased: bool


def set_input(
    doc: Document, feats: SentenceFeatures, scores: Sequence[float], keep: Sequence[int]
) -> SetInput:
    """The set scorer's view of a document whose usable sentences are ``keep``."""
    return SetInput(
        sentences=tuple(keep),
        scores=tuple(float(scores[i]) for i in keep),
        words=tuple(feats.word_counts[i] for i in keep),
        chars=tuple(feats.char_counts[i] for i in keep),
        terms=tuple(feats.terms[i] for i in keep),
        cased=_UPPER.search(doc.article.text, 0, _CASE_SAMPLE) is not None,
    )


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def candidate_sets(inp: SetInput, sizes: Sequence[int]) -> tuple[list[tuple[int, ...]], list[list[float]]]:
    """The candidate sets (positions among the usable sentences, in document order) of the given sizes drawn
    from the ``POOL`` best-scored usable sentences, and one row of ``SET_NAMES`` per set."""
    n = len(inp.scores)
    order = sorted(range(n), key=lambda i: (-inp.scores[i], i))
    rank = {i: r for r, i in enumerate(order)}
    pool = sorted(order[:POOL])
    logits = {i: _logit(inp.scores[i]) for i in order[: POOL + 4]}
    tf: Counter[str] = Counter(chain.from_iterable(inp.terms))
    total_tf = sum(tf.values()) or 1
    top_terms = _top_terms(tf)
    n_top = len(top_terms) or 1
    art_words = sum(inp.words)
    jaccard = {
        (a, b): len(inp.terms[a] & inp.terms[b]) / (len(inp.terms[a] | inp.terms[b]) or 1)
        for a, b in combinations(pool, 2)
    }
    # Coverage of every subset of the pool, built up one sentence at a time: each subset adds only the
    # words its last sentence brings.
    covered: dict[tuple[int, ...], tuple[frozenset[str], int, int]] = {(): (frozenset(), 0, 0)}
    for combo in (c for r in range(1, len(pool) + 1) for c in combinations(pool, r)):
        words, weight, top = covered[combo[:-1]]
        new = inp.terms[combo[-1]] - words
        covered[combo] = (words | new, weight + sum(map(tf.__getitem__, new)), top + len(new & top_terms))
    sets: list[tuple[int, ...]] = []
    rows: list[list[float]] = []
    scores, words_of, chars_of = inp.scores, inp.words, inp.chars
    first, cased = (order[0] if order else -1), float(inp.cased)
    for size in sizes:
        if size > len(pool):
            continue
        near = order[: size + 3]
        for combo in combinations(pool, size):
            sc = [logits[i] for i in combo]
            ws = [words_of[i] for i in combo]
            ranks = [rank[i] for i in combo]
            pairs = [jaccard[p] for p in combinations(combo, 2)]
            _, weight, top = covered[combo]
            outside = [logits[i] for i in near if i not in combo]
            n_words = sum(ws)
            s_sum, s_min = sum(sc), min(sc)
            rows.append(
                [
                    size, s_sum, s_min, s_sum / size, max(sc), sum([scores[i] for i in combo]),
                    sum(ranks), max(ranks), float(first in combo),
                    n_words, sum([chars_of[i] for i in combo]), n_words / size, min(ws), max(ws),
                    combo[0], sum(combo) / size, combo[-1], float(combo[0] == 0), art_words, n,
                    n_words / (art_words or 1), max(pairs), sum(pairs) / len(pairs),
                    weight / total_tf, top / n_top,
                    (s_min - max(outside)) if outside else 0.0, cased,
                ]
            )  # fmt: skip
            sets.append(combo)
    return sets, rows


def _top_terms(tf: Counter[str]) -> frozenset[str]:
    """The ``_TOP_TERMS`` most frequent terms, ties by the term itself (no hash order leaks in); only the
    terms at or above the 20th count are sorted."""
    counts = sorted(tf.values(), reverse=True)
    if len(counts) > _TOP_TERMS:
        floor = counts[_TOP_TERMS - 1]
        items = [(w, c) for w, c in tf.items() if c >= floor]
    else:
        items = list(tf.items())
    return frozenset(w for w, _ in sorted(items, key=lambda kv: (-kv[1], kv[0]))[:_TOP_TERMS])


def sizes_for(k: int | None) -> tuple[int, ...]:
    """The set sizes to choose between: the user's ``k`` exactly when it is one the set scorer knows,
    else all of ``SIZES``; () when the set scorer has no say (a ``k`` outside ``SIZES``)."""
    if k is None:
        return SIZES
    return (k,) if k in SIZES else ()
