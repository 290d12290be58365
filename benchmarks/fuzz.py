"""Coverage-guided fuzzing of nutgraf's whole path from bytes to key points, with its promises as the oracle.

    pip install -e '.[fuzz]'
    .venv/bin/python benchmarks/fuzz.py -atheris_runs=1000000 build/fuzz-corpus tests/fuzz/seeds

Each input is a file's bytes. The first byte chooses how they are read (text, HTML, JSON Lines, JSON, feed, or
sniffed), the method (``default`` or ``lead``), compression and the output format; the rest is the file. Every
record goes through the Summarizer and is rendered. ``check`` fails (raises ``Broken``) when a promise breaks:

- no exception escapes: ingest, the Summarizer and render never raise for bad input;
- a rejection has a documented reason (``contracts.RejectReason``) and never ``internal`` (that is a bug);
- every key point's spans are in range, in order, and join to exactly its text, which is the input's words;
- every rendering of a result encodes as UTF-8 (the CLI could print it);
- one input takes under ``SLOW_SECONDS``.

``tests/test_fuzz.py`` runs ``check`` on the seed corpus (``tests/fuzz/seeds``) and on inputs made from it in
``make test``; this script is the campaign (atheris, libFuzzer's engine), run by hand. Its figures are in the
README ("Reliability").
"""

from __future__ import annotations

import sys
import time
import typing
from typing import Any

from nutgraf.contracts import Options, Rejection, RejectReason, Summary
from nutgraf.ingest import Reading
from nutgraf.ingest.sources import open_bytes
from nutgraf.pipeline import summarizer_for
from nutgraf.render import FORMATS, rejection_to_dict, render, to_json

SLOW_SECONDS = 5.0
REASONS = frozenset(typing.get_args(RejectReason)) - {"internal"}
_NAMES = ("story.txt", "page.html", "rows.jsonl", "row.json", "feed.rss", "upload")
_METHODS = ("default", "lead")
_LIMIT = 200_000
"""Inputs are cut here: the campaign explores shapes, not sizes (sizes have their own tests)."""


class Broken(AssertionError):
    """A promise nutgraf makes was broken by this input."""


def check(data: bytes) -> int:
    """Run one input through ingest, the Summarizer and render; raise ``Broken`` if a promise breaks.
    Returns the number of records seen."""
    if not data:
        data = b"\x00"
    control, body = data[0], data[1 : _LIMIT + 1]
    name = _NAMES[control % len(_NAMES)]
    options = Options(method=_METHODS[(control >> 3) & 1], compress=bool((control >> 4) & 1 and _has_spacy()))
    fmt = FORMATS[(control >> 5) % len(FORMATS)]
    summarizer = summarizer_for(options)
    started = time.perf_counter()
    seen = 0
    try:
        records = open_bytes(body, name, Reading(max_bytes=_LIMIT)).records
        for record in records:
            seen += 1
            result = summarizer(record)
            _check_result(result, record, fmt)
    except Broken:
        raise
    except Exception as exc:  # any escape is a broken promise
        raise Broken(f"{type(exc).__name__} escaped for {name}: {exc}") from exc
    if time.perf_counter() - started > SLOW_SECONDS:
        raise Broken(f"{name}: {time.perf_counter() - started:.1f} s for one input of {len(body):,} bytes")
    return seen


def _check_result(result: Summary | Rejection, record: Any, fmt: str) -> None:
    if isinstance(result, Rejection):
        if result.reason not in REASONS:
            raise Broken(f"rejection with reason {result.reason!r}: {result.message}")
        to_json(rejection_to_dict(result)).encode("utf-8")
        return
    text = record.text
    for h in result.highlights:
        previous = -1
        for start, end in h.spans:
            if not 0 <= start < end <= len(text) or start < previous:
                raise Broken(f"span {(start, end)} out of range or order for a text of {len(text)}")
            previous = end
        if "".join(text[s:e] for s, e in h.spans) != h.text:
            raise Broken(f"the spans of {h.text[:60]!r} do not join to its text")
    render(result, fmt, record).encode("utf-8")


_SPACY: bool | None = None


def _has_spacy() -> bool:
    global _SPACY
    if _SPACY is None:
        try:
            import spacy  # noqa: F401
        except ImportError:
            _SPACY = False
        else:
            _SPACY = True
    return _SPACY


def main() -> None:
    import atheris

    def one(data: bytes) -> None:
        check(data)

    atheris.instrument_all()
    atheris.Setup(sys.argv, one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
