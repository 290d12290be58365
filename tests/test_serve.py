from __future__ import annotations

import contextlib
import gzip
import html as html_lib
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient

from nutgraf.contracts import OPTION_SPEC, OPTION_SPECS
from nutgraf.errors import OptionError
from nutgraf.ingest import from_text
from nutgraf.model import ModelError, bundled_model_path
from nutgraf.registry import method_names
from nutgraf.render import rejection_to_dict
from nutgraf.serve import ServeConfig, create_app

SAMPLE = (Path(__file__).resolve().parent.parent / "examples" / "sample_article.txt").read_text(
    encoding="utf-8"
)
APP = create_app(ServeConfig(max_body_bytes=200_000, max_batch=4, timeout_seconds=10))


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(APP)


def test_summarize_answers_the_cli_json_shape_with_exact_spans(client: TestClient) -> None:
    r = client.post("/v1/summarize", json={"text": SAMPLE, "k": 2, "id": "s1"})
    assert r.status_code == 200
    data = r.json()
    assert data["id"] == "s1" and data["method"] == "gbdt" and len(data["highlights"]) == 2
    assert data["model"].startswith("gbdt@")
    for h in data["highlights"]:
        assert "".join(SAMPLE[s:e] for s, e in h["spans"]) == h["text"]
        assert set(h) == {"text", "spans", "sentences", "score", "rank"}


def test_explain_adds_feature_contributions_for_the_learned_method(client: TestClient) -> None:
    r = client.post("/v1/summarize", json={"text": SAMPLE, "explain": True})
    assert r.status_code == 200
    for h in r.json()["highlights"]:
        assert len(h["explanation"]) == 3 and {"feature", "value", "contribution"} == set(h["explanation"][0])
    r = client.post("/v1/summarize", json={"text": SAMPLE, "explain": True, "method": "lead"})
    assert r.status_code == 422
    assert "explain needs the learned method (gbdt)" in r.json()["error"]["message"]


def test_a_service_started_with_a_bad_model_fails_at_start(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="model file not found"):
        create_app(ServeConfig(model=str(tmp_path / "missing.json.gz")))


def test_summarize_html_carries_the_extracted_text(client: TestClient) -> None:
    html = (
        "<html><head><title>Seawall</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in SAMPLE.split("\n\n")[1:])
        + "</article></body></html>"
    )
    data = client.post("/v1/summarize", json={"html": html}).json()
    assert data["title"] == "Seawall"
    for h in data["highlights"]:
        assert "".join(data["text"][s:e] for s, e in h["spans"]) == h["text"]


REQUEST_ERRORS = {"malformed_json", "unsupported_media_type", "invalid_request", "too_large"}


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "malformed_json"),
        ({"content": b"hello", "headers": {"content-type": "text/plain"}}, 415, "unsupported_media_type"),
        ({"json": {"k": 3}}, 422, "invalid_request"),
        ({"json": {"text": SAMPLE, "html": "<p>x</p>"}}, 422, "invalid_request"),
        ({"json": {"text": SAMPLE, "k": 0}}, 422, "invalid_request"),
        ({"json": {"text": SAMPLE, "method": "gbtd"}}, 422, "invalid_request"),
        ({"json": {"text": SAMPLE, "method": "oracle"}}, 422, "no_references"),
        ({"json": {"text": SAMPLE, "model": "/etc/passwd"}}, 422, "invalid_request"),
        ({"json": {"text": SAMPLE, "k": 2, "order": "up"}}, 422, "invalid_request"),
        ({"json": {"text": "   "}}, 422, "empty"),
        ({"json": {"text": "no punctuation here at all"}}, 422, "no_sentences"),
        ({"json": {"html": "<html><body><nav>Home</nav></body></html>"}}, 422, "no_article"),
        ({"json": {"text": "x" * 300_000}}, 413, "too_large"),
    ],
)
def test_summarize_errors_have_the_right_status_and_body(
    client: TestClient, kwargs: dict[str, object], status: int, code: str
) -> None:
    r = client.post("/v1/summarize", **kwargs)  # type: ignore[arg-type]
    assert r.status_code == status
    body = r.json()
    # A request error is {"error"}; a document nutgraf cannot summarize is {"id", "error"}, as in the CLI.
    document_error = code not in REQUEST_ERRORS
    assert set(body) == ({"id", "error"} if document_error else {"error"})
    assert set(body["error"]) == {"reason", "code", "message"}
    assert body["error"]["reason"] == body["error"]["code"] == code and body["error"]["message"]


