"""Selection: from sentence scores to k key points (or a word/character budget), with redundancy control
and faithfulness repair.

Top-k by score with ties broken by position, then back to document order: the same input always gives the
same key points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from nutgraf.contracts import Document, Highlight, Notice, Options, SentenceFeatures
from nutgraf.faithful import Issue, opener_issue, quote_issue
from nutgraf.features import overlap

# A usable key-point sentence has 5 to 80 words: shorter "sentences" are mostly captions and fragments ("Cry
# for help!"), longer ones are run-ons where the segmenter found no boundary. Calibrated for ``lead`` on
# validation and the Daily Mail dev slice (min 3/4/5/6/8, max 60/80/120: all within 0.3 R-1; 5 and 80 were
# at or near the best on both). Re-run scripts/lead_check.py after changing.
MIN_WORDS = 5
MAX_WORDS = 80


MAX_REPAIRS = 50
"""Repair rounds per article at most: each costs a pass over the candidates, so an adversarial text of
thousands of dangling sentences stays linear (a real article needs a handful: at most 7 on the 1,000
validation articles, with default and lead)."""


def usable(feats: SentenceFeatures) -> list[int]:
    """Indexes of the sentences that may become key points."""
    return [i for i, n in enumerate(feats.word_counts) if MIN_WORDS <= n <= MAX_WORDS]


@dataclass(frozen=True, slots=True)
class _Pick:
    index: int
    merged_with: int | None = None
    """A preceding sentence brought in to give this one its referent."""
    accepted: bool = False
    """A problem was reported and the key point left as it is."""


class _Budget:
    """Words and characters used so far, against the options' budgets. A joined key point costs the span
    from its first sentence's start to its last sentence's end."""

    def __init__(self, doc: Document, feats: SentenceFeatures, options: Options) -> None:
        self.doc, self.feats, self.options = doc, feats, options
        self.words = self.chars = 0

    def cost(self, indexes: tuple[int, ...]) -> tuple[int, int]:
        sentences = self.doc.sentences
        words = sum(self.feats.word_counts[i] for i in indexes)
        return words, sentences[indexes[-1]].end - sentences[indexes[0]].start

    def fits(self, indexes: tuple[int, ...], extra: tuple[int, int] = (0, 0)) -> bool:
        words, chars = self.cost(indexes)
        o = self.options
        return (o.max_words is None or self.words + words + extra[0] <= o.max_words) and (
            o.max_chars is None or self.chars + chars + extra[1] <= o.max_chars
        )

    def take(self, indexes: tuple[int, ...]) -> None:
        words, chars = self.cost(indexes)
        self.words += words
        self.chars += chars


def select(
    doc: Document,
    feats: SentenceFeatures,
    scores: tuple[float, ...],
    options: Options,
    preferred: Sequence[int] | None = None,
) -> tuple[tuple[Highlight, ...], tuple[Notice, ...]]:
    """Choose the key points. Returns the highlights and what was done to them (warnings).

    ``preferred``, a set of usable sentences the scorer chose as a whole (``Scorer.choose``), sets how many
    key points there are and is tried first; redundancy, the budgets and the repairs treat it as they treat
    the top of the ranking, and the other sentences follow by score."""
    notices: list[Notice] = []
    candidates = sorted(usable(feats), key=lambda i: (-scores[i], i))
    k = options.effective_k
    if preferred:
        ahead = sorted(set(preferred) & set(candidates), key=lambda i: (-scores[i], i))
        chosen = set(ahead)
        candidates = ahead + [i for i in candidates if i not in chosen]
        k = len(ahead)
    excluded: set[int] = set()
    picks = _greedy(doc, candidates, excluded, feats, options, k, [])
    # Repair loop: each round deals with the first key point (in document order) that cannot stand on its
    # own. Replacing it by the next-best clean sentence is preferred; when no sentence is left to replace it,
    # the sentence it depends on is brought in. Each round excludes or settles one pick, so it ends.
    for rounds in range(len(candidates) + 1):
        problem = _first_problem(doc, picks)
        if problem is None:
            break
        if rounds == MAX_REPAIRS:
            notices.append(
                Notice(
                    "repairs_stopped",
                    f"stopped repairing after {MAX_REPAIRS} rounds; key points left as they are",
                )
            )
            break
        pick, issue = problem
        first = _indexes(pick)[0]
        where = f"sentence {first + 1} {_clip(doc.sentences[first].text)} has {_describe(issue)}"
        if options.repair:
            trial = _greedy(doc, candidates, excluded | {pick.index}, feats, options, k, picks)
            if len(trial) >= len(picks):
                excluded.add(pick.index)
                before = {i for p in picks for i in _indexes(p)}
                added = ", ".join(str(p.index + 1) for p in trial if p.index not in before)
                notices.append(Notice(issue.code, f"{where}; replaced by sentence {added}"))
                picks = trial
                continue
            merged = _bring_in(doc, feats, picks, pick, issue, options, excluded)
            if merged is not None:
                notices.append(Notice(issue.code, f"{where}; joined with sentence {pick.index} before it"))
                picks = [merged if p is pick else p for p in picks]
                continue
            notices.append(Notice(issue.code, f"{where}; no repair possible, left as is"))
        else:
            notices.append(Notice(issue.code, f"{where}; left as is (repair is off)"))
        picks = [replace(p, accepted=True) if p is pick else p for p in picks]

    if len(picks) < k:
        picks = _fill(doc, candidates, excluded, feats, options, k, picks)
    highlights = _to_highlights(doc, scores, picks, options)
    budget = options.max_words is not None or options.max_chars is not None
    if highlights and len(highlights) < k and (options.k is not None or not budget):
        used = sum(len(h.sentences) for h in highlights)
        if budget and len(candidates) > used:
            why = "no more sentences fit within the budget (sentences are never cut)"
        elif len(candidates) > used:
            why = "the other usable sentences repeat these key points or lean on sentences not among them"
        else:
            n = len(candidates)
            why = f"the article has only {n} usable sentence{'' if n == 1 else 's'}"
        plural = "" if len(highlights) == 1 else "s"
        notices.append(
            Notice("fewer_key_points", f"returning {len(highlights)} key point{plural} instead of {k}: {why}")
        )
    return highlights, tuple(notices)


def _greedy(
    doc: Document,
    candidates: list[int],
    excluded: set[int],
    feats: SentenceFeatures,
    options: Options,
    k: int,
    previous: list[_Pick],
) -> list[_Pick]:
    """Top-k by score, skipping excluded, redundant and over-budget sentences; keeps what earlier repair
    rounds settled about a sentence that is picked again (and never picks a sentence that a kept joined key
    point already holds)."""
    settled = {p.index: p for p in previous}
    budget = _Budget(doc, feats, options)
    chosen: list[_Pick] = []
    held: set[int] = set()
    for i in candidates:
        if i in excluded or i in held:
            continue
        if any(overlap(feats.terms[i], feats.terms[p.index]) > options.redundancy for p in chosen):
            continue
        pick = settled.get(i, _Pick(i))
        indexes = _indexes(pick)
        if any(j in held for j in indexes) or not budget.fits(indexes):
            continue
        chosen.append(pick)
        held.update(indexes)
        budget.take(indexes)
        if len(chosen) == k:
            break
    return sorted(chosen, key=lambda p: p.index)


# A held-back sentence this close to a chosen one would repeat it; the top-up never takes it.
_DUPLICATE = 0.9


def _fill(
    doc: Document,
    candidates: list[int],
    excluded: set[int],
    feats: SentenceFeatures,
    options: Options,
    k: int,
    picks: list[_Pick],
) -> list[_Pick]:
    """Top up to k with sentences the redundancy check held back: k key points are promised whenever the
    article has k usable sentences. A top-up may not repeat a key point nor open a faithfulness problem."""
    taken = {i for p in picks for i in _indexes(p)}
    budget = _Budget(doc, feats, options)
    for p in picks:
        budget.take(_indexes(p))
    for i in candidates:
        if len(picks) >= k:
            break
        if i in taken or i in excluded or not budget.fits((i,)):
            continue
        if any(overlap(feats.terms[i], feats.terms[j]) > _DUPLICATE for j in taken):
            continue
        trial = sorted([*picks, _Pick(i)], key=lambda p: p.index)
        if _first_problem(doc, trial) is not None:
            continue
        picks = trial
        taken.add(i)
        budget.take((i,))
    return picks


def _first_problem(doc: Document, picks: list[_Pick]) -> tuple[_Pick, Issue] | None:
    """The first key point, in document order, that depends on a sentence the reader will not see. The
    article's first sentence has nothing before it to lean on, so only its quotes are checked."""
    previous_end = -10
    for pick in picks:
        if pick.accepted:
            previous_end = pick.index
            continue
        first = _indexes(pick)[0]
        text = doc.sentences[first].text
        issue = None if first in (0, previous_end + 1) else opener_issue(text)
        if issue is None:
            joined = " ".join(doc.sentences[i].text for i in _indexes(pick))
            issue = quote_issue(joined)
        if issue is not None:
            return pick, issue
        previous_end = pick.index
    return None


