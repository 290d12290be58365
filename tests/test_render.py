from __future__ import annotations

import json

import pytest

from nutgraf.contracts import Article, Highlight, Notice, Summary, UnknownName
from nutgraf.render import render, summary_to_dict

TEXT = 'The council voted 7-2.\nIt will cost $48 *million* <now>. "Good," she said.'
SUMMARY = Summary(
    article_id="a&b",
    highlights=(
        Highlight(text="The council voted 7-2.", spans=((0, 22),), sentences=(0,), score=0.9, rank=1),
        Highlight(text=TEXT[23:], spans=((23, len(TEXT)),), sentences=(1, 2), score=0.5, rank=2),
    ),
    method="lead",
    scorer="nutgraf.scorer.lead.v1",
    version="0.1.0",
    warnings=(Notice("fewer_key_points", "returning 2 key points instead of 3"),),
)


def test_render_json_has_the_documented_shape() -> None:
    data = json.loads(render(SUMMARY, "json"))
    assert data["id"] == "a&b" and data["method"] == "lead" and data["version"] == "0.1.0"
    assert data["highlights"][1] == {
        "text": TEXT[23:],
        "spans": [[23, len(TEXT)]],
        "sentences": [1, 2],
        "score": 0.5,
        "rank": 2,
    }
    assert data["warnings"] == [
        {"code": "fewer_key_points", "message": "returning 2 key points instead of 3"}
    ]


def test_render_json_carries_extracted_text_for_html_input() -> None:
    article = Article("x", TEXT, title="T", metadata={"input_format": "html"})
    data = summary_to_dict(SUMMARY, article)
    assert data["text"] == TEXT and data["title"] == "T"
    assert "text" not in summary_to_dict(SUMMARY, Article("x", TEXT))


def test_render_text_is_one_bullet_per_key_point() -> None:
    assert render(SUMMARY, "text") == (
        '- The council voted 7-2.\n- It will cost $48 *million* <now>. "Good," she said.'
    )


def test_render_markdown_escapes_inline_markup() -> None:
    out = render(SUMMARY, "md")
    assert "\\*million\\*" in out and "\\<now\\>" in out


def test_render_html_escapes_text_and_carries_spans() -> None:
    out = render(SUMMARY, "html")
    assert 'data-id="a&amp;b"' in out
    assert "&lt;now&gt;" in out
    assert f'data-spans="23-{len(TEXT)}"' in out


def test_render_unknown_format_lists_the_choices() -> None:
    with pytest.raises(UnknownName, match="Available: text, json, md, html"):
        render(SUMMARY, "pdf")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# 1 seed falls", "- \\# 1 seed falls"),
        ("+ more rain expected", "- \\+ more rain expected"),
        ("1. The first vote", "- 1\\. The first vote"),
        ("2) Second", "- 2\\) Second"),
        ("#hashtag trends", "- #hashtag trends"),
        ("10 people died.", "- 10 people died."),
    ],
)
def test_render_markdown_keeps_a_key_point_a_plain_list_item(text: str, expected: str) -> None:
    summary = Summary("x", (Highlight(text, ((0, len(text)),), (0,), 1.0, 1),), "lead", "s", "0")
    assert render(summary, "md") == expected
