"""The web-page furniture detector (``nutgraf.webfurniture``): what it marks, where it runs, its model file."""

from __future__ import annotations

import gzip
import json
from importlib import resources

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
