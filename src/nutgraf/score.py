"""Scorers: give every sentence a number; the selector turns numbers into key points.

Each scorer is a stateless callable registered under a versioned name (see ``registry``). A scorer never
drops sentences: usability (length, furniture) is the selector's business, so scorers stay comparable.
"""

from __future__ import annotations

import importlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from nutgraf.contracts import Contribution, Document, Options, SentenceFeatures
from nutgraf.lang import UNSPACED_LETTERS


class BaseScorer:
    """Defaults for a scorer (``contracts.Scorer``): no references, no model, nothing to explain. Subclass
    it, set ``name`` to a versioned name and implement ``__call__``; then ``nutgraf.register_scorer``."""

    name: str = "nutgraf.scorer.base.v1"
    needs_references: bool = False
    uses_model: bool = False
    can_explain: bool = False

    def prepare(self, options: Options) -> str | None:
        return None

    def model_id_for(self, language: str | None, options: Options) -> str | None:
        """The id of the model that scores a document in ``language``; None for a scorer without one."""
        return None

    def __call__(self, doc: Document, feats: SentenceFeatures, options: Options) -> tuple[float, ...]:
        raise NotImplementedError(f"{type(self).__name__} must implement __call__")

    def choose(
        self, doc: Document, feats: SentenceFeatures, scores: Sequence[float], options: Options
    ) -> tuple[int, ...] | None:
        return None

    def explain(
        self, doc: Document, feats: SentenceFeatures, options: Options, indexes: Sequence[int]
    ) -> list[tuple[Contribution, ...]]:
        raise NotImplementedError(f"{self.name} cannot explain its scores")


class LeadScorer(BaseScorer):
    """The first sentences first: score falls with position. The baseline every news summarizer must beat."""

    name = "nutgraf.scorer.lead.v1"

    def __call__(self, doc: Document, feats: SentenceFeatures, options: Options) -> tuple[float, ...]:
        n = len(doc.sentences)
        return tuple(1.0 - i / n for i in range(n))


class TextRankScorer(BaseScorer):
    """TextRank (Mihalcea & Tarau 2004): PageRank over a graph of sentence similarity.

    Similarity is the original paper's: shared content terms over log-lengths. Unweighted by position, so it
    is the classic unsupervised peer rather than a tuned news method.
    """

    name = "nutgraf.scorer.textrank.v1"
    max_sentences = 400
    """The graph is quadratic in sentences: only the first 400 are ranked (longer than any news article;
    the longest in the shared data has about 250), the rest score 0, so a 5 MB input stays bounded."""
    damping = 0.85
    iterations = 50
    tolerance = 1e-6

    def __call__(self, doc: Document, feats: SentenceFeatures, options: Options) -> tuple[float, ...]:
        terms = feats.terms[: self.max_sentences]
        n = len(terms)
        if n == 0:
            return ()
        logs = [math.log(len(t)) if len(t) > 1 else 0.0 for t in terms]
        weights: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        out_sum = [0.0] * n
        for i in range(n):
            ti = terms[i]
            if not ti:
                continue
            for j in range(i + 1, n):
                shared = len(ti & terms[j])
                if not shared:
                    continue
                denom = logs[i] + logs[j]
                if denom <= 0:
                    continue
                w = shared / denom
                weights[i].append((j, w))
                weights[j].append((i, w))
                out_sum[i] += w
                out_sum[j] += w
        rank = [1.0 / n] * n
        base = (1.0 - self.damping) / n
        for _ in range(self.iterations):
            new = [base] * n
            for i in range(n):
                if out_sum[i] == 0.0:
                    continue
                share = self.damping * rank[i] / out_sum[i]
                for j, w in weights[i]:
                    new[j] += share * w
            delta = sum(abs(a - b) for a, b in zip(new, rank, strict=True))
            rank = new
            if delta < self.tolerance:
                break
        # Round so that float noise cannot reorder equal sentences on another machine; ties go by position.
        unranked = (0.0,) * (len(feats.terms) - n)
        return tuple(round(r, 12) for r in rank) + unranked


