"""End-to-end test of the web page: the real service in-process, Debian's Chromium driven by Playwright.

The browser is never downloaded: the test drives /usr/bin/chromium (``apt-get install chromium``) and fails,
rather than skips, when it is missing. Set NUTGRAF_UPDATE_SCREENSHOT=1 to refresh docs/web-screenshot.png.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from nutgraf.serve import create_app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "examples" / "sample_article.txt").read_text(encoding="utf-8")
# Astral characters (two UTF-16 code units, one Python code point) before and inside the key points: a page
# that sliced the text with the API's code-point offsets directly would highlight the wrong characters.
EMOJI_SAMPLE = "🌊 " + SAMPLE.replace("voted 7-2", "voted 7-2 🗳️", 1)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="nutgraf-web-test", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            pytest.fail("the nutgraf server did not answer /healthz within 15 s")
        time.sleep(0.05)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser test drives Debian's Chromium and never downloads a browser; "
            "install it with `apt-get install chromium`"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    # bypass_csp: the tests' own probes (wait_for_function) are evaluated strings, which the page's
    # Content-Security-Policy rightly forbids; test_the_page_works_under_its_content_security_policy runs
    # the page with the policy enforced.
    context = browser.new_context(
        base_url=base_url,
        viewport=VIEWPORT,
        permissions=["clipboard-read", "clipboard-write"],
        bypass_csp=True,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Everything the page loads must come from the service itself (no CDN, fonts or remote images).
    foreign: list[str] = []
    page.on("request", lambda req: None if req.url.startswith(base_url) else foreign.append(req.url))
    page.goto("/")
    page.wait_for_function("document.querySelectorAll('#method option').length > 1")
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
    assert not foreign, f"the page requested resources from elsewhere: {foreign}"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _post(base_url: str, payload: dict[str, Any]) -> dict[str, Any]:
    req = urllib.request.Request(
        f"{base_url}/v1/summarize",
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        body: dict[str, Any] = json.loads(resp.read())
        return body


def _summarize(page: Page, text: str, k: int = 3) -> dict[str, Any]:
    """Paste ``text``, choose ``k``, click Summarize; the API response the page received."""
    page.fill("#article-input", text)
    page.select_option("#k", str(k))
    with page.expect_response(lambda r: r.url.endswith("/v1/summarize")) as info:
        page.click("#summarize")
    response = info.value
    assert response.status == 200, response.text()
    page.wait_for_function(f"document.querySelectorAll('#key-points li').length === {k}")
    data: dict[str, Any] = response.json()
    return data


def _marks_text(page: Page, rank: int) -> str:
    return str(
        page.eval_on_selector_all(
            f'#article mark.kp[data-rank="{rank}"]', "ms => ms.map(m => m.textContent).join('')"
        )
    )


@pytest.mark.parametrize("text", [SAMPLE, EMOJI_SAMPLE], ids=["sample", "emoji"])
def test_key_points_are_highlighted_at_their_spans(page: Page, base_url: str, text: str) -> None:
    data = _summarize(page, text)
    highlights = data["highlights"]
    assert len(highlights) == 3
    # The page sent what a direct API call with the same payload gets back.
    direct = _post(base_url, {"text": text, "k": 3, "method": page.input_value("#method")})
    assert [h["spans"] for h in direct["highlights"]] == [h["spans"] for h in highlights]
    # The spans are code-point offsets into the submitted text (the server's contract).
    for h in highlights:
        assert "".join(text[a:b] for a, b in h["spans"]) == h["text"]
    if text is EMOJI_SAMPLE:
        assert all(a > 0 for h in highlights for a, _ in h["spans"]), "the emoji must precede every span"
        assert any("🗳" in h["text"] for h in highlights), "an emoji must sit inside a key point"

    # The article pane shows the text exactly, and every key point's marks give exactly its text.
    assert page.eval_on_selector("#article", "el => el.textContent") == text
    items = page.locator("#key-points li")
    for i, h in enumerate(highlights):
        rank = h["rank"]
        assert items.nth(i).get_attribute("data-rank") == str(rank)
        assert _norm(items.nth(i).inner_text()).startswith(f"{i + 1} {_norm(h['text'])}")
        assert _norm(_marks_text(page, rank)) == _norm(h["text"])
        assert _marks_text(page, rank) == h["text"]
    assert page.locator("#article mark.kp").count() >= 3
    assert page.locator("#error").is_hidden()
    # The default method is the learned one: the page asks for, and shows, why each key point scored.
    assert page.input_value("#method") == "default"
    for i, h in enumerate(highlights):
        top = h["explanation"][0]
        assert f"why: {top['feature']} " in items.nth(i).locator(".kp-meta").inner_text()
    assert "model gbdt@" in page.locator("#meta").inner_text()
    assert "language en" in page.locator("#meta").inner_text()


def test_shorten_asks_for_compression_and_marks_every_span(page: Page) -> None:
    text = (
        "Bishop John Folda, who leads the diocese of Fargo, said on Monday that the church would help the "
        "families of the victims. Three people were killed in the blast at the plant, police said. The town "
        "has about 4,000 residents and two schools, and its council met late into the night.\n"
    )
    page.check("#compress")
    page.fill("#article-input", text)
    page.select_option("#k", "3")
    with page.expect_request(lambda r: r.url.endswith("/v1/summarize")) as request:
        page.click("#summarize")
    assert request.value.post_data_json["compress"] is True
    page.wait_for_function("document.querySelectorAll('#key-points li').length === 3")
    data = request.value.response().json()  # type: ignore[union-attr]
    first = data["highlights"][0]
    assert len(first["spans"]) > 1 and first["text"].startswith("Bishop John Folda said")
    for h in data["highlights"]:
        assert "".join(text[a:b] for a, b in h["spans"]) == h["text"]
        assert _marks_text(page, h["rank"]) == h["text"]  # each kept run is marked, and only those


def test_clicking_a_key_point_scrolls_its_span_into_view(page: Page) -> None:
    data = _summarize(page, SAMPLE)
    third = data["highlights"][2]
    pane = page.locator("#article")
    mark = page.locator(f'#article mark.kp[data-rank="{third["rank"]}"]').first

    def visible() -> bool:
        return bool(
            page.evaluate(
                """([pane, mark]) => {
                    const p = pane.getBoundingClientRect(), m = mark.getBoundingClientRect();
                    return m.top >= p.top && m.bottom <= p.bottom && m.height > 0;
                }""",
                [pane.element_handle(), mark.element_handle()],
            )
        )

    # Start from the bottom of the article, where the third key point is out of sight.
    pane.evaluate("el => { el.scrollTop = el.scrollHeight; }")
    before = pane.evaluate("el => el.scrollTop")
    assert before > 0, "the article pane must overflow for this test to mean anything"
    assert not visible()

    page.locator("#key-points li").nth(2).click()
    page.wait_for_function(
        "([el, top]) => el.scrollTop !== top", arg=[pane.element_handle(), before], timeout=3000
    )
    assert visible()
    assert pane.evaluate("el => el.scrollTop") != before
    assert "flash" in (mark.get_attribute("class") or "")


def test_copy_buttons(page: Page) -> None:
    data = _summarize(page, SAMPLE)
    bullets = [_norm(h["text"]) for h in data["highlights"]]

    page.click("#copy-text")
    page.wait_for_function("document.querySelector('#copy-text').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == "\n".join(f"- {b}" for b in bullets)

    page.click("#copy-md")
    page.wait_for_function("document.querySelector('#copy-md').textContent === 'Copied'")
    md = page.evaluate("navigator.clipboard.readText()")
    assert md.splitlines()[0].startswith("- The Harbor City Council voted 7-2")
    assert len(md.splitlines()) == 3

    page.click("#copy-json")
    page.wait_for_function("document.querySelector('#copy-json').textContent === 'Copied'")
    assert json.loads(page.evaluate("navigator.clipboard.readText()")) == data


def test_overlapping_adjacent_and_split_spans(page: Page) -> None:
    # The service never sends overlapping spans, but the page must not depend on it: a crafted answer with an
    # overlap across an emoji, an adjacent span, a key point of two spans and one span out of range.
    text = "ab😀cd efgh ij"
    highlights = [
        {"text": "ab😀c", "spans": [[0, 4]], "sentences": [0], "score": 1.0, "rank": 1},
        {"text": "😀cd e", "spans": [[2, 7]], "sentences": [0], "score": 0.9, "rank": 2},
        {"text": "fgij", "spans": [[7, 9], [11, 13], [40, 50]], "sentences": [0], "score": 0.8, "rank": 3},
    ]
    answer = {"id": "document", "method": "lead", "scorer": "x", "version": "0", "highlights": highlights}
    answer["warnings"] = [{"code": "fewer_key_points", "message": "only a few"}]
    page.route("**/v1/summarize", lambda route: route.fulfill(json=answer))
    page.fill("#article-input", text)
    page.click("#summarize")
    page.wait_for_function("document.querySelectorAll('#key-points li').length === 3")
    assert page.eval_on_selector("#article", "el => el.textContent") == text
    assert [_marks_text(page, h["rank"]) for h in highlights] == ["ab😀c", "😀cd e", "fgij"]
    assert "only a few" in page.inner_text("#warnings")


def test_html_file_input(page: Page, tmp_path: Path) -> None:
    headline, *paragraphs = [p for p in SAMPLE.split("\n\n") if p.strip()]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    story = tmp_path / "story.html"
    story.write_text(
        f"<!doctype html><html><head><title>{html.escape(headline)}</title></head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{html.escape(headline)}</h1>{body}</article>"
        "</body></html>",
        encoding="utf-8",
    )
    # Loading a file summarizes it at once; an .html file goes to the API as "html".
    with page.expect_response(lambda r: r.url.endswith("/v1/summarize")) as info:
        page.set_input_files("#file-input", str(story))
    response = info.value
    assert response.status == 200, response.text()
    # "auto" is the default: no k is sent, and the learned method chooses how many (2-4)
    assert "html" in response.request.post_data_json and "k" not in response.request.post_data_json
    data: dict[str, Any] = response.json()
    assert 2 <= len(data["highlights"]) <= 4
    page.wait_for_function(
        f"document.querySelectorAll('#key-points li').length === {len(data['highlights'])}"
    )
    # The spans point into the extracted text, which the page shows instead of the HTML.
    assert page.eval_on_selector("#article", "el => el.textContent") == data["text"]
    for h in data["highlights"]:
        assert _marks_text(page, h["rank"]) == h["text"]
    assert page.locator("#file-name").inner_text() == "story.html"


def test_errors_are_shown_not_crashed(page: Page) -> None:
    # Empty input: the page says so without a request.
    page.fill("#article-input", "   \n ")
    page.click("#summarize")
    error = page.locator("#error")
    error.wait_for(state="visible")
    assert error.inner_text().strip()
    assert page.locator("#results").is_hidden()

    # An input the service rejects (422): its message is shown; the page keeps working afterwards.
    with page.expect_response(lambda r: r.url.endswith("/v1/summarize")) as info:
        page.fill("#article-input", "apples oranges pears")
        page.keyboard.press("Control+Enter")
    response = info.value
    assert response.status >= 400
    error = response.json()["error"]
    assert error["reason"] == error["code"] == "no_sentences"
    message = error["message"]
    page.wait_for_function(
        "msg => document.querySelector('#error').textContent.includes(msg)", arg=message, timeout=3000
    )
    _summarize(page, SAMPLE)
    assert page.locator("#error").is_hidden()


def test_screenshot(page: Page, tmp_path: Path) -> None:
    _summarize(page, SAMPLE)
    page.eval_on_selector("#article-input", "el => { el.scrollTop = 0; el.setSelectionRange(0, 0); }")
    page.locator("#key-points li").nth(1).hover()
    shot = tmp_path / "web-screenshot.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("NUTGRAF_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, ROOT / "docs" / "web-screenshot.png")


def test_the_page_works_under_its_content_security_policy(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT)  # the policy enforced
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.goto("/")
    assert response is not None
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    page.fill("#article-input", SAMPLE)
    with page.expect_response(lambda r: r.url.endswith("/v1/summarize")) as info:
        page.click("#summarize")
    assert info.value.status == 200
    page.locator("#key-points li").first.wait_for()
    assert page.locator("#key-points li").count() == len(info.value.json()["highlights"])
    context.close()
    assert not violations and not errors, (violations, errors)
