"""Plain text: bytes to a string (UTF-8, a BOM's encoding, or the one the caller names; never a silent
guess), and a string to an ``Article`` once it is known to be text worth segmenting."""

from __future__ import annotations

import codecs
import re

from nutgraf.contracts import Article, Rejection

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "a PDF file", "extract its text first (for example with pdftotext)"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.epub file)", "extract the article text first"),
    (b"\x89PNG", "a PNG image", "give nutgraf the article text"),
    (b"\xff\xd8\xff", "a JPEG image", "give nutgraf the article text"),
    (b"GIF8", "a GIF image", "give nutgraf the article text"),
    (b"\x7fELF", "a program (ELF binary)", "give nutgraf the article text"),
)


def bom(data: bytes) -> tuple[int, str | None]:
    """The length and encoding of the byte-order mark ``data`` starts with, or ``(0, None)``."""
    for mark, name in _BOMS:
        if data.startswith(mark):
            return len(mark), name
    return 0, None


def decode(data: bytes, doc_id: str, encoding: str | None = None) -> str | Rejection:
    """Bytes to text: the named encoding, else a BOM's, else strict UTF-8. Never guesses silently."""
    for magic, what, todo in _MAGIC:
        if data.startswith(magic):
            return Rejection(doc_id, "not_text", f"input is {what}, not text; {todo}")
    if encoding is None:
        skip, encoding = bom(data)
        data = data[skip:]
    if encoding is None:
        if b"\x00" in data:
            return Rejection(
                doc_id,
                "not_text",
                "input contains NUL bytes, so it is binary, not text (UTF-16 without a byte-order mark? "
                "then pass --encoding utf-16-le)",
            )
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = data[exc.start : exc.start + 1].hex().upper()
            return Rejection(
                doc_id,
                "bad_encoding",
                f"input is not valid UTF-8 (byte 0x{bad} at offset {exc.start}); if it is in another "
                "encoding, name it, e.g. --encoding cp1252",
            )
    if codecs.lookup(encoding).name == "utf-8":
        encoding = "utf-8-sig"  # a BOM is not text: spans must not depend on whether --encoding was given
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        return Rejection(
            doc_id,
            "bad_encoding",
            f"input is not valid {encoding} (at byte offset {exc.start}): {exc.reason}",
        )


_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")
"""Control characters other than tab and the line breaks (``\t \n \v \f \r``): a sign of binary data."""
_URL_ONLY = re.compile(r"\s*[a-zA-Z][a-zA-Z0-9+.-]*://\S+\s*")


SURROGATE = re.compile(r"[\ud800-\udfff]")
"""A lone surrogate: what a JSON ``\\ud800`` escape with no pair decodes to; no encoder can write it."""


def text_problem(text: str, doc_id: str) -> Rejection | None:
    """Why a string is not text worth segmenting (empty, binary, a bare URL), or None when it is."""
    if not text.strip():
        what = "empty" if not text else "only whitespace"
        return Rejection(doc_id, "empty", f"input is {what}; give nutgraf the text of a news article")
    if "\x00" in text:
        return Rejection(doc_id, "not_text", "input contains NUL characters, so it is binary, not text")
    sample = text[:20_000]
    controls = len(_CONTROLS.findall(sample))
    if controls > max(2, len(sample) // 100):
        return Rejection(
            doc_id,
            "not_text",
            f"input has {controls} control characters in its first {len(sample):,}: binary?",
        )
    surrogate = SURROGATE.search(text)
    if surrogate is not None:
        return Rejection(
            doc_id,
            "not_text",
            f"input holds a lone surrogate (U+{ord(surrogate.group(0)):04X}) at character {surrogate.start():,}: "
            "not valid Unicode text (a JSON \\ud800 escape with no pair?)",
        )
    if _URL_ONLY.fullmatch(text):
        return Rejection(
            doc_id,
            "url",
            "input is a URL, not an article; nutgraf makes no network calls: save the page and give nutgraf "
            "its HTML or text",
        )
    return None


def from_text(
    text: str,
    doc_id: str,
    title: str | None = None,
    metadata: dict[str, str] | None = None,
    references: tuple[str, ...] = (),
) -> Article | Rejection:
    """Check that a string is text worth segmenting and wrap it as an ``Article``."""
    problem = text_problem(text, doc_id)
    if problem is not None:
        return problem
    return Article(id=doc_id, text=text, title=title, metadata=metadata or {}, references=references)
