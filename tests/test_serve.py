from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient

from nutgraf.model import ModelError
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


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "malformed_json"),
        ({"content": b"hello", "headers": {"content-type": "text/plain"}}, 415, "unsupported_media_type"),
        ({"json": {"k": 3}}, 422, "invalid_request"),
        ({"json": {"text": SAMPLE, "html": "<p>x</p>"}}, 422, "invalid_request"),
        ({"json": {"text": SAMPLE, "k": 0}}, 422, "invalid_request"),
        ({"json": {"text": SAMPLE, "method": "gbtd"}}, 422, "invalid_request"),
        ({"json": {"text": SAMPLE, "method": "oracle"}}, 422, "invalid_request"),
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
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]


def test_unknown_method_message_lists_the_choices(client: TestClient) -> None:
    message = client.post("/v1/summarize", json={"text": SAMPLE, "method": "gbtd"}).json()["error"]["message"]
    assert "Available: default, gbdt, lead, textrank" in message


def test_chunked_body_over_the_limit_is_refused() -> None:
    client = TestClient(APP)

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(30):
            yield b" " * 10_000

    r = client.post("/v1/summarize", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_batch_answers_or_fails_each_document_on_its_own(client: TestClient) -> None:
    docs = [{"text": SAMPLE, "id": "a"}, {"text": ""}, {"nonsense": 1}, {"text": SAMPLE, "k": 1}]
    r = client.post("/v1/summarize/batch", json={"documents": docs})
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x.get("id") for x in results] == ["a", "document-2", "document-3", "document-4"]
    assert len(results[0]["highlights"]) == 3 and len(results[3]["highlights"]) == 1
    assert results[1]["error"]["code"] == "empty" and results[2]["error"]["code"] == "invalid_request"


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

    import nutgraf.serve as serve_module

    def slow(req: object, fallback_id: str = "document", model: str | None = None) -> dict[str, object]:
        _time.sleep(2)
        return {}

    monkeypatch.setattr(serve_module, "summarize_request", slow)
    client = TestClient(create_app(ServeConfig(timeout_seconds=0.2)))
    start = _time.perf_counter()
    r = client.post("/v1/summarize", json={"text": SAMPLE})
    assert r.status_code == 504 and r.json()["error"]["code"] == "timeout"
    assert _time.perf_counter() - start < 1.5


def test_lone_surrogates_are_refused_not_crashed_on(client: TestClient) -> None:
    body = (
        '{"text": "The council met on Monday \\ud800 to discuss the budget. It voted to close the library."}'
    )
    r = client.post("/v1/summarize", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    batch = '{"documents": [{"id": "\\ud800", "k": 0}, {"text": ' + json.dumps(SAMPLE) + "}]}"
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
