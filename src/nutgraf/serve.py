"""nutgraf as an HTTP service: a thin FastAPI shell over ``nutgraf.pipeline`` (``pip install 'nutgraf[serve]'``).

- ``POST /v1/summarize``: one document; ``POST /v1/summarize/batch``: up to ``max_batch`` documents, each
  answered or failed on its own; ``GET /v1/methods``, ``GET /healthz``, ``GET /metrics`` (Prometheus text);
  ``/openapi.json`` and ``/docs`` (served from the package, no CDN); the editors' page at ``/``.
- Every error is ``{"error": {"code", "message"}}`` with the right status: 400 malformed JSON, 413 body too
  large, 415 not JSON, 422 invalid request or unusable document, 504 over the time limit.
- The server never fetches anything: ``html`` is a string the client sends, never a URL.

Limits come from ``ServeConfig`` (or ``NUTGRAF_SERVE_*`` environment variables for ``nutgraf serve``).
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, replace
from importlib.resources import files
from typing import Annotated, Any

from nutgraf._version import __version__
from nutgraf.contracts import NutgrafError, Options, Rejection, Summary
from nutgraf.ingest import from_html, from_text
from nutgraf.registry import get_scorer, method_names, resolve
from nutgraf.render import summary_to_dict

try:
    import anyio
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
    from fastapi.staticfiles import StaticFiles
    from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
    from pydantic.json_schema import SkipJsonSchema
    from starlette.exceptions import HTTPException as StarletteHTTPException
except ImportError as exc:  # pragma: no cover - exercised by users without the extra
    raise NutgrafError("nutgraf serve needs the serve extra: pip install 'nutgraf[serve]'") from exc

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class ServeConfig:
    max_body_bytes: int = 2_000_000
    """Largest request body (413 beyond): a long article is 60 kB, a batch of them a megabyte."""
    max_batch: int = 32
    timeout_seconds: float = 10.0
    """Per request; an article takes milliseconds, so this only stops pathological cases."""
    model: str | None = None
    """The learned method's model file (``nutgraf serve --model``); None: the bundled model."""

    @classmethod
    def from_env(cls) -> ServeConfig:
        def num(name: str, default: float) -> float:
            raw = os.environ.get(name)
            return float(raw) if raw else default

        return cls(
            max_body_bytes=int(num("NUTGRAF_SERVE_MAX_BODY_BYTES", cls.max_body_bytes)),
            max_batch=int(num("NUTGRAF_SERVE_MAX_BATCH", cls.max_batch)),
            timeout_seconds=num("NUTGRAF_SERVE_TIMEOUT", cls.timeout_seconds),
            model=os.environ.get("NUTGRAF_MODEL") or None,
        )

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1 or self.max_batch < 1:
            raise NutgrafError("the body-size and batch limits must be positive")
        if not 0 < self.timeout_seconds < float("inf"):
            raise NutgrafError(
                f"the time limit must be a positive number of seconds, got {self.timeout_seconds}"
            )


# ------------------------------------------------------------------------------------------ schema

SERVICE_METHODS = [m for m in method_names() if m != "oracle"]
"""Every method but the oracle, which needs reference highlights and is for evaluation only."""


