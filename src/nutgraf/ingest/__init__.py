"""Ingest: bytes from a file, a directory, stdin or an upload to ``Article`` records, or to a ``Rejection``
that says what is wrong.

One table of input formats (``formats.FORMATS``: text, HTML, JSON Lines, JSON, RSS/Atom feeds, directories)
serves every front end. Plain text is UTF-8 with or without BOM, UTF-16/32 with BOM, or an ``encoding`` the
caller names; HTML gives its main article body and title (trafilatura); JSON Lines records are ``{"id",
"text" | "article" | "html", "title"?, "highlights"?}``. nutgraf never fetches anything: a URL is refused.
"""

from nutgraf.errors import UsageError as UsageError
from nutgraf.ingest.feed import feed_records as feed_records
from nutgraf.ingest.formats import FORMATS as FORMATS
from nutgraf.ingest.formats import INPUT_FORMATS as INPUT_FORMATS
from nutgraf.ingest.formats import InputFormat as InputFormat
from nutgraf.ingest.html import MIN_HTML_WORDS as MIN_HTML_WORDS
from nutgraf.ingest.html import from_html as from_html
from nutgraf.ingest.html import html_fragment_text as html_fragment_text
from nutgraf.ingest.jsonl import parse_record as parse_record
from nutgraf.ingest.sources import DEFAULT_MAX_BYTES as DEFAULT_MAX_BYTES
from nutgraf.ingest.sources import Input as Input
from nutgraf.ingest.sources import Reading as Reading
from nutgraf.ingest.sources import check_output_path as check_output_path
from nutgraf.ingest.sources import check_path as check_path
from nutgraf.ingest.sources import max_bytes_from_env as max_bytes_from_env
from nutgraf.ingest.sources import open_bytes as open_bytes
from nutgraf.ingest.sources import open_input as open_input
from nutgraf.ingest.sources import open_inputs as open_inputs
from nutgraf.ingest.sources import read_articles as read_articles
from nutgraf.ingest.text import decode as decode
from nutgraf.ingest.text import from_text as from_text
