from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nutgraf
from nutgraf.clean import clean
from nutgraf.contracts import Article, InputRejected, Options, Rejection, Summary
from nutgraf.ingest import from_text
from nutgraf.pipeline import summarize_article
from nutgraf.segment import segment

from .conftest import load_fixture_articles

REAL = load_fixture_articles()


def check_spans(article: Article, summary: Summary) -> None:
    for h in summary.highlights:
        assert h.spans
        assert "".join(article.text[s:e] for s, e in h.spans) == h.text
        for s, e in h.spans:
            assert 0 <= s < e <= len(article.text)


@pytest.mark.parametrize("method", ["lead", "textrank", "oracle"])
def test_pipeline_spans_reproduce_the_text_on_real_articles(method: str) -> None:
    for row in REAL:
        references = row["highlights"] or [row["gpt4_summary"]]
        article = Article(row["id"], row["article"], references=tuple(references))
        result = summarize_article(article, Options(method=method))
        assert isinstance(result, Summary), result
        assert len(result.highlights) == 3
        check_spans(article, result)
        for sent in segment(article.text):
            assert article.text[sent.start : sent.end] == sent.text


words = st.sampled_from(
    [
        "the",
        "council",
        "Mr.",
        "U.S.",
        "said",
        "$3.5",
        "million",
        "“quoted”",
        "'fine,'",
        "he",
        "No.",
        "Jan.",
        "...",
        "e.g.",
    ]
)
punct = st.sampled_from([".", "!", "?", ",", ";", " --", "\n", "\n\n", "\r\n", "\xa0", '"', "”"])
chunks = st.lists(st.one_of(words, punct, st.text(min_size=1, max_size=6)), min_size=1, max_size=120)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chunks, st.sampled_from(["lead", "textrank"]), st.integers(min_value=1, max_value=6))
def test_pipeline_spans_round_trip_on_random_text(parts: list[str], method: str, k: int) -> None:
    text = " ".join(parts)
    article = from_text(text, "r")
    if isinstance(article, Rejection):
        return
    result = summarize_article(article, Options(k=k, method=method))
    if isinstance(result, Rejection):
        assert result.reason in ("no_sentences",)
        return
    assert len(result.highlights) <= k
    check_spans(article, result)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(REAL), st.integers(min_value=1, max_value=8), st.integers(min_value=10, max_value=200))
def test_pipeline_word_budget_is_never_exceeded_on_real_articles(
    row: dict[str, Any], k: int, budget: int
) -> None:
    article = Article(row["id"], row["article"])
    result = summarize_article(article, Options(max_words=budget))
    if isinstance(result, Rejection):
        # Only when no whole usable sentence fits at all.
        assert result.reason == "budget"
        body = segment(article.text, clean(article).regions)
        shortest = min(n for n in (len(s.text.split()) for s in body) if n >= 5)
        assert shortest > budget
    else:
        assert sum(len(h.text.split()) for h in result.highlights) <= budget
        check_spans(article, result)
    result = summarize_article(article, Options(k=k))
    assert isinstance(result, Summary)
    assert len(result.highlights) == k or any(w.code == "fewer_key_points" for w in result.warnings)


def test_pipeline_is_deterministic() -> None:
    for row in REAL[:10]:
        article = Article(row["id"], row["article"])
        for method in ("lead", "textrank"):
            a = summarize_article(article, Options(method=method))
            b = summarize_article(article, Options(method=method))
            assert a == b


def test_pipeline_keeps_furniture_out_of_key_points() -> None:
    text = (
        "By . Daily Mail Reporter . PUBLISHED: . 12:30 EST, 1 May 2013 . | . "
        "UPDATED: . 14:46 EST, 1 May 2013 . "
        "A firefighter rescued two parrots from a burning home in Boise on Tuesday morning. "
        "Scroll down for video . The birds had been shouting for help as flames spread through the house. "
        "Neighbours said the parrots could be heard from the street for several minutes."
    )
    summary = nutgraf.summarize(text)
    joined = " ".join(h.text for h in summary.highlights)
    assert "PUBLISHED" not in joined and "Scroll down" not in joined and "Daily Mail Reporter" not in joined
    assert summary.highlights[0].text.startswith("A firefighter rescued")


def test_pipeline_keeps_a_cnn_dateline_out_of_the_first_key_point() -> None:
    text = (
        "LONDON, England (CNN) -- The British government announced new flood defences on Monday. "
        "The plan will cost two billion pounds over ten years. Work will start in the spring in the north."
    )
    summary = nutgraf.summarize(text)
    assert summary.highlights[0].text == "The British government announced new flood defences on Monday."


def test_pipeline_treats_a_short_unpunctuated_first_line_as_the_headline() -> None:
    text = (
        "Council Approves Seawall Plan\n\nThe council approved the seawall plan on Tuesday night. "
        "Work will begin in March and last two years. The state will pay most of the cost of the wall."
    )
    summary = nutgraf.summarize(text)
    assert all("Council Approves" not in h.text for h in summary.highlights)


def test_pipeline_leaves_out_a_body_headline_that_repeats_the_title() -> None:
    text = (
        "Seawall vote\nThe council approved the seawall plan on Tuesday night. "
        "Work will begin in March, officials said."
    )
    summary = nutgraf.summarize(text, title="Seawall vote")
    assert summary.highlights[0].text.startswith("The council approved")


def test_summarize_raises_input_rejected_with_a_reason() -> None:
    with pytest.raises(InputRejected) as exc:
        nutgraf.summarize("   ")
    assert exc.value.reason == "empty"
    with pytest.raises(InputRejected) as exc:
        nutgraf.summarize("no punctuation at all in this little text")
    assert exc.value.reason == "no_sentences"


def test_summarize_rejects_invalid_options_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="k must be between 1 and 50"):
        nutgraf.summarize("The council met. It voted.", k=0)
    with pytest.raises(nutgraf.UnknownName, match="Available: default, gbdt, lead, oracle, textrank"):
        nutgraf.summarize("The council met on Tuesday night. It voted to rebuild the wall.", method="gbtd")


@pytest.mark.parametrize("bad", [None, 5, b"The council met on Monday.", ["a", "b"]])
def test_the_library_refuses_a_text_that_is_not_a_string_with_a_type_error(bad: object) -> None:
    import nutgraf

    with pytest.raises(TypeError, match=r"summarize\(\) takes the article's text as a str; got"):
        nutgraf.summarize(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a Summarizer takes an Article"):
        nutgraf.Summarizer()(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="whose text is a str"):
        nutgraf.Summarizer()(nutgraf.Article("a", bad))  # type: ignore[arg-type]