class SummarizeRequest(BaseModel):
    """One document: its ``text`` or its ``html`` (not both), and how many key points."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"oneOf": [{"required": ["text"]}, {"required": ["html"]}]}
    )

    text: str | SkipJsonSchema[None] = Field(None, description="the article as plain text")
    html: str | SkipJsonSchema[None] = Field(
        None, description="the article page as HTML (never a URL: nutgraf fetches nothing)"
    )
    title: Annotated[str, Field(max_length=1000)] | SkipJsonSchema[None] = None
    id: (
        Annotated[str, Field(max_length=500, description="echoed back as the result's id")]
        | SkipJsonSchema[None]
    ) = None
    k: (
        Annotated[int, Field(strict=True, ge=1, le=50, description="key points (default 3)")]
        | SkipJsonSchema[None]
    ) = None
    max_words: (
        Annotated[
            int, Field(strict=True, ge=1, le=100_000, description="word budget; sentences are never cut")
        ]
        | SkipJsonSchema[None]
    ) = None
    method: str = Field(
        "default",
        description="default, gbdt, lead or textrank (GET /v1/methods lists them)",
        json_schema_extra={"enum": SERVICE_METHODS},  # type: ignore[dict-item]
    )
    explain: bool = Field(
        False, description="add each key point's top feature contributions (the learned method, gbdt)"
    )
    compress: bool = Field(
        False,
        description="shorten each key point by deleting what editors delete (never adds a word); a "
        "compressed key point has several spans",
    )
    max_words_per_point: (
        Annotated[int, Field(strict=True, ge=1, le=1000, description="delete further units while longer")]
        | SkipJsonSchema[None]
    ) = None

    @field_validator("method")
    @classmethod
    def known_method(cls, value: str) -> str:
        if value.strip().lower() == "oracle":
            raise ValueError("the oracle method needs reference highlights; it is for evaluation only")
        try:
            resolve(value)
        except NutgrafError:
            raise ValueError(f"Unknown method {value!r}. Available: {', '.join(SERVICE_METHODS)}") from None
        return value

    @field_validator("text", "html", "title", "id")
    @classmethod
    def valid_unicode(cls, value: str | None) -> str | None:
        if value is not None and not _encodable(value):
            raise ValueError(
                "contains a lone surrogate (an invalid \\ud800-\\udfff escape): not valid Unicode"
            )
        return value

    @model_validator(mode="after")
    def one_source(self) -> SummarizeRequest:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of 'text' or 'html'")
        if self.explain and not hasattr(get_scorer(self.method), "explain"):
            raise ValueError(
                f"explain needs the learned method (gbdt); {self.method} has no features to explain"
            )
        return self


class ContributionOut(BaseModel):
    feature: str
    value: float
    contribution: float


class HighlightOut(BaseModel):
    text: str
    spans: list[tuple[int, int]]
    sentences: list[int]
    score: float
    rank: int
    explanation: list[ContributionOut] | None = Field(None, description="with explain: true")


class NoticeOut(BaseModel):
    code: str
    message: str


class SummaryOut(BaseModel):
    id: str
    method: str
    scorer: str
    version: str
    model: str | None = Field(None, description="the model file that scored (learned method): name@sha256")
    highlights: list[HighlightOut]
    warnings: list[NoticeOut]
    title: str | None = None
    text: str | None = Field(None, description="for html input: the extracted text the spans point into")


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorDetail


class BatchItemError(BaseModel):
    id: str
    error: ErrorDetail


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[dict[str, Any]] = Field(
        ...,
        min_length=1,
        description="Each a SummarizeRequest object. Each is validated and answered on its own: an invalid one "
        "gets its own error in the results while the others are summarized, so the schema here accepts any "
        "object.",
    )


class BatchOut(BaseModel):
    results: list[SummaryOut | BatchItemError]


class MethodOut(BaseModel):
    name: str
    scorer: str


class MethodsOut(BaseModel):
    default: str
    methods: list[MethodOut]


class HealthOut(BaseModel):
    status: str
    version: str


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "malformed JSON"},
    413: {"model": ErrorOut, "description": "request body too large"},
    415: {"model": ErrorOut, "description": "the body is not JSON"},
    422: {"model": ErrorOut, "description": "invalid request, or a document nutgraf cannot summarize"},
    504: {"model": ErrorOut, "description": "over the per-request time limit"},
}


# ------------------------------------------------------------------------------------------- logic


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def summarize_request(
    req: SummarizeRequest, fallback_id: str = "document", model: str | None = None
) -> dict[str, Any]:
    """The library call behind both endpoints: the summary's JSON (as ``nutgraf summarize --format json``,
    with the extracted ``text`` for HTML input) or ``{"id", "error": {"code", "message"}}``."""
    from nutgraf.pipeline import summarize_article

    doc_id = req.id or fallback_id
    if req.html is not None:
        article = from_html(req.html, doc_id)
    else:
        article = from_text(req.text or "", doc_id, title=req.title)
    result: Summary | Rejection
    if isinstance(article, Rejection):
        result = article
    else:
        if req.title and article.title != req.title:
            article = replace(article, title=req.title)
        options = Options(
            k=req.k,
            max_words=req.max_words,
            method=req.method,
            model=model,
            explain=req.explain,
            compress=req.compress,
            max_words_per_point=req.max_words_per_point,
        )
        result = summarize_article(article, options)
    if isinstance(result, Rejection):
        return {"id": result.article_id, "error": {"code": result.reason, "message": result.message}}
    return summary_to_dict(result, article if not isinstance(article, Rejection) else None)


def _error(status: int, code: str, message: str) -> JSONResponse:
    """An error response in the one shape; the ``x-nutgraf-error`` header tells the metrics its code."""
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers={"x-nutgraf-error": code}
    )


# ------------------------------------------------------------------------------------------ metrics

_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """Prometheus counters and a latency histogram, per process (each ``--workers`` process has its own)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.errors: dict[tuple[str, str], int] = defaultdict(int)
        self.documents: dict[str, int] = defaultdict(int)
        self.buckets: dict[str, list[int]] = defaultdict(lambda: [0] * len(_BUCKETS))
        self.sums: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)

    def observe(self, method: str, path: str, status: int, seconds: float, code: str | None) -> None:
        with self.lock:
            self.requests[(method, path, status)] += 1
            if code:
                self.errors[(path, code)] += 1
            for i, bound in enumerate(_BUCKETS):
                if seconds <= bound:
                    self.buckets[path][i] += 1
            self.sums[path] += seconds
            self.counts[path] += 1

    def document(self, outcome: str) -> None:
        with self.lock:
            self.documents[outcome] += 1

    def render(self) -> str:
        lines = [
            "# HELP nutgraf_http_requests_total HTTP requests by method, route and status.",
            "# TYPE nutgraf_http_requests_total counter",
        ]
        with self.lock:
            for (method, path, status), n in sorted(self.requests.items()):
                lines.append(
                    f'nutgraf_http_requests_total{{method="{method}",path="{path}",status="{status}"}} {n}'
                )
            lines += [
                "# HELP nutgraf_http_errors_total Error responses by route and error code.",
                "# TYPE nutgraf_http_errors_total counter",
            ]
            for (path, code), n in sorted(self.errors.items()):
                lines.append(f'nutgraf_http_errors_total{{path="{path}",code="{code}"}} {n}')
            lines += [
                "# HELP nutgraf_documents_total Documents summarized (ok) or refused (failed).",
                "# TYPE nutgraf_documents_total counter",
            ]
            for outcome, n in sorted(self.documents.items()):
                lines.append(f'nutgraf_documents_total{{outcome="{outcome}"}} {n}')
            lines += [
                "# HELP nutgraf_http_request_duration_seconds Request latency by route.",
                "# TYPE nutgraf_http_request_duration_seconds histogram",
            ]
            for path in sorted(self.counts):
                for bound, n in zip(_BUCKETS, self.buckets[path], strict=True):
                    lines.append(
                        f'nutgraf_http_request_duration_seconds_bucket{{path="{path}",le="{bound}"}} {n}'
                    )
                count = self.counts[path]
                lines.append(
                    f'nutgraf_http_request_duration_seconds_bucket{{path="{path}",le="+Inf"}} {count}'
                )
                lines.append(
                    f'nutgraf_http_request_duration_seconds_sum{{path="{path}"}} {self.sums[path]:.6f}'
                )
                lines.append(f'nutgraf_http_request_duration_seconds_count{{path="{path}"}} {count}')
        return "\n".join(lines) + "\n"


