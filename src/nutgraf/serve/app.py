"""The FastAPI app: routes that parse, call ``nutgraf.serve.documents`` in a worker thread under the time
limit, and answer in the one result and error shape (``render.result_to_dict``, ``render.error_dict``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from importlib.resources import files
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from nutgraf._version import __version__
from nutgraf.errors import UsageError
from nutgraf.registry import get_scorer, method_names, resolve
from nutgraf.serve.config import ServeConfig
from nutgraf.serve.documents import Refused, ServedModel, summarize_item, summarize_request, summarize_upload
from nutgraf.serve.metrics import Guard, Metrics
from nutgraf.serve.schema import (
    ERRORS,
    BatchOut,
    BatchRequest,
    FileOut,
    FileQuery,
    HealthOut,
    MethodsOut,
    SummarizeRequest,
    SummaryOut,
    describe_errors,
    error_response,
    rejection_response,
)
from nutgraf.summarizer import cancellable

T = TypeVar("T")

SUMMARIZE, BATCH, FILE = "/v1/summarize", "/v1/summarize/batch", "/v1/summarize/file"
JSON_ROUTES = frozenset((SUMMARIZE, BATCH))
"""The routes whose body must be JSON (415 otherwise); the file upload takes any bytes."""

_UPLOAD_BODY = {
    "description": "the file's bytes, as they are on disk (no multipart); an empty body is an empty file",
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}


class Service:
    """The routes, over what they share: the limits, the served model and the metrics."""

    def __init__(self, config: ServeConfig, served: ServedModel, metrics: Metrics) -> None:
        self.config, self.served, self.metrics = config, served, metrics

    async def run(self, fn: Callable[[], T]) -> T:
        # abandon_on_cancel: answer 504 on time. The abandoned thread is told so (``cancellable``) and stops
        # at the next pipeline stage or document, instead of finishing work nobody will read; a stage's work
        # is bounded by the body-size limit (the pipeline is linear in the input).
        cancel = threading.Event()

        def guarded() -> T:
            with cancellable(cancel):
                return fn()

        try:
            with anyio.fail_after(self.config.timeout_seconds):
                return await anyio.to_thread.run_sync(guarded, abandon_on_cancel=True)
        except TimeoutError:
            cancel.set()
            raise

    def timeout(self) -> JSONResponse:
        return error_response(504, "timeout", f"over the {self.config.timeout_seconds:g} s time limit")

    async def summarize(self, req: SummarizeRequest) -> JSONResponse:
        try:
            body = await self.run(partial(summarize_request, req, "document", self.served))
        except TimeoutError:
            self.metrics.document("failed")
            return self.timeout()
        except UsageError as exc:
            return _refusal(exc)
        self.metrics.results([body])
        return rejection_response(body) if "error" in body else JSONResponse(body)

    async def summarize_batch(self, batch: BatchRequest) -> JSONResponse:
        if len(batch.documents) > self.config.max_batch:
            message = f"at most {self.config.max_batch} documents per batch, got {len(batch.documents)}"
            return error_response(422, "too_many_documents", message)

        def work() -> list[dict[str, Any]]:
            return [summarize_item(raw, n, self.served) for n, raw in enumerate(batch.documents)]

        try:
            results = await self.run(work)
        except TimeoutError:
            return self.timeout()
        self.metrics.results(results)
        return JSONResponse({"results": results})

    async def summarize_file(self, request: Request, query: Annotated[FileQuery, Query()]) -> JSONResponse:
        data = await request.body()  # already read, and bounded, by the guard
        try:
            body = await self.run(partial(summarize_upload, data, query, self.served, self.config))
        except TimeoutError:
            return self.timeout()
        except UsageError as exc:
            return _refusal(exc)
        self.metrics.results(body["results"])
        return JSONResponse(body)

    async def methods(self) -> dict[str, Any]:
        # Methods that need reference highlights (the oracle) work with 'references' but are for
        # evaluation: the list is what an editor can pick for an article.
        listed = [n for n in method_names() if not get_scorer(n).needs_references]
        return {
            "default": resolve("default")[0],
            "model": self.served.model_id,
            "methods": [{"name": n, "scorer": resolve(n)[1]} for n in listed],
        }

    async def healthz(self) -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    async def metrics_text(self) -> PlainTextResponse:
        return PlainTextResponse(self.metrics.render(), media_type="text/plain; version=0.0.4")


def _refusal(exc: UsageError) -> JSONResponse:
    if isinstance(exc, Refused):
        return error_response(exc.status, exc.reason, str(exc))
    return error_response(422, "invalid_request", str(exc))


def create_app(config: ServeConfig | None = None) -> FastAPI:
    """The service with ``config``'s limits (``ServeConfig.from_env()`` by default). Loads every method's
    model now: a bad model file fails here, not on the first request."""
    config = config or ServeConfig.from_env()
    metrics = Metrics()
    service = Service(config, ServedModel.load(config.model), metrics)
    app = _new_app()
    _add_error_handlers(app)
    _add_summarize_routes(app, service)
    _add_info_routes(app, service)
    _add_web_page(app)
    known = frozenset(str(getattr(route, "path", "")) for route in app.routes)
    app.add_middleware(Guard, config=config, metrics=metrics, json_routes=JSON_ROUTES, known_paths=known)
    app.state.metrics = metrics
    app.state.config = config
    app.state.served = service.served
    return app


def _new_app() -> FastAPI:
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
        "into the text. A request error is {'error': {'reason', 'code', 'message'}}; a document nutgraf cannot "
        "summarize is {'id', 'error': {...}}, the same object as the CLI's JSON error rows ('code' repeats "
        "'reason' under its old name, for one release).",
    )
    return app


def _add_summarize_routes(app: FastAPI, service: Service) -> None:
    limit = service.config.max_batch
    routes: tuple[tuple[str, Any, Any, dict[str, Any], str], ...] = (
        (SUMMARIZE, service.summarize, SummaryOut, {"response_model_exclude_none": True},
         "One document, as text or HTML, with any option of `nutgraf summarize`."),
        (BATCH, service.summarize_batch, BatchOut, {},
         f"Up to {limit} documents; each is answered, or failed with its own error."),
        (FILE, service.summarize_file, FileOut, {"openapi_extra": {"requestBody": _UPLOAD_BODY}},
         "A file's raw bytes, read as `nutgraf summarize FILE` reads a file of that name: text, HTML, JSON "
         "Lines, JSON, an RSS/Atom feed (optionally gzipped); the options are query parameters (repeat "
         f"'references'). One result per record, at most {limit} records."),
    )  # fmt: skip
    for path, endpoint, model, extra, description in routes:
        # The upload takes any content type, so it never answers 415.
        responses = {k: v for k, v in ERRORS.items() if path != FILE or k != 415}
        app.add_api_route(
            path, endpoint, methods=["POST"], response_model=model, responses=responses, description=description,
            **extra,
        )  # fmt: skip


def _add_info_routes(app: FastAPI, service: Service) -> None:
    app.add_api_route("/v1/methods", service.methods, methods=["GET"], response_model=MethodsOut)
    app.add_api_route("/healthz", service.healthz, methods=["GET"], response_model=HealthOut)
    # Load balancers' health checks often use HEAD.
    app.add_api_route("/healthz", service.healthz, methods=["HEAD"], include_in_schema=False)
    app.add_api_route("/metrics", service.metrics_text, methods=["GET"], response_class=PlainTextResponse)


def _add_web_page(app: FastAPI) -> None:
    web = files("nutgraf.serve") / "web"

    async def index() -> FileResponse:
        return FileResponse(str(web / "index.html"), media_type="text/html")

    app.add_api_route("/", index, methods=["GET", "HEAD"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=str(web), check_dir=False), name="static")


def _add_error_handlers(app: FastAPI) -> None:
    app.exception_handler(RequestValidationError)(_invalid)
    app.exception_handler(StarletteHTTPException)(_http_error)
    app.exception_handler(Exception)(_internal)


async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, "malformed_json", "the body is not valid JSON")
    return error_response(422, "invalid_request", describe_errors(errors))


# FastAPI's answer when the body parser raises anything but a JSON syntax error: Python's own limits, an
# integer of more than 4,300 digits or arrays nested thousands of levels deep. The JSON is well-formed, so it
# is a request nutgraf cannot take (422), not a malformed one (400).
_PARSER_LIMIT = "There was an error parsing the body"


async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 400 and exc.detail == _PARSER_LIMIT:
        return error_response(
            422,
            "invalid_request",
            "the body holds a JSON value nutgraf cannot read: an integer of more than 4,300 digits, or "
            "arrays or objects nested thousands of levels deep",
        )
    reasons = {400: "malformed_json", 404: "not_found", 405: "method_not_allowed"}
    reason = reasons.get(exc.status_code, f"http_{exc.status_code}")
    message = "the body is not valid JSON (or not UTF-8)" if exc.status_code == 400 else str(exc.detail)
    response = error_response(exc.status_code, reason, message)
    for key, value in (exc.headers or {}).items():  # e.g. Allow on a 405
        response.headers[key] = value
    return response


async def _internal(_: Request, exc: Exception) -> JSONResponse:
    return error_response(500, "internal", f"internal error ({type(exc).__name__}); please report it")


def main(host: str, port: int, workers: int, log_level: str = "info") -> None:
    """Run the service with uvicorn; each worker process builds its app from the environment."""
    import uvicorn

    from nutgraf.serve.protocol import JsonErrorsH11Protocol

    config = ServeConfig.from_env()
    uvicorn.run(
        "nutgraf.serve:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        server_header=False,
        limit_concurrency=config.max_connections,
        http=JsonErrorsH11Protocol,
        timeout_keep_alive=5,
    )
