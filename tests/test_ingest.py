from __future__ import annotations

import codecs
import gzip
import json
from pathlib import Path

import pytest

from nutgraf.contracts import Article, Rejection
from nutgraf.ingest import UsageError, decode, open_input, parse_record, read_articles

PROSE = "The council approved the seawall plan on Tuesday. Work begins in March.\n"


def one(path: Path, **kw: object) -> Article | Rejection:
    records = list(read_articles(str(path), **kw))  # type: ignore[arg-type]
    assert len(records) == 1
    return records[0]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_ingest_reads_utf8_with_and_without_bom(tmp_path: Path) -> None:
    plain = one(write(tmp_path, "a.txt", PROSE.encode()))
    bom = one(write(tmp_path, "b.txt", codecs.BOM_UTF8 + PROSE.encode()))
    assert isinstance(plain, Article) and isinstance(bom, Article)
    assert plain.text == bom.text == PROSE


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_ingest_reads_utf16_and_utf32_with_bom(tmp_path: Path, codec: str) -> None:
    data = PROSE.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    article = one(write(tmp_path, "a.txt", data))
    assert isinstance(article, Article)
    assert article.text == PROSE


def test_ingest_rejects_invalid_utf8_and_says_which_byte(tmp_path: Path) -> None:
    result = one(write(tmp_path, "a.txt", "Café society.".encode("cp1252")))
    assert isinstance(result, Rejection)
    assert result.reason == "bad_encoding"
    assert "0xE9" in result.message and "--encoding" in result.message


def test_ingest_decodes_the_encoding_the_user_names(tmp_path: Path) -> None:
    result = one(write(tmp_path, "a.txt", "Café society is back.".encode("cp1252")), encoding="cp1252")
    assert isinstance(result, Article)
    assert result.text == "Café society is back."


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n ", "empty"),
        (b"abc\x00def", "not_text"),
        (b"%PDF-1.7 binary", "not_text"),
        (b"\x89PNG\r\n\x1a\n....", "not_text"),
        (bytes(range(1, 32)) * 20, "not_text"),
    ],
)
def test_ingest_rejects_what_is_not_text(tmp_path: Path, data: bytes, reason: str) -> None:
    result = one(write(tmp_path, "a.txt", data))
    assert isinstance(result, Rejection)
    assert result.reason == reason


def test_ingest_rejects_a_file_over_the_size_limit_without_reading_it_all(tmp_path: Path) -> None:
    p = write(tmp_path, "big.txt", b"word " * 4_000_000)  # 20 MB
    result = one(p, max_bytes=1_000_000)
    assert isinstance(result, Rejection)
    assert result.reason == "too_large"
    assert "--max-bytes" in result.message


def test_ingest_refuses_urls_and_missing_files() -> None:
    with pytest.raises(UsageError, match="no network"):
        list(read_articles("https://example.com/news/story.html"))
    with pytest.raises(UsageError, match="no such file"):
        list(read_articles("/nonexistent/story.txt"))


def test_ingest_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="directory"):
        list(read_articles(str(tmp_path)))


def test_ingest_extracts_article_and_title_from_html(tmp_path: Path) -> None:
    body = "".join(f"<p>{PROSE.strip()} Paragraph {i} adds more detail about the plan.</p>" for i in range(4))
    page = (
        "<html><head><title>Seawall vote</title></head><body><nav>Home | News</nav>"
        f"<article><h1>Seawall vote</h1>{body}</article><footer>Copyright</footer></body></html>"
    )
    article = one(write(tmp_path, "page.html", page.encode()))
    assert isinstance(article, Article)
    assert article.title == "Seawall vote"
    assert "Paragraph 3 adds more detail" in article.text
    assert "Copyright" not in article.text
    assert article.metadata["input_format"] == "html"


def test_ingest_sniffs_html_without_an_html_extension(tmp_path: Path) -> None:
    page = "<!DOCTYPE html><html><body><article>" + f"<p>{PROSE * 3}</p>" * 3 + "</article></body></html>"
    article = one(write(tmp_path, "page", page.encode()))
    assert isinstance(article, Article)
    assert "<p>" not in article.text


def test_ingest_rejects_html_with_no_article(tmp_path: Path) -> None:
    page = b"<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    result = one(write(tmp_path, "page.html", page))
    assert isinstance(result, Rejection)
    assert result.reason == "no_article"


