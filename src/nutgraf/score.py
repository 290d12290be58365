"""Scorers: give every sentence a number; the selector turns numbers into key points.

Each scorer is a stateless callable registered under a versioned name (see ``registry``). A scorer never
drops sentences: usability (length, furniture) is the selector's business, so scorers stay comparable.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from nutgraf.contracts import Document, Options, SentenceFeatures


class LeadScorer:
    """The first sentences first: score falls with position. The baseline every news summarizer must beat."""

    name = "nutgraf.scorer.lead.v1"
    needs_references = False

    def __call__(self, doc: Document, feats: SentenceFeatures, options: Options) -> tuple[float, ...]:
        n = len(doc.sentences)
        return tuple(1.0 - i / n for i in range(n))


class TextRankScorer:
    """TextRank (Mihalcea & Tarau 2004): PageRank over a graph of sentence similarity.

    Similarity is the original paper's: shared content terms over log-lengths. Unweighted by position, so it
    is the classic unsupervised peer rather than a tuned news method.
    """

    name = "nutgraf.scorer.textrank.v1"
    needs_references = False
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


@lru_cache(maxsize=1)
def _rouge_tokenizer() -> Any:
    from rouge_score import tokenizers

    return tokenizers.DefaultTokenizer(use_stemmer=True)


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(overlap: int, pred: int, ref: int) -> float:
    if overlap == 0 or pred == 0 or ref == 0:
        return 0.0
    p, r = overlap / pred, overlap / ref
    return 2 * p * r / (p + r)


class OracleScorer:
    """Greedy extractive oracle: adds, one at a time, the sentence that most raises ROUGE-1 F + ROUGE-2 F
    against the reference highlights (tokenized and stemmed as ``rouge-score`` does). The ceiling an
    extractive method can reach at k sentences; it needs ``Options.references``."""

    name = "nutgraf.scorer.oracle.v1"
    needs_references = True

    def __call__(self, doc: Document, feats: SentenceFeatures, options: Options) -> tuple[float, ...]:
        if not options.references:
            raise ValueError("the oracle method needs reference highlights (Options.references)")
        tok = _rouge_tokenizer()
        ref_tokens = tok.tokenize("\n".join(options.references))
        ref1, ref2 = _ngrams(ref_tokens, 1), _ngrams(ref_tokens, 2)
        n_ref1, n_ref2 = sum(ref1.values()), sum(ref2.values())
        sent1: list[Counter[tuple[str, ...]]] = []
        sent2: list[Counter[tuple[str, ...]]] = []
        for s in doc.sentences:
            toks = tok.tokenize(s.text)
            sent1.append(_ngrams(toks, 1))
            sent2.append(_ngrams(toks, 2))
        n = len(doc.sentences)
        scores = [0.0] * n
        chosen1: Counter[tuple[str, ...]] = Counter()
        chosen2: Counter[tuple[str, ...]] = Counter()
        remaining = set(range(n))
        k = min(options.effective_k, n)
        for pick in range(k):
            best, best_gain = -1, -1.0
            for i in sorted(remaining):
                c1, c2 = chosen1 + sent1[i], chosen2 + sent2[i]
                gain = _f1(sum((c1 & ref1).values()), sum(c1.values()), n_ref1) + _f1(
                    sum((c2 & ref2).values()), sum(c2.values()), n_ref2
                )
                if gain > best_gain:
                    best, best_gain = i, gain
            remaining.discard(best)
            chosen1 += sent1[best]
            chosen2 += sent2[best]
            scores[best] = float(k - pick)
        return tuple(scores)