def _bring_in(
    doc: Document,
    feats: SentenceFeatures,
    picks: list[_Pick],
    pick: _Pick,
    issue: Issue,
    options: Options,
    excluded: set[int],
) -> _Pick | None:
    """Join the key point with the sentence before it (for a dangling opener) when that sentence is usable,
    was not itself rejected, is in no other key point, and the budget allows."""
    if issue.code == "unbalanced_quotes" or pick.merged_with is not None or pick.index == 0:
        return None
    prev = pick.index - 1
    if prev in excluded or not MIN_WORDS <= feats.word_counts[prev] <= MAX_WORDS:
        return None
    if any(prev in _indexes(p) for p in picks):
        return None
    budget = _Budget(doc, feats, options)
    for p in picks:
        if p is not pick:
            budget.take(_indexes(p))
    joined = (prev, pick.index)
    return _Pick(pick.index, prev) if budget.fits(joined) else None


def _indexes(pick: _Pick) -> tuple[int, ...]:
    if pick.merged_with is not None:
        return (pick.merged_with, pick.index)
    return (pick.index,)


def _to_highlights(
    doc: Document, scores: tuple[float, ...], picks: list[_Pick], options: Options
) -> tuple[Highlight, ...]:
    text = doc.article.text
    by_score = sorted(picks, key=lambda p: (-scores[p.index], p.index))
    rank = {p.index: r for r, p in enumerate(by_score, start=1)}
    ordered = (
        _score_order(doc, by_score) if options.order == "score" else sorted(picks, key=lambda p: p.index)
    )
    out = []
    for p in ordered:
        idx = _indexes(p)
        start, end = doc.sentences[idx[0]].start, doc.sentences[idx[-1]].end
        out.append(
            Highlight(
                text=text[start:end],
                spans=((start, end),),
                sentences=idx,
                score=scores[p.index],
                rank=rank[p.index],
            )
        )
    return tuple(out)