def test_ingest_reads_jsonl_records_and_reports_bad_lines_in_place(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": PROSE, "title": "T"}),
        "{not json",
        json.dumps({"id": "c", "body": "no text field"}),
        "",
        json.dumps({"id": 7, "article": PROSE, "highlights": ["One.", "Two."], "publisher": "cnn"}),
        json.dumps(["a", "list"]),
    ]
    p = write(tmp_path, "in.jsonl", "\n".join(lines).encode())
    records = list(read_articles(str(p)))
    assert [type(r).__name__ for r in records] == [
        "Article",
        "Rejection",
        "Rejection",
        "Article",
        "Rejection",
    ]
    first, bad_json, no_text, fourth, not_object = records
    assert isinstance(first, Article) and first.title == "T"
    assert (
        isinstance(bad_json, Rejection) and bad_json.reason == "bad_record" and bad_json.article_id == "in:2"
    )
    assert isinstance(no_text, Rejection) and no_text.article_id == "c"
    assert isinstance(fourth, Article) and fourth.id == "7"
    assert fourth.references == ("One.", "Two.") and fourth.metadata["publisher"] == "cnn"
    assert "highlights" not in fourth.metadata
    assert isinstance(not_object, Rejection) and not_object.reason == "bad_record"


def test_ingest_reads_gzipped_jsonl(tmp_path: Path) -> None:
    data = gzip.compress((json.dumps({"id": "x", "text": PROSE}) + "\n").encode() * 3)
    p = write(tmp_path, "in.jsonl.gz", data)
    records = list(read_articles(str(p)))
    assert len(records) == 3
    assert all(isinstance(r, Article) and r.text == PROSE for r in records)


def test_ingest_rejects_an_overlong_jsonl_line_and_keeps_going(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "big", "text": "x" * 5000}), json.dumps({"id": "ok", "text": PROSE})]
    p = write(tmp_path, "in.jsonl", "\n".join(lines).encode())
    records = list(read_articles(str(p), max_bytes=1000))
    assert isinstance(records[0], Rejection) and records[0].reason == "too_large"
    assert isinstance(records[1], Article) and records[1].id == "ok"


def test_ingest_keeps_windows_line_endings_so_offsets_match_the_input(tmp_path: Path) -> None:
    text = PROSE.replace("\n", "\r\n") * 2
    article = one(write(tmp_path, "a.txt", text.encode()))
    assert isinstance(article, Article)
    assert article.text == text


def test_decode_explains_nul_bytes_as_possible_utf16_without_bom() -> None:
    result = decode("Hello world.".encode("utf-16-le"), "x")
    assert isinstance(result, Rejection)
    assert "utf-16-le" in result.message


def test_parse_record_accepts_html_field() -> None:
    html = "<html><body><article>" + f"<p>{PROSE * 3}</p>" * 3 + "</article></body></html>"
    result = parse_record(json.dumps({"id": "h", "html": html, "title": "Given"}), "f:1")
    assert isinstance(result, Article)
    assert result.title == "Given"
    assert "council approved" in result.text


