"""The web-page furniture detector (``nutgraf.webfurniture``): what it marks, where it runs, its model file."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from typing import Any

import pytest

from nutgraf import Options, Summarizer
from nutgraf.clean import clean
from nutgraf.contracts import Article, Summary
from nutgraf.ingest import from_html
from nutgraf.webfurniture import (
    FEATURES,
    FORMAT,
    MODEL_FILE,
    line_rows,
    line_spans,
    read_model,
    web_furniture,
)

BODY = [
    "The city council approved a plan on Tuesday to rebuild the sea wall that failed during last year's storm.",
    "Work will start in March and take two years, the mayor said after the vote in the packed chamber.",
    "Residents of the east side, where streets flooded for nine days, applauded the decision.",
    "The plan replaces two miles of concrete wall with a taller barrier of steel and rock.",
]
FURNITURE = [
    "Sign up for our free daily newsletter",
    "Topics: council, storms, flooding, east side, Editor's Picks",
    "- 8/50 Scope to do more in the City?",
    "Posted on April 21, 2015, at 11:29 a.m.",
    "Share this article on Facebook and Twitter",
]


def test_the_detector_marks_furniture_lines_and_keeps_the_body() -> None:
    text = "\n".join(
        [FURNITURE[3], *BODY[:2], FURNITURE[2], *BODY[2:], FURNITURE[1], FURNITURE[0], FURNITURE[4]]
    )
    marked = {text[s:e] for s, e in web_furniture(text, "Council approves sea wall plan")}
    assert not marked & set(BODY)
    assert len(marked & set(FURNITURE)) >= 4


def test_it_runs_on_web_pages_only_and_spans_stay_exact() -> None:
    text = "\n".join([*BODY, *FURNITURE])
    plain = clean(Article("t", text))
    assert not [f for f in plain.furniture if f.kind == "web"]  # plain text (CNN/Daily Mail) never
    page = (
        "<html><body><article>"
        + "".join(f"<p>{line}</p>" for line in [*BODY, *FURNITURE])
        + "</article></body></html>"
    )
    article = from_html(page, "p")
    assert isinstance(article, Article)
    web = [f for f in clean(article).furniture if f.kind == "web"]
    assert web and all(article.text[f.start : f.end].strip() for f in web)
    result = Summarizer(Options(k=3))(article)
    assert isinstance(result, Summary)
    for h in result.highlights:
        assert h.text in BODY and "".join(article.text[s:e] for s, e in h.spans) == h.text


def test_a_page_whose_every_sentence_looks_like_furniture_still_gets_key_points() -> None:
    """When the detector takes every sentence a key point may be, its guess gives way to the rules."""
    lines = [
        "Sign up for the newsletter to get the best deals on laptops and phones delivered to your inbox.",
        "Follow us on Twitter and Facebook for the latest deals on laptops, phones and tablets this week.",
    ]
    page = (
        "<html><body><article>" + "".join(f"<p>{line}</p>" for line in lines * 3) + "</article></body></html>"
    )
    article = from_html(page, "p")
    assert isinstance(article, Article)
    result = Summarizer()(article)
    assert isinstance(result, Summary) and result.highlights


def test_the_model_file_is_pinned() -> None:
    data = read_model()
    assert data["format"] == FORMAT and tuple(data["features"]) == FEATURES
    assert 0 < data["threshold"] < 1
    meta = data["metadata"]
    assert len(meta["data"]["sha256"]) == 64 and meta["data"]["pages"] >= 180
    assert meta["command"].startswith("python scripts/train_web_furniture.py")
    cv = meta["cross_validation"]
    chosen, rules = cv[str(data["threshold"])], cv["None"]
    assert chosen[0] / chosen[1] > rules[0] / rules[1] and chosen[2] >= rules[2]  # better, no page lost
    raw = (resources.files("nutgraf") / "data" / MODEL_FILE).read_bytes()
    assert gzip.decompress(raw) == json.dumps(data, sort_keys=True, ensure_ascii=False).encode()


def test_line_rows_have_one_row_of_every_column_per_line() -> None:
    text = "  First line.\n\nSecond line here\n- 3/10 A caption\n"
    spans = line_spans(text)
    assert [text[s:e] for s, e in spans] == ["First line.", "Second line here", "- 3/10 A caption"]
    rows = line_rows(text, spans, "Second line here")
    assert len(rows) == 3 and all(len(r) == len(FEATURES) for r in rows)
    named = [dict(zip(FEATURES, r, strict=True)) for r in rows]
    assert named[2]["counter"] == 1.0 and named[1]["is_title"] == 1.0 and named[0]["terminal"] == 1.0


def test_a_short_web_line_that_ends_no_sentence_is_never_a_key_point() -> None:
    """Headlines of other stories, captions, subheadings: short lines of web text without sentence punctuation
    are furniture there, whatever the model says; in plain text they are left to the rules."""
    headline = "Jonas Brothers Added to 2019 American Music Awards Performance Lineup"
    text = "\n".join([BODY[0], headline, *BODY[1:]])
    spans = web_furniture(text, None)
    assert (text.index(headline), text.index(headline) + len(headline)) in spans
    assert not [f for f in clean(Article("t", text)).furniture if f.kind == "web"]


STANDFIRST = (
    "The council's vote ends a year of argument over how to protect the east side from the next storm."
)
PAGE = f"""<html><head><title>Council approves sea wall plan</title>
<meta name="description" content="{STANDFIRST}">
<meta name="author" content="Dana Reyes">
<meta property="article:published_time" content="2019-11-19T08:00:00Z">
<meta property="article:tag" content="flooding">
</head><body><article>
<header><h1>Council approves sea wall plan</h1>
<h2 class="ArticleSubtitle">{STANDFIRST}</h2>
<p class="byline">By Dana Reyes</p><time datetime="2019-11-19">November 19, 2019</time></header>
{"".join(f"<p>{line}</p>" for line in BODY)}
<figure><img src="wall.jpg"><figcaption>The old wall after the storm. Photo: city archive</figcaption></figure>
<aside class="related"><a href="/x">More on the storm</a></aside>
<p>{BODY[0].replace("Tuesday", "Monday")}</p>
</article></body></html>"""


def test_page_hints_hold_what_the_html_said_before_extraction() -> None:
    """The page's metadata and the texts of its furniture elements (headings, captions, asides, bylines and
    times, by tag or by class name in any case) ride along with the extracted text."""
    article = from_html(PAGE, "p")
    assert isinstance(article, Article) and article.page is not None
    page = article.page
    assert page.description == STANDFIRST and page.date == "2019-11-19"
    assert "Dana Reyes" in page.names and "flooding" in page.names
    assert STANDFIRST in page.heading_text.split("\n")  # class "ArticleSubtitle"
    assert "Council approves sea wall plan" in page.heading_text
    assert "The old wall after the storm. Photo: city archive" in page.aside_text.split("\n")
    assert "By Dana Reyes" in page.byline_text.split("\n")
    assert not any(line in page.heading_text for line in BODY)  # body paragraphs are in no hint
    # A JSON Lines record with HTML and its own title keeps them too.
    from nutgraf.ingest.jsonl import parse_record

    record = parse_record(json.dumps({"id": "r", "html": PAGE, "title": "Sea wall"}), "r")
    assert isinstance(record, Article) and record.title == "Sea wall" and record.page == page


def test_hint_columns_read_the_page_and_are_zero_without_one() -> None:
    article = from_html(PAGE, "p")
    assert isinstance(article, Article)
    spans = line_spans(article.text)
    lines = [article.text[s:e] for s, e in spans]
    with_page = [
        dict(zip(FEATURES, r, strict=True)) for r in line_rows(article.text, spans, None, article.page)
    ]
    without = [dict(zip(FEATURES, r, strict=True)) for r in line_rows(article.text, spans, None)]
    first = lines.index(BODY[0])
    row = with_page[lines.index(STANDFIRST)]
    assert row["in_description"] == 2.0 and row["in_heading"] == 2.0 and row["standfirst"] == 1.0
    assert with_page[first]["in_description"] == 0.0 and with_page[first]["standfirst"] == 0.0
    hinted = FEATURES[FEATURES.index("in_description") :]
    assert all(row[name] == 0.0 for row in without for name in hinted)
    assert any(row[name] > 0 for row in with_page for name in hinted)


def test_a_standfirst_set_in_a_heading_is_never_a_key_point() -> None:
    """The page's description, set as a subtitle above the body, is furniture (the labelled bodies leave it
    out); the same line in text that says nothing of the page stays a candidate."""
    article = from_html(PAGE, "p")
    assert isinstance(article, Article)
    web = {article.text[f.start : f.end] for f in clean(article).furniture if f.kind == "web"}
    result = Summarizer(Options(k=3))(article)
    assert isinstance(result, Summary)
    assert STANDFIRST in article.text and STANDFIRST in web
    assert all(STANDFIRST not in h.text for h in result.highlights)
    # Without the page's hints (the same lines as plain web text), nothing says the line is a standfirst.
    bare = Article("b", article.text, metadata={"input_format": "html"})
    assert STANDFIRST not in {bare.text[f.start : f.end] for f in clean(bare).furniture if f.kind == "web"}


def test_a_line_equal_to_the_title_is_the_title_in_any_script() -> None:
    """Words are lower-cased one by one on both sides, so a Turkish capital İ (two characters in lower case)
    does not split a line's word where it does not split the title's."""
    title = "İSTANBUL'DA Büyük Yangın Söndürüldü"
    text = f"{title}\nİtfaiye ekipleri yangını üç saatte söndürdü, yaralanan olmadı."
    spans = line_spans(text)
    rows = [dict(zip(FEATURES, r, strict=True)) for r in line_rows(text, spans, title)]
    assert rows[0]["is_title"] == 1.0 and rows[0]["title_overlap"] == 1.0 and rows[1]["is_title"] == 0.0


def test_a_short_fast_extraction_is_done_again_in_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """trafilatura's fast extraction skips its comparison with readability and jusText; when it reads under
    ``SHORT_FAST_WORDS`` words, the page is extracted again in full and the longer body is kept."""
    import trafilatura

    import nutgraf.ingest.html as html_module

    real = trafilatura.bare_extraction
    calls: list[bool] = []

    def fake(tree: Any, **kwargs: Any) -> Any:
        calls.append(bool(kwargs.get("fast")))
        doc = real(tree, **kwargs)
        if kwargs.get("fast"):  # the fast path under-reads this page: its first two paragraphs only
            doc.text = "\n".join(BODY[:2])
        return doc

    monkeypatch.setattr(trafilatura, "bare_extraction", fake)
    article = from_html(PAGE, "p")
    assert calls == [True, False]
    assert isinstance(article, Article) and all(line in article.text for line in BODY)
    calls.clear()
    monkeypatch.setattr(html_module, "SHORT_FAST_WORDS", 5)  # a body long enough: no second extraction
    short = from_html(PAGE, "p")
    assert isinstance(short, Article) and short.text == "\n".join(BODY[:2]) and calls == [True]
