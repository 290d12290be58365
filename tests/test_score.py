from __future__ import annotations

from nutgraf.contracts import Options
from nutgraf.features import sentence_features
from nutgraf.registry import get_scorer, method_names, resolve

from .test_select import make_doc

DOC = make_doc(
    "Sports news came first in the bulletin on Monday evening.",
    "The seawall plan will protect the east side from floods.",
    "The council approved the seawall plan after a long debate.",
    "Engineers said the seawall plan would stop floods on the east side.",
    "A local bakery won a prize for its bread.",
)


def test_lead_scores_fall_with_position() -> None:
    scores = get_scorer("lead")(DOC, sentence_features(DOC), Options())
    assert list(scores) == sorted(scores, reverse=True)


def test_textrank_prefers_central_sentences() -> None:
    scores = get_scorer("textrank")(DOC, sentence_features(DOC), Options())
    central = max(range(5), key=lambda i: scores[i])
    assert central in (1, 3)
    assert scores[4] < scores[1] and scores[0] < scores[1]


def test_oracle_picks_the_sentences_closest_to_the_references() -> None:
    options = Options(k=2, references=("A bakery won a prize for bread.", "Sports came first on Monday."))
    scores = get_scorer("oracle")(DOC, sentence_features(DOC), options)
    top = sorted(range(5), key=lambda i: -scores[i])[:2]
    assert sorted(top) == [0, 4]


def test_registry_resolves_aliases_to_versioned_names() -> None:
    assert resolve("default") == ("gbdt", "nutgraf.scorer.gbdt.v1")
    assert resolve("lead") == ("lead", "nutgraf.scorer.lead.v1")
    assert resolve("TextRank") == ("textrank", "nutgraf.scorer.textrank.v1")
    assert resolve("nutgraf.scorer.oracle.v1") == ("oracle", "nutgraf.scorer.oracle.v1")
    assert method_names() == ["default", "gbdt", "lead", "oracle", "textrank"]


def test_textrank_ranks_only_the_first_sentences_of_a_huge_input() -> None:
    scorer = get_scorer("textrank")
    n = scorer.max_sentences + 50  # type: ignore[attr-defined]
    doc = make_doc(*(f"Sentence number {i} talks about the seawall plan and the council." for i in range(n)))
    scores = scorer(doc, sentence_features(doc), Options())
    assert len(scores) == n
    assert all(s == 0.0 for s in scores[-50:]) and all(s > 0 for s in scores[:-50])
