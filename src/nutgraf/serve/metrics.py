"""Prometheus metrics, and the ASGI guard in front of the app: the body-size limit (413, also for chunked
bodies), JSON-only POSTs to the JSON routes (415), and a measurement of every response, including the ones
the guard refuses itself."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from nutgraf.serve.config import ServeConfig
from nutgraf.serve.schema import error_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_METHODS = frozenset("GET HEAD POST PUT DELETE OPTIONS PATCH".split())


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

    def observe(self, method: str, path: str, status: int, seconds: float, reason: str | None) -> None:
        with self.lock:
            self.requests[(method, path, status)] += 1
            if reason:
                self.errors[(path, reason)] += 1
            for i, bound in enumerate(_BUCKETS):
                if seconds <= bound:
                    self.buckets[path][i] += 1
            self.sums[path] += seconds
            self.counts[path] += 1

    def document(self, outcome: str) -> None:
        with self.lock:
            self.documents[outcome] += 1

    def results(self, results: Iterable[dict[str, Any]]) -> None:
        """Count each result of a batch or upload as ``ok`` or ``failed``."""
        for result in results:
            self.document("failed" if "error" in result else "ok")

    def render(self) -> str:
        with self.lock:
            lines = [*self._requests(), *self._documents(), *self._latency()]
        return "\n".join(lines) + "\n"

    def _requests(self) -> list[str]:
        lines = [
            "# HELP nutgraf_http_requests_total HTTP requests by method, route and status.",
            "# TYPE nutgraf_http_requests_total counter",
        ]
        for (method, path, status), n in sorted(self.requests.items()):
            lines.append(
                f'nutgraf_http_requests_total{{method="{method}",path="{path}",status="{status}"}} {n}'
            )
        lines += [
            "# HELP nutgraf_http_errors_total Error responses by route and error code (the reason).",
            "# TYPE nutgraf_http_errors_total counter",
        ]
        for (path, reason), n in sorted(self.errors.items()):
            lines.append(f'nutgraf_http_errors_total{{path="{path}",code="{reason}"}} {n}')
        return lines

    def _documents(self) -> list[str]:
        lines = [
            "# HELP nutgraf_documents_total Documents summarized (ok) or refused (failed).",
            "# TYPE nutgraf_documents_total counter",
        ]
        for outcome, n in sorted(self.documents.items()):
            lines.append(f'nutgraf_documents_total{{outcome="{outcome}"}} {n}')
        return lines

    def _latency(self) -> list[str]:
        name = "nutgraf_http_request_duration_seconds"
        lines = [f"# HELP {name} Request latency by route.", f"# TYPE {name} histogram"]
        for path in sorted(self.counts):
            for bound, n in zip(_BUCKETS, self.buckets[path], strict=True):
                lines.append(f'{name}_bucket{{path="{path}",le="{bound}"}} {n}')
            count = self.counts[path]
            lines.append(f'{name}_bucket{{path="{path}",le="+Inf"}} {count}')
            lines.append(f'{name}_sum{{path="{path}"}} {self.sums[path]:.6f}')
            lines.append(f'{name}_count{{path="{path}"}} {count}')
        return lines


class _BodyTooLarge(Exception):
    pass


SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    # The page loads only its own script and style sheet and talks only to this service; nobody frames it.
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
"""Sent with every response (an endpoint's own header of the same name wins)."""

CLIENT_CLOSED = 499
"""The status recorded (never sent: nobody is listening) for a request whose client went away mid-body,
as nginx does; it is not a server error and must not page anyone as a 5xx."""


class _Outcome:
    """What a response said (its status and error reason), seen on its way out."""

    def __init__(self, send: Send) -> None:
        self.status = 500
        self.reason: str | None = None
        self._send = send

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            headers = list(message.get("headers", []))
            names = {key.lower() for key, _ in headers}
            for key, value in headers:
                if key == b"x-nutgraf-error":
                    self.reason = value.decode()
            headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
            message = {**message, "headers": headers}
        await self._send(message)


class Guard:
    """Pure ASGI middleware: body-size limit (413), JSON-only POSTs to ``json_routes`` (415), and the
    metrics for every response. ``known_paths`` are the route labels for requests refused before routing;
    any other path is counted as ``unmatched``, so the label's cardinality stays bounded."""

    def __init__(
        self,
        app: ASGIApp,
        config: ServeConfig,
        metrics: Metrics,
        json_routes: frozenset[str],
        known_paths: frozenset[str],
    ) -> None:
        self.app, self.config, self.metrics = app, config, metrics
        self.json_routes, self.known_paths = json_routes, known_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        outcome = _Outcome(send)
        try:
            await self._handle(scope, receive, outcome)
        finally:
            method = scope.get("method", "")
            method = method if method in _METHODS else "other"  # any token is a valid method: bound the label
            reason = outcome.reason or (f"http_{outcome.status}" if outcome.status >= 400 else None)
            seconds = time.perf_counter() - start
            self.metrics.observe(method, self._route_label(scope), outcome.status, seconds, reason)

    async def _handle(self, scope: Scope, receive: Receive, outcome: _Outcome) -> None:
        send = outcome.send
        refusal = self._refuse(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        # Read the whole body first (it is bounded by the limit): a chunked body without a Content-Length
        # is refused here as soon as it passes the limit, before any parsing.
        try:
            body = await asyncio.wait_for(
                _read_body(receive, self.config.max_body_bytes), self.config.body_timeout_seconds
            )
        except _BodyTooLarge:
            await self._too_large()(scope, receive, send)
            return
        except TimeoutError:
            seconds = self.config.body_timeout_seconds
            await error_response(
                408, "body_timeout", f"the request body did not arrive within {seconds:g} s"
            )(scope, receive, send)
            return
        if body is None:  # the client went away: counted as 499, not as the 500 nothing was sent for
            outcome.status, outcome.reason = CLIENT_CLOSED, "client_closed"
            return
        await self.app(scope, _replay(body, receive), send)

    def _refuse(self, scope: Scope) -> ASGIApp | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        length = headers.get("content-length")
        if length and length.isdigit() and int(length) > self.config.max_body_bytes:
            return self._too_large()
        if scope.get("method") == "POST" and scope.get("path", "") in self.json_routes:
            ctype = headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype != "application/json":
                message = "send the request as JSON (Content-Type: application/json)"
                return error_response(415, "unsupported_media_type", message)
        return None

    def _too_large(self) -> ASGIApp:
        return error_response(413, "too_large", f"request body is over {self.config.max_body_bytes:,} bytes")

    def _route_label(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is not None and getattr(route, "path", None):
            return str(route.path)
        path = str(scope.get("path", ""))
        return path if path in self.known_paths else "unmatched"  # never a raw path


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None when the client went away; ``_BodyTooLarge`` as soon as it passes ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the body already read, then whatever the client sends (a disconnect)."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