def test_unknown_method_message_lists_the_choices(client: TestClient) -> None:
    message = client.post("/v1/summarize", json={"text": SAMPLE, "method": "gbtd"}).json()["error"]["message"]
    assert f"Available: {', '.join(method_names())}" in message  # the library's own message, as in the CLI


def test_chunked_body_over_the_limit_is_refused() -> None:
    client = TestClient(APP)

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(30):
            yield b" " * 10_000

    r = client.post("/v1/summarize", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_batch_answers_or_fails_each_document_on_its_own(client: TestClient) -> None:
    docs = [{"text": SAMPLE, "id": "a", "k": 3}, {"text": ""}, {"nonsense": 1}, {"text": SAMPLE, "k": 1}]
    r = client.post("/v1/summarize/batch", json={"documents": docs})
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x.get("id") for x in results] == ["a", "document-2", "document-3", "document-4"]
    assert len(results[0]["highlights"]) == 3 and len(results[3]["highlights"]) == 1
    assert results[1]["error"]["code"] == "empty" and results[2]["error"]["code"] == "invalid_request"
    assert results[1] == rejection_to_dict(from_text("", "document-2"))
    assert [set(r["error"]) for r in results[1:3]] == [{"reason", "code", "message"}] * 2
    assert results[2]["error"]["reason"] == "invalid_request" and "nonsense" in results[2]["error"]["message"]


def test_batch_options_are_checked_per_document(client: TestClient) -> None:
    docs = [
        {"text": SAMPLE, "method": "lead", "explain": True},
        {"text": SAMPLE, "model": "elsewhere"},
        {"text": SAMPLE},
    ]
    results = client.post("/v1/summarize/batch", json={"documents": docs}).json()["results"]
    assert [r.get("error", {}).get("reason") for r in results] == ["invalid_request", "invalid_request", None]
    assert "explain" in results[0]["error"]["message"] and "elsewhere" in results[1]["error"]["message"]


def test_batch_over_the_documented_limit_is_refused(client: TestClient) -> None:
    r = client.post("/v1/summarize/batch", json={"documents": [{"text": SAMPLE}] * 5})
    assert r.status_code == 422 and r.json()["error"]["code"] == "too_many_documents"


def test_methods_health_and_metrics(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    methods = client.get("/v1/methods").json()
    assert methods["default"] == "gbdt" and "oracle" not in [m["name"] for m in methods["methods"]]
    client.post("/v1/summarize", json={"text": SAMPLE})
    client.post("/v1/summarize", json={"text": ""})
    text = client.get("/metrics").text
    assert 'nutgraf_http_requests_total{method="POST",path="/v1/summarize",status="200"}' in text
    assert 'nutgraf_http_errors_total{path="/v1/summarize",code="empty"}' in text
    assert 'nutgraf_http_request_duration_seconds_bucket{path="/v1/summarize",le="+Inf"}' in text
    assert 'nutgraf_documents_total{outcome="ok"}' in text


def test_docs_and_openapi_are_served_locally(client: TestClient) -> None:
    assert client.get("/openapi.json").json()["info"]["title"] == "nutgraf"
    docs = client.get("/docs").text
    assert "cdn" not in docs.lower() and "http://" not in docs and "https://" not in docs
    asset = docs.split('href="')[1].split('"')[0]
    assert client.get(asset).status_code == 200


def test_web_page_is_served(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]


# A request can be valid by the schema and still carry a document nutgraf cannot summarize: an empty text,
# one word, HTML without an article. The service answers those with 422 and the reason, by design; the
# schema cannot express "has a sentence". So the positive-data check also accepts 422. Every other check
# (no server errors, status codes and bodies as documented, content types, negative data rejected) is on.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "422"]}},
        "generation": {"max-examples": 60},
    }
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)