class _MemoStemmer:
    """The Porter stemmer with a memory: news repeats its words, and stemming is most of ROUGE's cost."""

    def __init__(self, stemmer: Any) -> None:
        self.stem = lru_cache(maxsize=200_000)(stemmer.stem)


_UNICODE_TOKEN = re.compile(rf"[{UNSPACED_LETTERS}]|[^\W_{UNSPACED_LETTERS}]+")


class UnicodeTokenizer:
    """ROUGE's tokens outside English (``rouge-score``'s tokenizer interface, ``tokenize(text)``): lower-cased
    words of letters and digits in any script, NFKC-normalised, no stemmer (none is right for every
    language), and every letter of a script written without spaces (Chinese, Japanese kana, Thai, Lao,
    Khmer, Myanmar) a token of its own. ``rouge-score``'s own tokenizer keeps only ``[a-z0-9]``: "Trên"
    becomes "tr n" and a Chinese text has no token at all."""

    def tokenize(self, text: str) -> list[str]:
        return _UNICODE_TOKEN.findall(unicodedata.normalize("NFKC", text).lower())


def rouge_tokenizer(language: str | None = None) -> Any:
    """The tokenizer ROUGE uses for a text in ``language``: ``rouge-score``'s own (with its stemmer) for
    English and for an unknown language, ``UnicodeTokenizer`` for any other."""
    return _rouge_tokenizer() if language is None or language == "en" else _UNICODE


_UNICODE = UnicodeTokenizer()


@lru_cache(maxsize=1)
def _rouge_tokenizer() -> Any:
    """``rouge-score``'s own tokenizer (stemming on); its stemmer memoised when it has the attribute we
    expect (tests/test_learned.py checks the tokens are unchanged)."""
    from rouge_score import tokenizers

    tok = tokenizers.DefaultTokenizer(use_stemmer=True)
    if getattr(tok, "_stemmer", None) is not None:
        tok._stemmer = _MemoStemmer(tok._stemmer)
    return tok


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(overlap: int, pred: int, ref: int) -> float:
    if overlap == 0 or pred == 0 or ref == 0:
        return 0.0
    p, r = overlap / pred, overlap / ref
    return 2 * p * r / (p + r)


def greedy_oracle(
    sentences: Sequence[str],
    references: Sequence[str],
    candidates: Sequence[int],
    k: int,
    *,
    stop_early: bool = False,
    solo: dict[int, float] | None = None,
    language: str | None = None,
) -> list[int]:
    """Sentence indexes in the order a greedy search adds them, each time the candidate that most raises
    ROUGE-1 F + ROUGE-2 F against ``references`` (tokenized and stemmed as ``rouge-score`` does). With
    ``stop_early`` it stops when no candidate raises the score (the labels for training). ``solo``, when
    given, receives each candidate's own ROUGE-1 F + ROUGE-2 F (the soft labels). Texts in another language
    than English are tokenized by ``UnicodeTokenizer`` (``rouge_tokenizer``)."""
    tok = rouge_tokenizer(language)
    ref_tokens = tok.tokenize("\n".join(references))
    ref1, ref2 = _ngrams(ref_tokens, 1), _ngrams(ref_tokens, 2)
    n_ref1, n_ref2 = sum(ref1.values()), sum(ref2.values())
    sent1: dict[int, Counter[tuple[str, ...]]] = {}
    sent2: dict[int, Counter[tuple[str, ...]]] = {}
    for i in candidates:
        toks = tok.tokenize(sentences[i])
        sent1[i], sent2[i] = _ngrams(toks, 1), _ngrams(toks, 2)
    chosen1: Counter[tuple[str, ...]] = Counter()
    chosen2: Counter[tuple[str, ...]] = Counter()
    remaining = sorted(set(candidates))
    picks: list[int] = []
    current = 0.0
    for round_ in range(min(k, len(remaining))):
        best, best_gain = -1, -1.0
        for i in remaining:
            c1, c2 = chosen1 + sent1[i], chosen2 + sent2[i]
            gain = _f1(sum((c1 & ref1).values()), sum(c1.values()), n_ref1) + _f1(
                sum((c2 & ref2).values()), sum(c2.values()), n_ref2
            )
            if round_ == 0 and solo is not None:
                solo[i] = gain
            if gain > best_gain:
                best, best_gain = i, gain
        if stop_early and best_gain <= current:
            break
        remaining.remove(best)
        chosen1 += sent1[best]
        chosen2 += sent2[best]
        current = best_gain
        picks.append(best)
    return picks