_JSON_ROUTES = frozenset(("/v1/summarize", "/v1/summarize/batch"))
_METHODS = frozenset("GET HEAD POST PUT DELETE OPTIONS PATCH".split())


class _Guard:
    """Pure ASGI middleware: body-size limit (413, also for chunked bodies), JSON-only POSTs (415), and the
    metrics for every response, including the ones it refuses itself."""

    def __init__(self, app: ASGIApp, config: ServeConfig, metrics: Metrics) -> None:
        self.app, self.config, self.metrics = app, config, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status_code = 500
        error_code: str | None = None
        path = scope.get("path", "")

        async def send_wrapper(message: Message) -> None:
            nonlocal status_code, error_code
            if message["type"] == "http.response.start":
                status_code = int(message["status"])
                for key, value in message.get("headers", []):
                    if key == b"x-nutgraf-error":
                        error_code = value.decode()
            await send(message)

        try:
            refusal = self._refuse(scope)
            if refusal is not None:
                await refusal(scope, receive, send_wrapper)
                return
            if scope.get("method") != "POST":
                await self.app(scope, receive, send_wrapper)
                return
            # Read the whole body first (it is bounded by the limit): a chunked body without a
            # Content-Length is refused here as soon as it passes the limit, before any parsing.
            limit = self.config.max_body_bytes
            chunks: list[bytes] = []
            size = 0
            more = True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    refusal = _error_response(413, "too_large", f"request body is over {limit:,} bytes")
                    await refusal(scope, receive, send_wrapper)
                    return
                chunks.append(chunk)
                more = bool(message.get("more_body", False))
            body = b"".join(chunks)
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send_wrapper)
        finally:
            route = _route_label(scope, path)
            code = error_code or (f"http_{status_code}" if status_code >= 400 else None)
            method = scope.get("method", "")
            method = method if method in _METHODS else "other"  # any token is a valid method: bound the label
            self.metrics.observe(method, route, status_code, time.perf_counter() - start, code)

    def _refuse(self, scope: Scope) -> ASGIApp | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        length = headers.get("content-length")
        if length and length.isdigit() and int(length) > self.config.max_body_bytes:
            return _error_response(
                413, "too_large", f"request body is over {self.config.max_body_bytes:,} bytes"
            )
        if scope.get("method") == "POST" and scope.get("path", "") in _JSON_ROUTES:
            ctype = headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype != "application/json":
                return _error_response(
                    415, "unsupported_media_type", "send the request as JSON (Content-Type: application/json)"
                )
        return None


