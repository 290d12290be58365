"""The compressor itself: take from each key point the units the model would delete, and keep every kept run
of characters as a span into the article (so a compressed key point is the join of several spans).

``DeletionCompressor`` is the registered part (``nutgraf.compressor.deletion.v2``) that the summarizer runs;
``compress_highlights`` is the function under it.
"""

from __future__ import annotations

from dataclasses import replace

from nutgraf.compress.model import THRESHOLD, model_id, scored_units
from nutgraf.compress.rules import MIN_KEPT_WORDS, WORD, Unit, kept_runs
from nutgraf.contracts import Article, Document, Highlight, Options, Sentence

CAP_ONLY = 2.0
"""The threshold when only ``Options.max_words_per_point`` asks for cuts: above any probability, so units go
only to meet the cap."""


class DeletionCompressor:
    """Deletes whole units (attribution tails, clauses, parentheticals, titles, time phrases) from key
    points, never adding a word; stateless, so one instance serves every thread."""

    name: str = "nutgraf.compressor.deletion.v2"

    def prepare(self) -> str:
        """Load the model and the parser, once per process (``MissingExtra`` without the compress extra,
        ``ModelError`` for a damaged model); return their id."""
        return model_id()

    def __call__(
        self, doc: Document, highlights: tuple[Highlight, ...], options: Options
    ) -> tuple[Highlight, ...]:
        threshold = THRESHOLD if options.compress else CAP_ONLY
        return compress_highlights(doc, highlights, options.max_words_per_point, threshold)


def compress_highlights(
    doc: Document,
    highlights: tuple[Highlight, ...] | list[Highlight],
    max_words: int | None = None,
    threshold: float = THRESHOLD,
) -> tuple[Highlight, ...]:
    """The key points with the units the model would delete taken out (and, with ``max_words``, further units
    in order of deletion probability while a key point is longer than that). Spans stay exact: each text is
    the join of the kept runs of the article. The sentences of all the key points are parsed in one batch."""
    scored = scored_units(doc, [i for h in highlights for i in h.sentences])
    if not scored:
        return tuple(highlights)
    return tuple(cut_highlight(doc, h, scored, max_words, threshold) for h in highlights)


def cut_highlight(
    doc: Document,
    highlight: Highlight,
    scored: dict[int, list[tuple[float, Unit]]],
    max_words: int | None,
    threshold: float,
) -> Highlight:
    """One key point with its sentences' ``scored`` units (``scored_units``) cut: every unit at or above
    ``threshold``, then, most deletable first, while the key point is longer than ``max_words``; never a cut
    that leaves a sentence fewer than ``MIN_KEPT_WORDS`` words."""
    text = doc.article.text
    # (probability, start, end, sentence), in article offsets
    candidates: list[tuple[float, int, int, int]] = []
    for i in highlight.sentences:
        s = doc.sentences[i]
        candidates += [(p, s.start + u.start, s.start + u.end, i) for p, u in scored.get(i, [])]
    if not candidates:
        return highlight
    cut: list[tuple[int, int]] = []

    def take(a: int, b: int, i: int) -> None:
        # Units may nest or overlap: count what the union would leave of the sentence.
        s = doc.sentences[i]
        kept = "".join(text[x:y] for x, y in kept_runs(((s.start, s.end),), [*cut, (a, b)]))
        if len(WORD.findall(kept)) >= MIN_KEPT_WORDS:
            cut.append((a, b))

    ordered = sorted(candidates, key=lambda x: (-x[0], x[1], x[2]))
    for p, a, b, i in ordered:
        if p >= threshold:
            take(a, b, i)
    if max_words is not None:
        for p, a, b, i in ordered:
            if p < threshold and _words(text, kept_runs(highlight.spans, cut)) > max_words:
                take(a, b, i)
    if not cut:
        return highlight
    spans = kept_runs(highlight.spans, cut)
    return replace(highlight, text="".join(text[a:b] for a, b in spans), spans=spans)


def _words(text: str, spans: tuple[tuple[int, int], ...]) -> int:
    return len("".join(text[a:b] for a, b in spans).split())


def compress_highlight(
    doc: Document, highlight: Highlight, max_words: int | None = None, threshold: float = THRESHOLD
) -> Highlight:
    """One key point, compressed (``compress_highlights`` for one)."""
    return compress_highlights(doc, (highlight,), max_words, threshold)[0]


def compress_sentence(text: str, threshold: float = THRESHOLD) -> str:
    """One sentence as the compressor would shorten it, the sentence being its own article (the golden
    table's view of ``compress_highlight``)."""
    doc = Document(Article("s", text), (Sentence(text, 0, len(text), 0, 0),))
    return compress_highlight(doc, Highlight(text, ((0, len(text)),), (0,), 0.0, 1), None, threshold).text