BEAM_POOL = 15
"""``beam_oracle`` searches among this many candidates with the best ROUGE of their own (and greedy's picks)."""
BEAM_WIDTH = 8
"""Partial sets ``beam_oracle`` keeps at each size."""
LABELERS: dict[str, str] = {
    "greedy": "greedy ROUGE-1+2 F oracle over usable sentences, at most 4, stop at no gain",
    "beam": f"beam-search ROUGE-1+2 F oracle (pool {BEAM_POOL}, width {BEAM_WIDTH}) over usable sentences, "
    "at most 4, a larger set only when it scores higher",
}
"""The oracles the learned scorer's training labels can come from (``greedy_oracle``, ``beam_oracle``;
``nutgraf train --labels``), and how a model file and ``nutgraf labels`` describe each."""


class _SetScorer:
    """ROUGE-1 F + ROUGE-2 F of sets of candidate sentences against the references, counted as
    ``greedy_oracle`` counts them (the same doubles for the same set)."""

    def __init__(
        self,
        sentences: Sequence[str],
        references: Sequence[str],
        candidates: Sequence[int],
        language: str | None,
    ) -> None:
        tok = rouge_tokenizer(language)
        ref_tokens = tok.tokenize("\n".join(references))
        self.ref1, self.ref2 = _ngrams(ref_tokens, 1), _ngrams(ref_tokens, 2)
        self.n_ref1, self.n_ref2 = sum(self.ref1.values()), sum(self.ref2.values())
        # Per candidate: its n-gram counts, and only the n-grams the references have (the rest never overlap).
        self.size: dict[int, tuple[int, int]] = {}
        self.hits: dict[int, tuple[list[tuple[tuple[str, ...], int]], list[tuple[tuple[str, ...], int]]]] = {}
        for i in candidates:
            toks = tok.tokenize(sentences[i])
            s1, s2 = _ngrams(toks, 1), _ngrams(toks, 2)
            self.size[i] = (sum(s1.values()), sum(s2.values()))
            self.hits[i] = (
                [(g, c) for g, c in s1.items() if g in self.ref1],
                [(g, c) for g, c in s2.items() if g in self.ref2],
            )

    def __call__(self, picks: Sequence[int]) -> float:
        c1: dict[tuple[str, ...], int] = {}
        c2: dict[tuple[str, ...], int] = {}
        p1 = p2 = 0
        for i in picks:
            n1, n2 = self.size[i]
            p1, p2 = p1 + n1, p2 + n2
            h1, h2 = self.hits[i]
            for g, c in h1:
                c1[g] = c1.get(g, 0) + c
            for g, c in h2:
                c2[g] = c2.get(g, 0) + c
        o1 = sum(min(c, self.ref1[g]) for g, c in c1.items())
        o2 = sum(min(c, self.ref2[g]) for g, c in c2.items())
        return _f1(o1, p1, self.n_ref1) + _f1(o2, p2, self.n_ref2)


