"""nutgraf as an HTTP service: a thin FastAPI shell over ``nutgraf.Summarizer`` (``pip install 'nutgraf[serve]'``).

- ``POST /v1/summarize``: one document (``text`` or ``html``) with any option of ``nutgraf summarize``;
  ``POST /v1/summarize/batch``: up to ``max_batch`` documents, each answered or failed on its own;
  ``POST /v1/summarize/file``: a file's raw bytes, read by the CLI's input-format table (text, HTML, JSON
  Lines, JSON, RSS/Atom feeds), one result per record; ``GET /v1/methods``, ``GET /healthz``, ``GET
  /metrics`` (Prometheus text); ``/openapi.json`` and ``/docs`` (served from the package, no CDN); the
  editors' page at ``/``.
- The options are ``contracts.OPTION_SPECS``, validated by ``Options`` and ``Summarizer`` as for the CLI.
- One result and error shape for every front end (``render``): a request error is ``{"error": {"reason",
  "code", "message"}}`` with the right status (400 malformed JSON, 413 body too large, 415 not JSON, 422
  invalid request, 504 over the time limit); a document nutgraf cannot summarize is ``{"id", "error"}``.
- The server never fetches anything and never opens a file a request names: ``html`` is a string the client
  sends, never a URL, and ``model`` may only name the model the server was started with.

Layout: ``config`` (limits), ``schema`` (request and response models), ``documents`` (the library calls),
``metrics`` (Prometheus and the ASGI guard), ``app`` (the routes). Limits come from ``ServeConfig`` (or
``NUTGRAF_SERVE_*`` environment variables for ``nutgraf serve``).
"""

from __future__ import annotations

from nutgraf.errors import MissingExtra

try:
    import anyio  # noqa: F401
    import fastapi  # noqa: F401
    import pydantic  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised by users without the extra
    raise MissingExtra("nutgraf serve", "serve", str(exc)) from exc

from nutgraf.serve.app import Service, create_app, main
from nutgraf.serve.config import ServeConfig
from nutgraf.serve.documents import ServedModel, summarize_request
from nutgraf.serve.metrics import Metrics
from nutgraf.serve.schema import (
    BatchOut,
    BatchRequest,
    ContributionOut,
    ErrorDetail,
    ErrorOut,
    HealthOut,
    HighlightOut,
    MethodOut,
    MethodsOut,
    NoticeOut,
    SummarizeRequest,
    SummaryOut,
)

__all__ = [  # the response models too: scripts written against the single-module service import them
    "BatchOut",
    "BatchRequest",
    "ContributionOut",
    "ErrorDetail",
    "ErrorOut",
    "HealthOut",
    "HighlightOut",
    "MethodOut",
    "MethodsOut",
    "Metrics",
    "NoticeOut",
    "ServeConfig",
    "ServedModel",
    "Service",
    "SummarizeRequest",
    "SummaryOut",
    "create_app",
    "main",
    "summarize_request",
]