def _score_order(doc: Document, by_score: list[_Pick]) -> list[_Pick]:
    """Score order, except that a key point leaning on the one before it in the article ("He said...")
    comes right after that one, so the reader meets the referent first."""
    ends = {_indexes(p)[-1]: p for p in by_score}
    dependents: dict[int, list[_Pick]] = {}
    for p in by_score:
        first = _indexes(p)[0]
        antecedent = ends.get(first - 1)
        if antecedent is not None and opener_issue(doc.sentences[first].text) is not None:
            dependents.setdefault(antecedent.index, []).append(p)
    leaning = {id(p) for group in dependents.values() for p in group}
    out: list[_Pick] = []

    def place(p: _Pick) -> None:
        out.append(p)
        for d in dependents.get(p.index, []):
            place(d)

    for p in by_score:
        if id(p) not in leaning:
            place(p)
    return out


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 1]}…'"


def _describe(issue: Issue) -> str:
    if issue.code == "dangling_pronoun":
        return f"a pronoun ('{issue.detail}') whose referent is not in the key point before it"
    if issue.code == "dangling_connective":
        return f"a connective ('{issue.detail}') that points back to a sentence not in the key points"
    if issue.code == "dangling_epithet":
        return f"an epithet ('{issue.detail}') for someone not named in the key point before it"
    return "unbalanced quotation marks"