def beam_oracle(
    sentences: Sequence[str],
    references: Sequence[str],
    candidates: Sequence[int],
    k: int,
    *,
    solo: dict[int, float] | None = None,
    language: str | None = None,
) -> list[int]:
    """The learned scorer's training labels: a set of at most ``k`` candidates with a high ROUGE-1 F +
    ROUGE-2 F against ``references``, found by beam search (``BEAM_WIDTH`` partial sets per size, among the
    ``BEAM_POOL`` candidates whose own score is best and the greedy oracle's picks). At each size the greedy
    set of that size is among the candidates, so the result is never worse than ``greedy_oracle``'s with
    ``stop_early``; a larger set is kept only if it beats every smaller one. Greedy adds one sentence at a
    time and cannot swap its first pick for two that together match the highlights better; this can. Picks
    are in the order the search added them; ``solo`` as in ``greedy_oracle``."""
    own: dict[int, float] = {} if solo is None else solo
    greedy = greedy_oracle(sentences, references, candidates, k, stop_early=True, solo=own, language=language)
    pool = sorted(set(sorted(set(candidates), key=lambda i: (-own.get(i, 0.0), i))[:BEAM_POOL]) | set(greedy))
    if not pool or k <= 0:
        return greedy
    score = _SetScorer(sentences, references, pool, language)
    level: list[tuple[float, tuple[int, ...]]] = [(0.0, ())]
    picks: tuple[int, ...] = ()
    best = 0.0  # greedy keeps a first sentence only if it scores above zero too
    for size in range(1, min(k, len(pool)) + 1):
        seen: set[frozenset[int]] = set()
        grown: list[tuple[float, tuple[int, ...]]] = []
        for _, partial in level:
            for i in pool:
                key = frozenset((*partial, i))
                if i in partial or key in seen:
                    continue
                seen.add(key)
                grown.append((score((*partial, i)), (*partial, i)))
        prefix = tuple(greedy[:size])
        if len(prefix) == size and frozenset(prefix) not in seen:
            grown.append((score(prefix), prefix))
        grown.sort(key=lambda t: (-t[0], sorted(t[1])))  # ties: the set of earlier sentences
        level = grown[:BEAM_WIDTH]
        if level and level[0][0] > best:
            best, picks = level[0]
    return list(picks)


def rouge_tokens(text: str, language: str | None = None) -> list[str]:
    """``text`` tokenized (and stemmed) as ROUGE does for ``language`` (``rouge_tokenizer``)."""
    return list(rouge_tokenizer(language).tokenize(text))


def set_rouge(sentences: Sequence[Sequence[str]], reference: Sequence[str]) -> float:
    """The mean of ROUGE-1 F and ROUGE-2 F of a set of tokenized sentences against a tokenized reference,
    counted as ``greedy_oracle`` counts them (bigrams within each sentence)."""
    ref1, ref2 = _ngrams(reference, 1), _ngrams(reference, 2)
    got1: Counter[tuple[str, ...]] = Counter()
    got2: Counter[tuple[str, ...]] = Counter()
    for toks in sentences:
        got1 += _ngrams(toks, 1)
        got2 += _ngrams(toks, 2)
    r1 = _f1(sum((got1 & ref1).values()), sum(got1.values()), sum(ref1.values()))
    r2 = _f1(sum((got2 & ref2).values()), sum(got2.values()), sum(ref2.values()))
    return (r1 + r2) / 2


class OracleScorer(BaseScorer):
    """Greedy extractive oracle (``greedy_oracle``): the ceiling an extractive method can reach at k
    sentences; it needs ``Options.references``."""

    name = "nutgraf.scorer.oracle.v1"
    needs_references = True

    def __call__(self, doc: Document, feats: SentenceFeatures, options: Options) -> tuple[float, ...]:
        if not options.references:
            raise ValueError("the oracle method needs reference highlights (Options.references)")
        n = len(doc.sentences)
        k = min(options.effective_k, n)
        picks = greedy_oracle(
            [s.text for s in doc.sentences], options.references, range(n), k, language=doc.language
        )
        scores = [0.0] * n
        for rank, i in enumerate(picks):
            scores[i] = float(k - rank)
        return tuple(scores)


def __getattr__(name: str) -> Any:
    """``score.GbdtScorer`` for code written before the learned scorer had its own package (imported on use:
    ``nutgraf.learned`` imports this module, so a static import here would be a cycle)."""
    if name == "GbdtScorer":
        return importlib.import_module("nutgraf.learned.scorer").GbdtScorer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
