"""Run nutgraf's HTTP service (POST /v1/summarize, /v1/summarize/batch, /v1/summarize/file, GET /v1/methods,
/healthz, /metrics, /docs) and the web page at /. Needs: pip install 'nutgraf[serve]'."""

from __future__ import annotations

import argparse
import os

from nutgraf.cli import common
from nutgraf.contracts import Options
from nutgraf.errors import EXIT_OK, MissingExtra
from nutgraf.summarizer import Summarizer

NAME = "serve"
SUMMARY = "run the HTTP API and the editors' web page"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    p.add_argument("--port", type=common.bounded_int(1, 65535), default=8080, help="port (default 8080)")
    p.add_argument("--workers", type=common.bounded_int(), default=1, help="server processes (default 1)")
    p.add_argument(
        "--max-body-bytes",
        type=common.bounded_int(),
        default=None,
        help="largest request body (default 2 MB)",
    )
    p.add_argument(
        "--max-batch",
        type=common.bounded_int(),
        default=None,
        help="documents per batch request (default 32)",
    )
    p.add_argument(
        "--timeout", type=common.positive_seconds, default=None, help="seconds per request (default 10)"
    )
    p.add_argument(
        "--body-timeout",
        type=common.positive_seconds,
        default=None,
        help="seconds for a request body to arrive, 408 after (default 15)",
    )
    p.add_argument(
        "--header-timeout",
        type=common.positive_seconds,
        default=None,
        help="seconds for a request line and headers to arrive, 408 and close after (default 10)",
    )
    p.add_argument(
        "--max-connections",
        type=common.bounded_int(),
        default=None,
        help="connections and requests in flight per worker process, 503 beyond (default 256)",
    )
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    common.add_model(p)


def run(args: argparse.Namespace) -> int:
    # Limits travel by environment so that every --workers process builds the same app.
    for flag, name in (
        ("max_body_bytes", "NUTGRAF_SERVE_MAX_BODY_BYTES"),
        ("max_batch", "NUTGRAF_SERVE_MAX_BATCH"),
        ("timeout", "NUTGRAF_SERVE_TIMEOUT"),
        ("body_timeout", "NUTGRAF_SERVE_BODY_TIMEOUT"),
        ("header_timeout", "NUTGRAF_SERVE_HEADER_TIMEOUT"),
        ("max_connections", "NUTGRAF_SERVE_MAX_CONNECTIONS"),
    ):
        value = getattr(args, flag)
        if value is not None:
            os.environ[name] = str(value)
    if args.model:
        os.environ["NUTGRAF_MODEL"] = os.path.abspath(os.path.expanduser(args.model))
    try:
        from nutgraf.serve import ServeConfig
        from nutgraf.serve import main as serve_main
    except ImportError as exc:
        raise MissingExtra("nutgraf serve", "serve", str(exc)) from exc
    # Check the whole configuration (limits, NUTGRAF_MODEL: a bad model file fails here, with its message)
    # once: a worker process that fails at start would be restarted by uvicorn forever.
    config = ServeConfig.from_env()
    Summarizer(Options(method="gbdt", model=config.model))
    serve_main(args.host, int(args.port), int(args.workers), args.log_level)
    return EXIT_OK