@schema.parametrize()
@pytest.mark.filterwarnings("ignore")
def test_api_conforms_to_its_openapi_schema(case: schemathesis.Case) -> None:
    case.call_and_validate()


def test_a_slow_document_gets_504_on_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import time as _time

    import nutgraf.serve.app as serve_app

    def slow(req: object, fallback_id: str = "document", served: object = None) -> dict[str, object]:
        _time.sleep(2)
        return {}

    monkeypatch.setattr(serve_app, "summarize_request", slow)
    client = TestClient(create_app(ServeConfig(timeout_seconds=0.2)))
    start = _time.perf_counter()
    r = client.post("/v1/summarize", json={"text": SAMPLE})
    assert r.status_code == 504 and r.json()["error"]["reason"] == r.json()["error"]["code"] == "timeout"
    assert _time.perf_counter() - start < 1.5


def test_lone_surrogates_are_refused_not_crashed_on(client: TestClient) -> None:
    body = (
        '{"text": "The council met on Monday \\ud800 to discuss the budget. It voted to close the library."}'
    )
    r = client.post("/v1/summarize", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    batch = '{"documents": [{"id": "\\ud800", "k": 0}, {"k": 3, "text": ' + json.dumps(SAMPLE) + "}]}"
    r = client.post("/v1/summarize/batch", content=batch, headers={"content-type": "application/json"})
    assert r.status_code == 200
    results = r.json()["results"]
    assert results[0]["id"] == "document-1" and results[0]["error"]["code"] == "invalid_request"
    assert len(results[1]["highlights"]) == 3


def test_k_must_be_an_integer_not_a_string_or_boolean(client: TestClient) -> None:
    for k in ("2", True, 2.5):
        assert client.post("/v1/summarize", json={"text": SAMPLE, "k": k}).status_code == 422


def test_metrics_method_label_is_bounded(client: TestClient) -> None:
    for token in ("FOO1", "FOO2"):
        client.request(token, "/healthz")
    text = client.get("/metrics").text
    assert 'method="FOO1"' not in text and 'method="other"' in text


def test_health_answers_head_requests(client: TestClient) -> None:
    assert client.head("/healthz").status_code == 200
    assert client.head("/").status_code == 200


def test_docs_page_does_not_call_the_swagger_validator(client: TestClient) -> None:
    assert '"validatorUrl": null' in client.get("/docs").text


def test_serve_config_refuses_a_non_positive_time_limit() -> None:
    from nutgraf.contracts import NutgrafError

    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(NutgrafError):
            ServeConfig(timeout_seconds=bad)


# ------------------------------------------------------------------------------- every option, one shape

SERVED_MODEL = APP.state.served.model_id
FIRST_SENTENCE = SAMPLE.split("\n\n")[1].partition(" -- ")[2]  # the lead sentence, after the dateline

VALID: dict[str, Any] = {
    "k": 2,
    "max_words": 80,
    "max_chars": 500,
    "method": "lead",
    "order": "score",
    "redundancy": 0.5,
    "repair": False,
    "references": [FIRST_SENTENCE],
    "model": SERVED_MODEL,
    "explain": True,
    "compress": True,
    "max_words_per_point": 25,
    "language": "en",
}
"""A value the service must accept for each option of ``Options``: a new option fails the test below until
it is added here, and then it must work in the service."""

INVALID: dict[str, Any] = {
    "k": 51,
    "max_words": 0,
    "max_chars": -5,
    "method": "gbtd",
    "order": "up",
    "redundancy": 1.5,
    "repair": "maybe",
    "references": [1, 2],
    "model": "/etc/passwd",
    "explain": "sometimes",
    "compress": 3,
    "max_words_per_point": 1001,
    "language": "xx",
}


def test_every_option_has_a_test_value() -> None:
    assert set(VALID) == set(OPTION_SPEC) == set(INVALID)


def _query(options: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for name, value in options.items():
        for v in value if isinstance(value, list) else [value]:
            out.append((name, str(v).lower() if isinstance(v, bool) else str(v)))
    return out


@pytest.mark.parametrize("name", [spec.name for spec in OPTION_SPECS])
def test_every_option_is_accepted_by_the_service(client: TestClient, name: str) -> None:
    r = client.post("/v1/summarize", json={"text": SAMPLE, name: VALID[name]})
    assert r.status_code == 200, r.text
    upload = client.post(
        "/v1/summarize/file",
        params=[("filename", "a.txt"), *_query({name: VALID[name]})],
        content=SAMPLE.encode(),
    )
    assert upload.status_code == 200, upload.text
    assert "highlights" in upload.json()["results"][0]


@pytest.mark.parametrize("name", [spec.name for spec in OPTION_SPECS])
def test_an_invalid_option_value_is_a_422_that_names_the_option(client: TestClient, name: str) -> None:
    spec = OPTION_SPEC[name]
    if spec.minimum is not None or spec.maximum is not None or spec.choices:
        with pytest.raises(OptionError):  # the value is outside the spec's own limits
            spec.check(INVALID[name])
    r = client.post("/v1/summarize", json={"text": SAMPLE, name: INVALID[name]})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["reason"] == "invalid_request" and name in error["message"]
    upload = client.post("/v1/summarize/file", params=_query({name: INVALID[name]}), content=SAMPLE.encode())
    if name != "references":  # as query parameters, 1 and 2 are strings: valid references
        assert upload.status_code == 422 and name in upload.json()["error"]["message"]


def test_lang_sets_the_language_and_every_answer_reports_it(client: TestClient) -> None:
    detected = client.post("/v1/summarize", json={"text": SAMPLE}).json()
    assert detected["language"] == "en"
    forced = client.post("/v1/summarize", json={"text": SAMPLE, "lang": "id"}).json()
    assert forced["language"] == "id"
    assert client.post("/v1/summarize", json={"text": SAMPLE, "language": "id"}).json()["language"] == "id"
    bad = client.post("/v1/summarize", json={"text": SAMPLE, "lang": "english"})
    assert bad.status_code == 422 and "language" in bad.json()["error"]["message"]


def test_options_reach_the_summarizer(client: TestClient) -> None:
    by_score = client.post("/v1/summarize", json={"text": SAMPLE, "k": 3, "order": "score"}).json()
    assert [h["rank"] for h in by_score["highlights"]] == [1, 2, 3]
    budget = client.post("/v1/summarize", json={"text": SAMPLE, "max_chars": 400, "method": "lead"}).json()
    assert sum(len(h["text"]) for h in budget["highlights"]) <= 400


def test_a_rejected_document_has_the_keys_of_the_cli_json_error_row(client: TestClient) -> None:
    cli = rejection_to_dict(from_text("", "document"))
    r = client.post("/v1/summarize", json={"text": ""})
    assert r.status_code == 422
    body = r.json()
    assert set(body) == set(cli) and set(body["error"]) == set(cli["error"])
    assert body == cli
    upload = client.post("/v1/summarize/file", params={"filename": "empty.txt"}, content=b"")
    assert upload.json()["results"] == [rejection_to_dict(from_text("", "empty"))]


def test_model_may_only_name_the_model_the_server_runs(client: TestClient) -> None:
    assert SERVED_MODEL.startswith("gbdt@")
    for name in (SERVED_MODEL, SERVED_MODEL.partition("@")[0]):
        r = client.post("/v1/summarize", json={"text": SAMPLE, "model": name})
        assert r.status_code == 200 and r.json()["model"] == SERVED_MODEL
    for other in (str(bundled_model_path()), "../../etc/passwd", "gbdt@000000000000"):
        r = client.post("/v1/summarize", json={"text": SAMPLE, "model": other})
        assert r.status_code == 422
        message = r.json()["error"]["message"]
        assert SERVED_MODEL in message and "not served here" in message
    assert client.get("/v1/methods").json()["model"] == SERVED_MODEL
    r = client.post("/v1/summarize", json={"text": SAMPLE, "model": SERVED_MODEL, "method": "lead"})
    assert r.status_code == 422 and "learned method" in r.json()["error"]["message"]


def test_a_server_started_with_a_model_file_accepts_its_path() -> None:
    path = str(bundled_model_path())
    client = TestClient(create_app(ServeConfig(model=path)))
    for name in (path, "gbdt"):
        assert client.post("/v1/summarize", json={"text": SAMPLE, "model": name}).status_code == 200
    assert client.post("/v1/summarize", json={"text": SAMPLE, "model": path + "x"}).status_code == 422


def test_oracle_with_references(client: TestClient) -> None:
    r = client.post(
        "/v1/summarize", json={"text": SAMPLE, "method": "oracle", "references": [FIRST_SENTENCE]}
    )
    assert r.status_code == 200
    data = r.json()
    assert data["method"] == "oracle" and FIRST_SENTENCE in [h["text"] for h in data["highlights"]]
    r = client.post("/v1/summarize", json={"text": SAMPLE, "method": "oracle"})
    assert r.status_code == 422 and r.json()["error"]["reason"] == "no_references"


# ----------------------------------------------------------------------------------------- file upload


def _upload(client: TestClient, data: bytes, **params: Any) -> Any:
    return client.post("/v1/summarize/file", params=params, content=data)


def test_upload_a_text_file(client: TestClient) -> None:
    r = _upload(client, SAMPLE.encode(), filename="seawall.txt", k=2)
    assert r.status_code == 200
    body = r.json()
    assert body["format"] == "text" and len(body["results"]) == 1
    result = body["results"][0]
    assert result["id"] == "seawall" and len(result["highlights"]) == 2
    for h in result["highlights"]:
        assert "".join(SAMPLE[s:e] for s, e in h["spans"]) == h["text"]
    # The same key points as the JSON endpoint.
    direct = client.post("/v1/summarize", json={"text": SAMPLE, "k": 2, "id": "seawall"}).json()
    assert result == direct


def _page() -> str:
    paragraphs = "".join(f"<p>{html_lib.escape(p)}</p>" for p in SAMPLE.split("\n\n")[1:])
    head = "<html><head><title>Seawall</title></head>"
    return f"{head}<body><nav>Home</nav><article>{paragraphs}</article></body></html>"


def test_upload_an_html_file_in_any_content_type(client: TestClient) -> None:
    r = client.post(
        "/v1/summarize/file",
        params={"filename": "story.html", "compress": "true"},
        content=_page().encode(),
        headers={"content-type": "text/html"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["format"] == "html"
    result = body["results"][0]
    assert result["id"] == "story" and result["title"] == "Seawall"
    for h in result["highlights"]:
        assert "".join(result["text"][s:e] for s, e in h["spans"]) == h["text"]


def test_upload_json_lines_answers_each_record(client: TestClient) -> None:
    lines = [json.dumps({"id": "good", "text": SAMPLE}), json.dumps({"id": "bad", "text": ""}), ""]
    r = _upload(client, "\n".join(lines).encode(), filename="articles.jsonl", k=3)
    assert r.status_code == 200
    body = r.json()
    assert body["format"] == "jsonl"
    good, bad = body["results"]
    assert good["id"] == "good" and len(good["highlights"]) == 3
    assert bad == rejection_to_dict(from_text("", "bad"))
    gz = _upload(client, gzip.compress("\n".join(lines).encode()), filename="articles.jsonl.gz", k=3)
    assert gz.status_code == 200 and gz.json() == body


def test_upload_a_feed_answers_each_item(client: TestClient) -> None:
    paragraphs = SAMPLE.split("\n\n")[1:]
    items = "".join(
        f"<item><title>Story {n}</title><guid>urn:story:{n}</guid>"
        f"<description>{html_lib.escape(' '.join(paragraphs[n::2]))}</description></item>"
        for n in range(2)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'
    r = _upload(client, feed.encode(), filename="wire.rss", k=2)
    assert r.status_code == 200
    body = r.json()
    assert body["format"] == "feed"
    assert [x["id"] for x in body["results"]] == ["urn:story:0", "urn:story:1"]
    assert all(len(x["highlights"]) == 2 for x in body["results"])
    sniffed = _upload(client, feed.encode(), k=2)  # no name: the content decides
    assert sniffed.json() == body


def test_upload_limits(client: TestClient) -> None:
    r = _upload(client, b"x" * 300_000, filename="big.txt")
    assert r.status_code == 413 and r.json()["error"]["reason"] == "too_large"
    bomb = gzip.compress(b"\n" * 1_000_000)  # 1 MB of blank lines, 1 kB gzipped
    r = _upload(client, bomb, filename="blank.jsonl.gz")
    assert r.status_code == 413 and "inflates" in r.json()["error"]["message"]
    five = "\n".join(json.dumps({"text": SAMPLE}) for _ in range(5)).encode()
    r = _upload(client, five, filename="five.jsonl")
    assert r.status_code == 422 and r.json()["error"]["reason"] == "too_many_documents"
    assert _upload(client, b"hello", unknown="1").status_code == 422
    r = _upload(client, SAMPLE.encode(), encoding="rot13")
    assert r.status_code == 422 and "rot13" in r.json()["error"]["message"]
    assert _upload(client, SAMPLE.encode(), input_format="pdf").status_code == 422


def test_upload_reads_the_encoding_it_is_told(client: TestClient) -> None:
    text = SAMPLE.replace("Harbor City", "Hárbor City")
    r = _upload(client, text.encode("cp1252"), filename="latin.txt")
    assert r.json()["results"][0]["error"]["reason"] == "bad_encoding"
    r = _upload(client, text.encode("cp1252"), filename="latin.txt", encoding="cp1252")
    assert "highlights" in r.json()["results"][0]


def test_openapi_documents_the_upload_and_the_error_shape(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    upload = spec["paths"]["/v1/summarize/file"]["post"]
    assert "application/octet-stream" in upload["requestBody"]["content"]
    params = {p["name"] for p in upload["parameters"]}
    options = {n if n != "language" else "lang" for n in OPTION_SPEC}  # "lang" in a request, as --lang
    assert params == {"filename", "input_format", "encoding", *options}
    request = spec["components"]["schemas"]["SummarizeRequest"]["properties"]
    assert options <= set(request)
    assert request["k"]["description"] == OPTION_SPEC["k"].help
    detail = spec["components"]["schemas"]["ErrorDetail"]
    assert (
        set(detail["properties"]) == {"reason", "code", "message"}
        and detail["properties"]["code"]["deprecated"]
    )


def test_metrics_count_uploads(client: TestClient) -> None:
    _upload(client, SAMPLE.encode(), filename="a.txt")
    text = client.get("/metrics").text
    assert 'nutgraf_http_requests_total{method="POST",path="/v1/summarize/file",status="200"}' in text


def test_a_gzipped_upload_is_read_once_as_a_gz_file_on_disk(client: TestClient) -> None:
    # A gzip inside a gzip is binary content, as for `nutgraf summarize twice.txt.gz`: one rejection, and no
    # second inflation that could run past the body limit.
    twice = gzip.compress(gzip.compress(b"\n" * 1_000_000))
    r = _upload(client, twice, filename="twice.jsonl.gz")
    assert r.status_code == 200
    [result] = r.json()["results"]
    assert result["error"]["reason"] == "not_text"


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for response in (
        client.get("/"),
        client.get("/healthz"),
        client.post("/v1/summarize", json={"text": ""}),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"


def _post_scope() -> dict[str, Any]:
    """The ASGI scope of a JSON POST to /v1/summarize, for driving the app by hand."""
    return {
        "type": "http", "method": "POST", "path": "/v1/summarize", "raw_path": b"/v1/summarize",
        "query_string": b"", "headers": [(b"content-type", b"application/json")], "http_version": "1.1",
        "scheme": "http", "server": ("test", 80), "client": ("test", 1), "root_path": "",
    }  # fmt: skip


def test_a_client_that_leaves_mid_body_is_counted_as_499_not_as_a_server_error() -> None:
    import asyncio

    from nutgraf.serve.app import create_app

    app = create_app()
    sent: list[dict[str, Any]] = []
    messages = [
        {"type": "http.request", "body": b'{"text": "The council', "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = _post_scope()
    asyncio.run(app(scope, receive, send))
    assert sent == []  # nobody is listening: nothing is sent
    text = app.state.metrics.render()
    assert 'status="499"' in text
    assert not any(
        'status="5' in line for line in text.splitlines() if line.startswith("nutgraf_http_requests")
    )


@pytest.mark.parametrize(
    "body",
    [
        '{"text": "The council met on Monday.", "k": ' + "9" * 5000 + "}",
        '{"text": "The council met on Monday.", "x": ' + "[" * 5000 + "]" * 5000 + "}",
    ],
)
def test_json_beyond_the_parsers_limits_is_a_422_in_the_error_shape(client: TestClient, body: str) -> None:
    r = client.post("/v1/summarize", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"]["reason"] == "invalid_request" and "4,300 digits" in r.json()["error"]["message"]
    bad = client.post("/v1/summarize", content='{"text": ', headers={"content-type": "application/json"})
    assert bad.status_code == 400 and bad.json()["error"]["reason"] == "malformed_json"


def test_a_client_that_stalls_mid_body_gets_a_408_and_frees_its_slot() -> None:
    import asyncio

    from nutgraf.serve.app import create_app
    from nutgraf.serve.config import ServeConfig

    app = create_app(ServeConfig(body_timeout_seconds=0.2))
    sent: list[dict[str, Any]] = []
    first = True

    async def receive() -> dict[str, Any]:
        nonlocal first
        if first:
            first = False
            return {"type": "http.request", "body": b'{"text": "The council', "more_body": True}
        await asyncio.sleep(3600)  # the rest of the body never comes
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = _post_scope()
    asyncio.run(asyncio.wait_for(app(scope, receive, send), 5))
    assert sent[0]["status"] == 408
    assert json.loads(sent[1]["body"])["error"]["reason"] == "body_timeout"
    with pytest.raises(Exception, match="time limit"):
        ServeConfig(body_timeout_seconds=0)


def test_the_server_caps_connections_and_idle_keep_alive(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from nutgraf.serve.app import main

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.update(kw))
    monkeypatch.setenv("NUTGRAF_SERVE_MAX_CONNECTIONS", "40")
    main("127.0.0.1", 0, 1)
    assert seen["limit_concurrency"] == 40 and seen["timeout_keep_alive"] == 5


def test_a_504_stops_the_abandoned_work(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    import nutgraf.summarizer as summarizer_module
    from nutgraf.serve.app import create_app
    from nutgraf.serve.config import ServeConfig

    done: list[int] = []
    lock = threading.Lock()
    real = summarizer_module.sentence_features

    def slow(doc: Any) -> Any:  # each document takes 0.1 s
        time.sleep(0.1)
        with lock:
            done.append(1)
        return real(doc)

    monkeypatch.setattr(summarizer_module, "sentence_features", slow)
    client = TestClient(create_app(ServeConfig(timeout_seconds=0.25, max_batch=32)))
    docs = [{"text": SAMPLE, "id": str(i)} for i in range(30)]  # 3 s of work if nobody stopped it
    r = client.post("/v1/summarize/batch", json={"documents": docs})
    assert r.status_code == 504 and r.json()["error"]["reason"] == "timeout"
    time.sleep(1.0)
    assert len(done) <= 5, f"{len(done)} documents were worked on after the 504"


def test_a_cancelled_summarizer_raises_instead_of_working() -> None:
    import threading

    from nutgraf import Article, Summarizer
    from nutgraf.errors import Cancelled
    from nutgraf.summarizer import cancellable

    event = threading.Event()
    summarizer = Summarizer()
    with cancellable(event):
        assert summarizer(Article("a", SAMPLE)).highlights  # type: ignore[union-attr]
        event.set()
        with pytest.raises(Cancelled):
            summarizer(Article("b", SAMPLE))
    assert summarizer(Article("c", SAMPLE)).highlights  # type: ignore[union-attr]  # outside: as before


@contextlib.contextmanager
def _uvicorn_with_our_protocol() -> Iterator[int]:
    """A real uvicorn server with nutgraf's HTTP protocol, on a free loopback port, for the raw-socket tests."""
    import threading
    import time

    import uvicorn

    from nutgraf.serve.app import create_app
    from nutgraf.serve.protocol import JsonErrorsH11Protocol

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(), host="127.0.0.1", port=port, http=JsonErrorsH11Protocol, log_level="error"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.time() + 20
        while not server.started and time.time() < deadline:
            time.sleep(0.05)
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _read_all(conn: socket.socket) -> bytes:
    raw = b""
    while chunk := conn.recv(65536):
        raw += chunk
    return raw


def test_a_request_too_malformed_for_the_app_gets_the_json_error_shape() -> None:
    with (
        _uvicorn_with_our_protocol() as port,
        socket.create_connection(("127.0.0.1", port), timeout=10) as conn,
    ):
        conn.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        raw = _read_all(conn)
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert (
        b"content-type: application/json" in head.lower()
        and b"x-content-type-options: nosniff" in head.lower()
    )
    assert json.loads(body)["error"]["reason"] == "malformed_http"


def test_headers_that_trickle_in_are_cut_off_with_a_json_408(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slowloris: uvicorn has no limit on the time a request line and headers may take; nutgraf's protocol
    answers 408 ``header_timeout`` and closes, whether the client sends nothing, sends part of its headers,
    or starts a second request on a kept-alive connection and stalls."""
    import time

    monkeypatch.setenv("NUTGRAF_SERVE_HEADER_TIMEOUT", "0.5")
    with _uvicorn_with_our_protocol() as port:
        for opening in (b"", b"GET /healthz HTTP/1.1\r\nHost: x\r\n"):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                start = time.monotonic()
                conn.sendall(opening)
                time.sleep(0.3)
                if opening:
                    conn.sendall(b"X-Slow: 1\r\n")  # still trickling: the limit counts from the start
                raw = _read_all(conn)
                waited = time.monotonic() - start
            head, _, body = raw.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 408"), raw[:200]
            assert b"connection: close" in head.lower() and b"x-content-type-options: nosniff" in head.lower()
            assert json.loads(body)["error"]["reason"] == "header_timeout"
            assert 0.45 < waited < 5
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")  # a prompt request is answered
            first = b""
            while b"\r\n\r\n" not in first or not first.rstrip().endswith(b"}"):
                first += conn.recv(65536)
            assert first.startswith(b"HTTP/1.1 200")
            conn.sendall(b"GET /healthz HTTP/1.1\r\n")  # then a second one stalls mid-headers
            raw = _read_all(conn)
        assert raw.startswith(b"HTTP/1.1 408") and b"header_timeout" in raw
