"""Render: a ``Summary`` as text bullets, JSON, Markdown or an HTML fragment.

JSON is exact (each highlight's ``text`` is the join of ``text[start:end]`` over its spans); the display
formats fold runs of whitespace (a line break inside a joined key point) into single spaces.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from nutgraf.contracts import Article, Highlight, Rejection, Sentence, Summary, UnknownName

FORMATS: tuple[str, ...] = ("text", "json", "md", "html")


def summary_to_dict(summary: Summary, article: Article | None = None) -> dict[str, Any]:
    """The JSON shape shared by the CLI, batch and the service. When the spans point into text that is not
    the raw input (HTML extraction), that text travels with the result under ``text``."""
    out: dict[str, Any] = {
        "id": summary.article_id,
        "method": summary.method,
        "scorer": summary.scorer,
        "version": summary.version,
        **({"model": summary.model} if summary.model else {}),
        "highlights": [
            {
                "text": h.text,
                "spans": [list(span) for span in h.spans],
                "sentences": list(h.sentences),
                "score": h.score,
                "rank": h.rank,
                **(
                    {
                        "explanation": [
                            {"feature": c.feature, "value": c.value, "contribution": c.contribution}
                            for c in h.explanation
                        ]
                    }
                    if h.explanation
                    else {}
                ),
            }
            for h in summary.highlights
        ],
        "warnings": [{"code": n.code, "message": n.message} for n in summary.warnings],
    }
    if article is not None:
        if article.title:
            out["title"] = article.title
        if article.metadata.get("input_format") in ("html", "feed"):
            out["text"] = article.text
    return out


def error_dict(reason: str, message: str) -> dict[str, str]:
    """The one error object of every front end: ``reason`` (machine-readable), ``message`` (for people),
    and ``code``, the same value as ``reason`` under the service's old name (kept for one release)."""
    return {"reason": reason, "code": reason, "message": message}


def rejection_to_dict(rejection: Rejection) -> dict[str, Any]:
    return {"id": rejection.article_id, "error": error_dict(rejection.reason, rejection.message)}


def result_to_dict(result: Summary | Rejection, article: Article | Rejection | None = None) -> dict[str, Any]:
    """The JSON of one result, the same for the CLI, batch, Dask and the service: the summary, or
    ``{"id", "error": {"reason", "code", "message"}}``."""
    if isinstance(result, Rejection):
        return rejection_to_dict(result)
    return summary_to_dict(result, article if isinstance(article, Article) else None)


_NUMBER_ARRAY = re.compile(r"\[\s*(-?\d+(?:\.\d+)?(?:,\s*-?\d+(?:\.\d+)?)*)\s*\]")


def _inline(m: re.Match[str]) -> str:
    """Keep arrays of numbers (spans, sentence indexes) on one line in indented JSON."""
    return "[" + ", ".join(part.strip() for part in m.group(1).split(",")) + "]"


def _display(text: str) -> str:
    return " ".join(text.split())


def _why_attr(h: Highlight) -> str:
    """With --explain, the HTML list item carries its explanation as a tooltip."""
    return f' title="{html.escape(_why(h, "").strip())}"' if h.explanation else ""


def _why(h: Highlight, code: str) -> str:
    """An explained key point's second line: its score and the features that moved it most (log-odds)."""
    if not h.explanation:
        return ""
    parts = ", ".join(f"{c.feature}={c.value:g} ({c.contribution:+.2f})" for c in h.explanation)
    return f"\n  {code}score {h.score:.3f}: {parts}{code}"


def render(summary: Summary, fmt: str, article: Article | None = None, *, indent: int | None = 2) -> str:
    """One summary in a format from ``FORMATS``; no trailing newline."""
    if fmt == "json":
        out = json.dumps(summary_to_dict(summary, article), ensure_ascii=False, indent=indent)
        return out if indent is None else _NUMBER_ARRAY.sub(_inline, out)
    if fmt == "text":
        return "\n".join(f"- {_display(h.text)}{_why(h, '')}" for h in summary.highlights)
    if fmt == "md":
        return "\n".join(f"- {_md_escape(_display(h.text))}{_why(h, '`')}" for h in summary.highlights)
    if fmt == "html":
        items = "\n".join(
            f'  <li data-rank="{h.rank}" data-spans="{" ".join(f"{s}-{e}" for s, e in h.spans)}"'
            f"{_why_attr(h)}>"
            f"{html.escape(_display(h.text), quote=False)}</li>"
            for h in summary.highlights
        )
        return (
            f'<ul class="nutgraf-key-points" data-id="{html.escape(summary.article_id)}" '
            f'data-method="{html.escape(summary.method)}">\n{items}\n</ul>'
        )
    raise UnknownName(f"Unknown format {fmt!r}. Available: {', '.join(FORMATS)}")


# A list item that starts like a heading or a list ("# 1", "+ more", "1. first") would render as one.
_MD_BLOCK_START = re.compile(r"^(#{1,6}|[+-]|\d{1,9}[.)])(?=\s|$)")


def _md_escape(text: str) -> str:
    # Only what would change the rendering of a list item's inline text, or turn it into a block.
    for ch in ("\\", "*", "_", "`", "[", "]", "<", ">"):
        text = text.replace(ch, "\\" + ch)
    m = _MD_BLOCK_START.match(text)
    if m:
        marker = m.group(1)
        text = (marker[:-1] + "\\" + marker[-1] if marker[-1] in ".)" else "\\" + marker) + text[m.end() :]
    return text


def sentences_to_json(sentences: tuple[Sentence, ...]) -> str:
    return json.dumps(
        [{"text": s.text, "start": s.start, "end": s.end, "paragraph": s.paragraph} for s in sentences],
        ensure_ascii=False,
        indent=2,
    )