def _error_response(status: int, code: str, message: str) -> ASGIApp:
    return _error(status, code, message)  # a Starlette Response is an ASGI app


def _route_label(scope: Scope, path: str) -> str:
    route = scope.get("route")
    if route is not None and getattr(route, "path", None):
        return str(route.path)
    known = ("/", "/metrics", "/healthz", "/v1/summarize", "/v1/summarize/batch", "/v1/methods")
    return path if path in known else "unmatched"  # never a raw path: label cardinality stays bounded


# --------------------------------------------------------------------------------------------- app


def create_app(config: ServeConfig | None = None) -> FastAPI:
    config = config or ServeConfig.from_env()
    from nutgraf.pipeline import prepare

    for method in SERVICE_METHODS:  # load the model now: a bad file fails at start, not on a request
        prepare(Options(method=method, model=config.model))
    metrics = Metrics()
    app_class: Any
    try:
        from fastapi_offline import FastAPIOffline as app_class
    except ImportError:  # pragma: no cover - the serve extra installs it
        app_class = FastAPI
    app: FastAPI = app_class(
        swagger_ui_parameters={"validatorUrl": None},  # Swagger's default validator badge calls out
        title="nutgraf",
        version=__version__,
        description="Key points for news articles: sentences from the article's own words, with character spans "
        "into the text. Errors are {'error': {'code', 'message'}}.",
    )

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return _error(400, "malformed_json", "the body is not valid JSON")
        return _error(422, "invalid_request", _explain(errors))

    @app.exception_handler(Exception)
    async def internal(_: Request, exc: Exception) -> JSONResponse:
        return _error(500, "internal", f"internal error ({type(exc).__name__}); please report it")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {400: "malformed_json", 404: "not_found", 405: "method_not_allowed"}
        code = codes.get(exc.status_code, f"http_{exc.status_code}")
        message = "the body is not valid JSON (or not UTF-8)" if exc.status_code == 400 else str(exc.detail)
        response = _error(exc.status_code, code, message)
        for key, value in (exc.headers or {}).items():  # e.g. Allow on a 405
            response.headers[key] = value
        return response

    async def run(fn: Callable[[], Any]) -> Any:
        # abandon_on_cancel: answer 504 on time. The abandoned thread finishes on its own; its work is
        # bounded by the body-size limit (the pipeline is linear in the input), so it cannot pile up forever.
        with anyio.fail_after(config.timeout_seconds):
            return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)

    @app.post("/v1/summarize", response_model=SummaryOut, responses=ERRORS, response_model_exclude_none=True)
    async def summarize(req: SummarizeRequest) -> JSONResponse:
        try:
            body = await run(lambda: summarize_request(req, model=config.model))
        except TimeoutError:
            metrics.document("failed")
            return _timeout(config)
        if "error" in body:
            metrics.document("failed")
            return _error(422, body["error"]["code"], body["error"]["message"])
        metrics.document("ok")
        return JSONResponse(body)

    @app.post(
        "/v1/summarize/batch",
        response_model=BatchOut,
        responses=ERRORS,
        description=f"Up to {config.max_batch} documents; each is answered, or failed with its own error.",
    )
    async def summarize_batch(batch: BatchRequest) -> JSONResponse:
        if len(batch.documents) > config.max_batch:
            n = len(batch.documents)
            return _error(
                422, "too_many_documents", f"at most {config.max_batch} documents per batch, got {n}"
            )

        def work() -> list[dict[str, Any]]:
            out = []
            for n, raw in enumerate(batch.documents):
                fallback = f"document-{n + 1}"
                try:
                    req = SummarizeRequest.model_validate(raw)
                except ValidationError as exc:
                    raw_id = raw.get("id")
                    ok_id = isinstance(raw_id, str) and len(raw_id) <= 500 and _encodable(raw_id)
                    doc_id = raw_id if ok_id else fallback
                    out.append(
                        {
                            "id": doc_id,
                            "error": {"code": "invalid_request", "message": _explain(exc.errors())},
                        }
                    )
                    continue
                out.append(summarize_request(req, fallback, config.model))
            return out

        try:
            results = await run(work)
        except TimeoutError:
            return _timeout(config)
        for r in results:
            metrics.document("failed" if "error" in r else "ok")
        return JSONResponse({"results": results})

    @app.get("/v1/methods", response_model=MethodsOut)
    async def methods() -> dict[str, Any]:
        return {
            "default": resolve("default")[0],
            "methods": [{"name": n, "scorer": resolve(n)[1]} for n in SERVICE_METHODS],
        }

    @app.get("/healthz", response_model=HealthOut)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.head("/healthz", include_in_schema=False)  # load balancers' health checks often use HEAD
    async def healthz_head() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/metrics", response_class=PlainTextResponse)
    async def metrics_endpoint() -> PlainTextResponse:
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4")

    web = files("nutgraf") / "web"

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(str(web / "index.html"), media_type="text/html")

    app.mount("/static", StaticFiles(directory=str(web), check_dir=False), name="static")
    app.add_middleware(_Guard, config=config, metrics=metrics)
    app.state.metrics = metrics
    app.state.config = config
    return app


def _timeout(config: ServeConfig) -> JSONResponse:
    return _error(504, "timeout", f"over the {config.timeout_seconds:g} s time limit")


def _explain(errors: Any) -> str:
    parts = []
    for e in list(errors)[:5]:
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body",))
        message = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "invalid request"


def main(host: str, port: int, workers: int, log_level: str = "info") -> None:
    import uvicorn

    uvicorn.run(
        "nutgraf.serve:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        server_header=False,
    )
