"""Tests for the furniture cleaner: golden rows from the shared data, hand-built documents, properties."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nutgraf.clean import FurnitureCleaner, clean
from nutgraf.contracts import Article, CleanArticle

GOLDEN = Path(__file__).parent / "golden" / "clean_cases.jsonl"
CASES = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]


def marks(text: str) -> list[tuple[str, str]]:
    """The (kind, substring) pairs the cleaner marks in ``text``, in document order."""
    out = clean(Article(id="t", text=text))
    return [(f.kind, text[f.start : f.end]) for f in sorted(out.furniture, key=lambda f: f.start)]


def first_region_text(text: str) -> str:
    out = clean(Article(id="t", text=text))
    start, end = out.regions[0]
    return text[start:end]


# ------------------------------------------------------------------------------------------------ golden


def test_golden_table_is_big_enough_and_has_negatives() -> None:
    assert len(CASES) >= 40
    assert sum(1 for case in CASES if not case["furniture"]) >= 8


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c['source'][:40]}" for i, c in enumerate(CASES)])
def test_clean_golden_row(case: dict[str, object]) -> None:
    text = str(case["text"])
    expected = [(kind, sub) for kind, sub in case["furniture"]]  # type: ignore[attr-defined]
    assert marks(text) == expected


# -------------------------------------------------------------------------------------------- datelines


def test_clean_marks_cnn_dateline_glued_to_first_word() -> None:
    text = "(CNN)Share, and your gift will be multiplied."
    assert marks(text) == [("dateline", "(CNN)")]
    assert first_region_text(text).startswith("Share,")


def test_clean_marks_place_dateline_with_dashes() -> None:
    assert marks("LONDON, England (CNN) -- The last word.") == [("dateline", "LONDON, England (CNN) -- ")]
    assert marks("Seoul (CNN) -- South Korea said.") == [("dateline", "Seoul (CNN) -- ")]
    assert marks("WASHINGTON (CNN) --The vote.") == [("dateline", "WASHINGTON (CNN) --")]


def test_clean_marks_outlet_datelines() -> None:
    assert marks("(EW.com) -- The film opened.") == [("dateline", "(EW.com) -- ")]
    assert marks("(Mashable) -- Digg relaunched.") == [("dateline", "(Mashable) -- ")]
    assert marks("(CNNMoney)Stocks fell.") == [("dateline", "(CNNMoney)")]
    assert marks("(CNN Student News) -- Today we look.") == [("dateline", "(CNN Student News) -- ")]


def test_clean_leaves_parenthesis_after_a_name_alone() -> None:
    assert marks("Andreas Lubitz (above) had received treatment.") == []
    assert marks("The South American federation (CONMEBOL) Confirmed it.") == []


def test_clean_marks_dateline_only_at_the_start() -> None:
    assert marks("He spoke to reporters. LONDON, England (CNN) -- is not a dateline here.") == []


# ------------------------------------------------------------------------------------ bylines, timestamps


def test_clean_marks_daily_mail_byline_and_timestamps() -> None:
    text = (
        "By . Daily Mail Reporter . PUBLISHED: . 12:30 EST, 1 May 2013 . | . UPDATED: . "
        "14:46 EST, 1 May 2013 . A man was arrested."
    )
    assert marks(text) == [
        ("byline", "By . Daily Mail Reporter . "),
        ("timestamp", "PUBLISHED: . 12:30 EST, 1 May 2013 . "),
        ("timestamp", "| . UPDATED: . 14:46 EST, 1 May 2013 . "),
    ]
    assert first_region_text(text) == "A man was arrested."


def test_clean_marks_byline_with_several_authors() -> None:
    assert marks("By . Sam Webb and Dan Bloom . Police said.")[0] == (
        "byline",
        "By . Sam Webb and Dan Bloom . ",
    )
    assert marks("By . John Smith . and . Jane Doe . Police said.")[0] == (
        "byline",
        "By . John Smith . and . Jane Doe . ",
    )


def test_clean_marks_capitalised_byline_and_last_updated() -> None:
    text = "By JOHN SMITH . Last updated at 10:39 AM on 30th January 2012 . The man was jailed."
    assert marks(text) == [
        ("byline", "By JOHN SMITH . "),
        ("timestamp", "Last updated at 10:39 AM on 30th January 2012 . "),
    ]


def test_clean_leaves_sentences_starting_with_by_alone() -> None:
    assert marks("By the end of the day, I was vomiting.") == []
    assert marks("By 2030, the top cancer killers will be lung, pancreas and liver.") == []


# ----------------------------------------------------------------------------------- promos and shares


@pytest.mark.parametrize(
    "furniture",
    [
        "Scroll down for video. ",
        "SCROLL DOWN FOR VIDEO\xa0. ",
        "scroll down for video . ",
        "Scroll down for videos. ",
    ],
)
def test_clean_marks_scroll_down_for_video(furniture: str) -> None:
    text = f"The dog was found on Tuesday. {furniture}Rescued: The dog was fed."
    assert marks(text) == [("promo", furniture)]


def test_clean_leaves_scrolling_in_a_sentence_alone() -> None:
    assert marks("But as I scrolled down, I quickly realized that it was a thing.") == []


def test_clean_marks_read_more_headline_in_flat_and_story_text() -> None:
    flat = "The train is fast. READ MORE: The future of transport . CNN's Yoko said it."
    assert marks(flat)[0] == ("promo", "READ MORE: The future of transport . ")
    story = "The train is fast.\n\nRead more: Maglev trains in Japan\n\nThe line opens in 2027."
    assert marks(story) == [("promo", "Read more: Maglev trains in Japan\n\n")]


def test_clean_leaves_headline_label_running_into_body_alone() -> None:
    # Without a line break or a flat " . ", a "Video: ..." could be a body sentence: not marked.
    assert marks("Video: the footage shows him running away from the police. He was caught.") == []


def test_clean_marks_click_here_sentences_but_not_quotes() -> None:
    assert marks("Shelters need money. Click here to help.") == [("promo", "Click here to help.")]
    assert marks("Watch Anderson Cooper 360° weeknights 8pm ET. For the latest from AC360° click here.") == [
        ("promo", "Watch Anderson Cooper 360° weeknights 8pm ET. "),
        ("promo", "For the latest from AC360° click here."),
    ]
    assert marks('He said: "Click here and you lose everything," the officer warned.') == []


def test_clean_marks_share_bar_and_follow_lines() -> None:
    assert marks("The vote is Friday. E-mail to a friend") == [("share", "E-mail to a friend")]
    assert marks("It ended.\n\nFollow @CNNOpinion on Twitter\n\nMore text.") == [
        ("share", "Follow @CNNOpinion on Twitter\n\n")
    ]
    assert marks("It ended.\n\nShare this article\n\nMore text.") == [("share", "Share this article\n\n")]


def test_clean_leaves_follow_instructions_alone() -> None:
    assert marks("Follow the instructions of your doctor, he said.") == []


# ------------------------------------------------------------------------------------- credits and notes


def test_clean_marks_contributed_credit() -> None:
    text = 'He denied it. "We will be ready." CNN\'s Dan Simon and Mike M. Ahlers contributed to this report.'
    assert marks(text) == [("credit", "CNN's Dan Simon and Mike M. Ahlers contributed to this report.")]
    assert marks("Ends here.\n\nThe Associated Press contributed to this report.") == [
        ("credit", "The Associated Press contributed to this report.")
    ]


def test_clean_leaves_contributed_to_in_body_alone() -> None:
    assert marks("A horrendous season had contributed to the empty seats, he said.") == []
    assert marks("The crash was, CNN's Foster reported, caused by ice.") == []


def test_clean_marks_copyright_and_opinion_disclaimer() -> None:
    text = "It is over.\n\nThe opinions expressed in this commentary are solely those of Bob Greene."
    assert marks(text) == [
        ("note", "The opinions expressed in this commentary are solely those of Bob Greene.")
    ]
    assert marks("It is over.\n\n© 2011 Entertainment Weekly and Time Inc. All rights reserved.") == [
        ("credit", "© 2011 Entertainment Weekly and Time Inc. All rights reserved.")
    ]


def test_clean_leaves_copyrighted_in_body_alone() -> None:
    assert marks("The site shared copyrighted works, authorities said.") == []


def test_clean_marks_pictured_caption() -> None:
    text = "He forged tickets. Pictured: A real ticket from 2011. Mason was jailed."
    assert marks(text) == [("caption", "Pictured: A real ticket from 2011. ")]
    assert marks("Pictured is Wayne Rooney receiving a red card.") == []


def test_clean_marks_story_form_editors_note_at_start() -> None:
    text = "Editor's note: Bob Greene is a bestselling author.\n\nBob Greene says the dentist was right."
    assert marks(text) == [("note", "Editor's note: Bob Greene is a bestselling author.\n\n")]
    assert first_region_text(text).startswith("Bob Greene says")


def test_clean_does_not_mark_flat_editors_note_of_unknown_length() -> None:
    assert marks("Editor's note: Bob Greene is an author. Bob Greene says the dentist was right.") == []


# ------------------------------------------------------------------------------------------ body survives


def test_clean_body_starts_a_region_after_dateline_and_promo() -> None:
    text = "Seoul (CNN) -- South Korea acted. Scroll down for video. Officials met on Thursday."
    out = clean(Article(id="t", text=text))
    starts = [text[s:e].split()[0] for s, e in out.regions]
    assert starts == ["South", "Officials"]


def test_clean_returns_the_same_article_and_no_furniture_for_plain_text() -> None:
    article = Article(id="t", text="A plain sentence. Another one.")
    out = FurnitureCleaner()(article)
    assert out.article is article
    assert out.furniture == ()
    assert out.regions == ((0, len(article.text)),)


# -------------------------------------------------------------------------------------------- properties

_PIECES = st.sampled_from(
    [
        "(CNN) -- ",
        "(CNN)",
        "LONDON, England (CNN) -- ",
        "By . Daily Mail Reporter . ",
        "PUBLISHED: . 12:30 EST, 1 May 2013 . ",
        "Scroll down for video. ",
        "Click here to help. ",
        "CNN's Jo Li contributed to this report. ",
        "E-mail to a friend ",
        "READ MORE: A headline . ",
        "Pictured: A dog. ",
        "The man said so. ",
        "\n\n",
        " ",
        ". ",
        '"Quote," he said. ',
        "Editor's note: x\n",
        "\xa0. ",
        "--",
        "(",
        ")",
    ]
)
_TEXTS = st.one_of(st.lists(_PIECES, max_size=12).map("".join), st.text(max_size=200))


def _check_invariants(out: CleanArticle) -> None:
    text = out.article.text
    spans = sorted((f.start, f.end) for f in out.furniture)
    for start, end in spans:
        assert 0 <= start < end <= len(text)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start
    covered = sorted([*spans, *out.regions])
    pos = 0
    for start, end in covered:
        assert start == pos
        pos = end
    assert pos == len(text)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_clean_spans_are_in_bounds_disjoint_and_cover_text_with_regions(text: str) -> None:
    _check_invariants(clean(Article(id="p", text=text)))


@settings(max_examples=100, deadline=None)
@given(_TEXTS)
def test_clean_is_deterministic(text: str) -> None:
    article = Article(id="p", text=text)
    assert clean(article) == FurnitureCleaner()(article)


def test_clean_marks_a_plain_text_headline_and_the_dateline_after_it() -> None:
    text = "Council Approves Seawall Plan\n\nHARBOR CITY (Nutgraf Wire) -- The council voted on Tuesday."
    got = [(f.kind, text[f.start : f.end].strip()) for f in clean(Article("h", text)).furniture]
    assert got == [
        ("headline", "Council Approves Seawall Plan"),
        ("dateline", "HARBOR CITY (Nutgraf Wire) --"),
    ]


def test_clean_marks_a_first_line_that_repeats_the_title() -> None:
    text = "Seawall vote, explained\nThe council voted on Tuesday."
    furniture = clean(Article("h", text, title="Seawall  vote, explained")).furniture
    assert [(f.kind, text[f.start : f.end]) for f in furniture] == [("headline", "Seawall vote, explained")]


def test_clean_never_takes_the_first_sentence_of_flat_text_for_a_headline() -> None:
    text = "Council approves seawall plan in a late vote The council voted on Tuesday night."
    assert clean(Article("h", text)).furniture == ()


def test_clean_marks_a_first_line_that_is_the_title_without_the_site_name() -> None:
    text = "13-Inch MacBook Pro Expected in 2020\nThe laptop will get a new keyboard, an analyst said."
    title = "13-Inch MacBook Pro Expected in 2020 - MacRumors"
    kinds = [f.kind for f in clean(Article("h", text, title=title)).furniture]
    assert kinds == ["headline"]
    assert clean(Article("h", "13-Inch MacBook\nThe laptop sold out.", title=title)).furniture == ()


def test_clean_keeps_a_sentence_case_first_line_without_a_full_stop() -> None:
    text = "Michelle Obama likes to keep a busy schedule\n\nShe visited three schools on Monday."
    assert clean(Article("h", text)).furniture == ()


def test_outside_english_a_lead_outlet_dateline_is_furniture() -> None:
    """ "Suara.com - ", "Jakarta, CNN Indonesia - - ", "JUARA.NET, BEIJING - ": an outlet (or place and outlet)
    before a spaced dash opening a story in another language is a dateline; a name and its apposition is
    not, and English keeps its own rules."""
    from nutgraf.clean import clean
    from nutgraf.contracts import Article

    body = "Ketua DPR RI Bambang Soesatyo mengungkapkan kegalauannya melihat perkembangan demokrasi."
    for lead in ("Suara.com - ", "Jakarta, CNN Indonesia - - ", "JUARA.NET, BEIJING - ", "Rimanews - "):
        text = lead + body
        found = [f for f in clean(Article("x", text), "id").furniture if f.kind == "dateline"]
        assert [(f.start, f.end) for f in found] == [(0, len(lead))], lead
        assert not [f for f in clean(Article("x", text)).furniture if f.start == 0 and f.end == len(lead)]
    apposition = "Bạch Công Khanh - Quán quân Gương Mặt Thân Quen chuẩn bị phát hành MV mới."
    assert not clean(Article("x", apposition), "vi").furniture
