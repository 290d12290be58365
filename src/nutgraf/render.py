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
from nutgraf.ingest.text import SURROGATE

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
        "language": summary.language,
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


def to_json(obj: Any, indent: int | None = None) -> str:
    """JSON with non-ASCII text as it is, except when a string holds a lone surrogate (an id from a JSON
    ``\\ud800`` escape): then every non-ASCII character is escaped, which is still valid JSON and still the
    same string when read back, and can be written in UTF-8."""
    out = json.dumps(obj, ensure_ascii=False, indent=indent)
    return json.dumps(obj, indent=indent) if SURROGATE.search(out) else out


def render(summary: Summary, fmt: str, article: Article | None = None, *, indent: int | None = 2) -> str:
    """One summary in a format from ``FORMATS``; no trailing newline."""
    if fmt == "json":
        out = to_json(summary_to_dict(summary, article), indent=indent)
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
            f'<ul class="nutgraf-key-points" data-id="{html.escape(printable(summary.article_id))}" '
            f'data-method="{html.escape(summary.method)}">\n{items}\n</ul>'
        )
    raise UnknownName(f"Unknown format {fmt!r}. Available: {', '.join(FORMATS)}")


def heading(article_id: str, fmt: str) -> str:
    """The line that names a record before its key points when an input holds many: escaped for the
    format, so a hostile id is shown as text (``<h2>`` for HTML, a Markdown heading, ``# id`` for text;
    control characters always shown escaped)."""
    shown = printable(article_id)
    if fmt == "html":
        return f'<h2 class="nutgraf-record">{html.escape(shown)}</h2>'
    if fmt == "md":
        return f"# {_md_escape(shown)}"  # one line: printable escaped the line breaks
    return f"# {shown}"


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` as it may appear on one line of output: control characters (a newline in an id), line
    separators and lone surrogates (which no terminal can encode) shown as escapes."""
    return _UNSAFE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


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
