"""Key points chosen as a set (``nutgraf.learned.sets``): candidate sets, the set scorer in model files, and
what selection does with the chosen set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nutgraf import Article, Options, Summary, summarize_article
from nutgraf.clean import clean
from nutgraf.contracts import Document
from nutgraf.features import sentence_features
from nutgraf.learned.model import ModelError, load_model, read_model_file
from nutgraf.learned.sets import POOL, SET_NAMES, SIZES, candidate_sets, set_input, sizes_for
from nutgraf.learned.train import TrainConfig, train
from nutgraf.score import rouge_tokens, set_rouge
from nutgraf.segment import segment
from nutgraf.select import select, usable

from .conftest import edited_model, halve

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GATE = FIXTURES / "validation_gate.jsonl.gz"
ARTICLES = FIXTURES / "articles.jsonl"


def _doc(text: str) -> tuple[Document, object]:
    article = Article("a", text)
    cleaned = clean(article)
    doc = Document(article, segment(text, cleaned.regions), cleaned.furniture)
    return doc, sentence_features(doc)


STORY = " ".join(
    f"Sentence number {i} tells the reader about the {word} that the council approved on Monday night."
    for i, word in enumerate(["budget", "school", "bridge", "road", "park", "library", "harbour", "tram"])
)


def _fixture_texts() -> list[str]:
    with open(ARTICLES, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [r.get("article") or r["text"] for r in rows]


@pytest.fixture(scope="module")
def set_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sets") / "sets.json.gz"
    train(
        TrainConfig(
            data=[str(GATE)], valid=[], out=str(out), rounds=30, set_rounds=40, workers=1, validate=False
        )
    )
    return out


@pytest.fixture(scope="module")
def plain_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plain") / "plain.json.gz"
    train(TrainConfig(data=[str(GATE)], valid=[], out=str(out), rounds=30, sets=False, validate=False))
    return out


# ------------------------------------------------------------------------------------------ candidates


def test_candidate_sets_are_every_combination_of_the_best_pool() -> None:
    doc, feats = _doc(STORY)
    keep = usable(feats)
    scores = [0.1 * (i % 5) + 0.01 * i for i in range(len(doc.sentences))]
    inp = set_input(doc, feats, scores, keep)
    sets, rows = candidate_sets(inp, SIZES)
    assert len(sets) == 10 + 10 + 5  # C(5,2) + C(5,3) + C(5,4)
    assert all(len(r) == len(SET_NAMES) for r in rows)
    pool = sorted(sorted(range(len(keep)), key=lambda i: (-inp.scores[i], i))[:POOL])
    assert {i for s in sets for i in s} == set(pool)
    assert all(list(s) == sorted(s) for s in sets)
    size = dict(zip(SET_NAMES, rows[0], strict=True))["size"]
    assert size == len(sets[0]) == 2
    # the same input gives the same rows (no set or dict order leaks in)
    assert candidate_sets(inp, SIZES) == (sets, rows)


def test_a_short_article_has_no_sets_larger_than_it() -> None:
    doc, feats = _doc(". ".join(STORY.split(". ")[:3]) + ".")
    inp = set_input(doc, feats, [0.5] * len(doc.sentences), usable(feats))
    sets, _ = candidate_sets(inp, SIZES)
    assert len(inp.sentences) == 3
    assert sorted(len(s) for s in sets) == [2, 2, 2, 3]


def test_sizes_follow_the_users_k() -> None:
    assert sizes_for(None) == SIZES
    assert sizes_for(3) == (3,)
    assert sizes_for(1) == ()
    assert sizes_for(7) == ()


def test_set_rouge_rewards_the_matching_set() -> None:
    ref = rouge_tokens("The council approved the budget.\nThe bridge will be rebuilt.")
    good = [
        rouge_tokens("The council approved the budget on Monday."),
        rouge_tokens("The bridge is rebuilt."),
    ]
    bad = [rouge_tokens("Sports results follow."), rouge_tokens("Weather was sunny.")]
    assert set_rouge(good, ref) > set_rouge(bad, ref) >= 0
    assert set_rouge([], ref) == 0


# ------------------------------------------------------------------------------------------- selection


def test_selection_takes_the_preferred_set_and_its_size() -> None:
    doc, feats = _doc(STORY)
    scores = tuple(1.0 - 0.1 * i for i in range(len(doc.sentences)))
    highlights, notices = select(doc, feats, scores, Options(), preferred=(2, 6))
    assert [h.sentences for h in highlights] == [(2,), (6,)]
    assert not any(n.code == "fewer_key_points" for n in notices)
    highlights, _ = select(doc, feats, scores, Options(), preferred=None)
    assert [h.sentences[0] for h in highlights] == [0, 1, 2]


# ---------------------------------------------------------------------------------------- model files


def test_training_stores_a_set_scorer_with_its_record(set_model: Path, plain_model: Path) -> None:
    meta = read_model_file(set_model)["metadata"]
    assert meta["sets"]["names"] == list(SET_NAMES)
    assert meta["sets"]["sizes"] == list(SIZES) and meta["sets"]["articles"] > 0
    assert load_model(str(set_model)).set_booster is not None
    assert "sets" not in read_model_file(plain_model)["metadata"]
    assert load_model(str(plain_model)).set_booster is None


def test_the_set_scorer_chooses_two_to_four_unless_k_is_given(set_model: Path, plain_model: Path) -> None:
    sizes: set[int] = set()
    for i, text in enumerate(_fixture_texts()):
        article = Article(f"a{i}", text)
        free = summarize_article(article, Options(model=str(set_model)))
        if not isinstance(free, Summary):
            continue
        sizes.add(len(free.highlights))
        assert 1 <= len(free.highlights) <= 4
        for k in (2, 3, 4):
            fixed = summarize_article(article, Options(model=str(set_model), k=k))
            assert isinstance(fixed, Summary)
            usable_count = len(usable(sentence_features(_doc(text)[0])))
            assert len(fixed.highlights) == min(k, usable_count) or any(
                w.code == "fewer_key_points" for w in fixed.warnings
            )
        one = summarize_article(article, Options(model=str(set_model), k=1))
        assert isinstance(one, Summary) and len(one.highlights) == 1
        budget = summarize_article(article, Options(model=str(set_model), max_words=60))
        assert isinstance(budget, Summary) and sum(len(h.text.split()) for h in budget.highlights) <= 60
        plain = summarize_article(article, Options(model=str(plain_model)))
        assert isinstance(plain, Summary)
        assert len(plain.highlights) == 3 or any(w.code == "fewer_key_points" for w in plain.warnings)
    assert len(sizes) >= 2, f"the set scorer always chose {sizes}"


def test_a_damaged_or_foreign_set_scorer_is_refused(set_model: Path, tmp_path: Path) -> None:
    cut = edited_model(set_model, tmp_path / "cut.json.gz", halve("set_booster"))
    with pytest.raises(ModelError, match="does not match the checksum"):
        load_model(cut)

    def old_version(data: dict[str, Any]) -> None:
        data["metadata"]["sets"]["version"] = "nutgraf.sets.v0"

    old = edited_model(set_model, tmp_path / "old.json.gz", old_version)
    with pytest.raises(ModelError, match="set scorer of another version"):
        load_model(old)


def test_a_seed_changes_both_models_and_is_recorded(set_model: Path, tmp_path: Path) -> None:
    other = tmp_path / "seed1.json.gz"
    config = TrainConfig(
        data=[str(GATE)], valid=[], out=str(other), rounds=30, set_rounds=40, workers=1, validate=False
    )
    config.params = {"seed": 1}
    train(config)
    meta = read_model_file(other)["metadata"]
    assert meta["training"]["params"]["seed"] == 1 and meta["sets"]["params"]["seed"] == 1
    base = read_model_file(set_model)
    again = read_model_file(other)
    assert again["booster"] != base["booster"] and again["set_booster"] != base["set_booster"]


LOWER = (
    "washington ( cnn ) -- the senate voted 68-32 on tuesday to extend the flood insurance program for two "
    "more years , sending the bill to the president . the program covers about five million homes in "
    "coastal states , officials said . `` this is a win for every family on the coast , '' said sen. jane "
    "doe , who wrote the bill . critics said the program did n't address rising premiums . the house passed "
    "its version of the bill last month by a wide margin . the president is expected to sign it this week ."
)


def test_lower_cased_tokenized_input_gets_key_points_with_exact_spans() -> None:
    result = summarize_article(Article("low", LOWER), Options())
    assert isinstance(result, Summary) and 2 <= len(result.highlights) <= 4
    for h in result.highlights:
        ((start, end),) = h.spans
        assert LOWER[start:end] == h.text
        assert "( cnn )" not in h.text  # the dateline is furniture, never a key point's words
    assert result.highlights[0].text.startswith("the senate voted")


PARAGRAPHS = (
    "Officials in Oslo announced a plan on Monday to cut the country's carbon emissions by half before "
    "2030, the environment minister said. This would include closing the last two coal plants and building "
    "new offshore wind farms, Reuters reported.\n\n"
    "The plan also sets aside $2 billion for electric buses and ferries in the five largest cities over the "
    "next decade.\n\n"
    "Opposition parties said the plan was too expensive and would raise household energy bills by a fifth.\n\n"
    "Parliament is expected to vote on the plan in the spring, after a public consultation that starts next "
    "month.\n"
)


def test_the_next_paragraphs_lead_beats_an_elaborating_second_sentence() -> None:
    result = summarize_article(Article("p", PARAGRAPHS), Options(k=2))
    assert isinstance(result, Summary)
    texts = [h.text for h in result.highlights]
    assert texts[0].startswith("Officials in Oslo announced")
    assert texts[1].startswith("The plan also sets aside")
    by_score = {
        h.text[:20]: h.score for h in summarize_article(Article("p", PARAGRAPHS), Options(k=4)).highlights
    }
    assert by_score["The plan also sets a"] > by_score["This would include c"]


def test_no_usable_sentence_gives_no_candidate_set() -> None:
    from nutgraf.learned.sets import SIZES, SetInput, candidate_sets

    empty = SetInput(sentences=(), scores=(), words=(), chars=(), terms=(), cased=True)
    assert candidate_sets(empty, SIZES) == ([], [])