def test_ingest_sniffs_jsonl_on_stdin_like_input_without_a_name(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": str(i), "text": PROSE}) + "\n" for i in range(3))
    source = open_input(str(write(tmp_path, "records", lines.encode())))
    assert source.format == "jsonl"
    assert [r.id for r in source.records if isinstance(r, Article)] == ["0", "1", "2"]


def test_ingest_streams_jsonl_larger_than_the_per_document_limit(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": str(i), "text": PROSE}) + "\n" for i in range(200))
    records = list(read_articles(str(write(tmp_path, "records", lines.encode())), max_bytes=1000))
    assert len(records) == 200 and all(isinstance(r, Article) for r in records)


def test_ingest_reads_a_pretty_printed_json_object_as_one_record(tmp_path: Path) -> None:
    data = json.dumps({"id": "p", "title": "T", "text": PROSE}, indent=2).encode()
    source = open_input(str(write(tmp_path, "story.json", data)))
    assert source.format == "json"
    (record,) = list(source.records)
    assert isinstance(record, Article) and record.id == "p" and record.text == PROSE


@pytest.mark.parametrize(
    "preamble", ["", "<!-- saved from url=(0014)about:internet -->\n", '<?xml version="1.0"?>\n']
)
def test_ingest_sniffs_html_after_comments_and_xml_declarations(tmp_path: Path, preamble: str) -> None:
    page = preamble + "<html><body><article>" + f"<p>{PROSE * 3}</p>" * 3 + "</article></body></html>"
    assert open_input(str(write(tmp_path, "page", page.encode()))).format == "html"
    utf16 = open_input(str(write(tmp_path, "page16", page.encode("utf-16"))))
    assert utf16.format == "html"
    (article,) = list(utf16.records)
    assert isinstance(article, Article) and "<p>" not in article.text


def test_ingest_refuses_utf16_json_lines_with_a_clear_message(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": str(i), "text": PROSE}) + "\n" for i in range(3))
    (result,) = list(read_articles(str(write(tmp_path, "in.jsonl", lines.encode("utf-16")))))
    assert isinstance(result, Rejection) and result.reason == "bad_encoding"
    assert "must be UTF-8" in result.message


def test_ingest_drops_a_bom_whether_or_not_the_encoding_is_named(tmp_path: Path) -> None:
    p = write(tmp_path, "a.txt", codecs.BOM_UTF8 + PROSE.encode())
    named = one(p, encoding="utf-8")
    assert isinstance(named, Article) and named.text == PROSE


def test_a_feed_entrys_plain_description_has_its_entities_resolved() -> None:
    from nutgraf.ingest.feed import feed_records

    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><guid>1</guid>'
        b"<description>AT&amp;amp;T agreed on Monday to buy the rival network for $20 billion, the company "
        b"said. Shares of AT&amp;amp;T rose 3% on Tuesday &amp;amp; analysts cheered.</description>"
        b"</item></channel></rss>"
    )
    (article,) = list(feed_records(feed, "feed.rss"))
    assert isinstance(article, Article)
    assert article.text.startswith("AT&T agreed") and "&amp;" not in article.text
    assert "Tuesday & analysts" in article.text


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (
            '{"id": "big", "text": "x", "n": ' + "9" * 5000 + "}",
            "cannot read (Exceeds the limit (4300 digits)",
        ),
        ('{"id": "x", "text": "unterminated', "not valid JSON"),
    ],
)
def test_a_json_line_no_parser_can_take_is_one_bad_record(line: str, message: str) -> None:
    result = parse_record(line, "f:2")
    assert isinstance(result, Rejection) and result.reason == "bad_record" and message in result.message
    assert "set_int_max_str_digits" not in result.message


def test_unreadable_json_lines_cost_their_record_in_every_command(tmp_path: Path) -> None:
    import subprocess
    import sys

    good = {"article": "The council approved the new budget on Monday after a long debate, officials said.",
            "highlights": ["The council approved the budget."]}  # fmt: skip
    lines = [
        json.dumps({"id": "g0", **good}),
        "[" * 100_000 + "]" * 100_000,
        '{"id": "big", "n": ' + "9" * 5000 + "}",
        json.dumps({"id": "g1", **good}),
    ]
    data = tmp_path / "rows.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    for argv in (["summarize", str(data), "--format", "json"], ["batch", str(data), "--out", str(out)]):
        proc = subprocess.run(
            [sys.executable, "-m", "nutgraf", *argv], capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        text = proc.stdout if argv[0] == "summarize" else out.read_text(encoding="utf-8")
        ids = [json.loads(line)["id"] for line in text.splitlines()]
        assert ids == ["g0", "rows:2", "rows:3", "g1"]


def test_a_feed_over_its_limit_is_refused_before_it_is_parsed() -> None:
    from nutgraf.ingest import Reading
    from nutgraf.ingest.sources import FEED_SIZE_FACTOR, open_bytes

    item = b"<item><guid>x</guid><description>The council met on Monday to approve the budget.</description></item>"
    limit = 50_000
    feed = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    feed += item * (FEED_SIZE_FACTOR * limit // len(item) + 2) + b"</channel></rss>"
    (rejection,) = list(open_bytes(feed, "feed.rss", Reading(max_bytes=limit)).records)
    assert isinstance(rejection, Rejection) and rejection.reason == "too_large"
