"""``nutgraf serve``: the HTTP API and the editors' web page."""

from __future__ import annotations

import argparse
import os

from nutgraf.cli.common import Subcommands, add_model, bounded_int, positive_seconds
from nutgraf.contracts import Options
from nutgraf.errors import EXIT_OK, MissingExtra
from nutgraf.summarizer import Summarizer


def add_parser(sub: Subcommands) -> None:
    v = sub.add_parser(
        "serve",
        help="run the HTTP API and the editors' web page",
        description="Run nutgraf's HTTP service (POST /v1/summarize, /v1/summarize/batch, /v1/summarize/file, "
        "GET /v1/methods, /healthz, /metrics, /docs) and the web page at /. Needs: pip install 'nutgraf[serve]'.",
    )
    v.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    v.add_argument("--port", type=bounded_int(1, 65535), default=8080, help="port (default 8080)")
    v.add_argument("--workers", type=bounded_int(), default=1, help="server processes (default 1)")
    v.add_argument(
        "--max-body-bytes", type=bounded_int(), default=None, help="largest request body (default 2 MB)"
    )
    v.add_argument(
        "--max-batch", type=bounded_int(), default=None, help="documents per batch request (default 32)"
    )
    v.add_argument("--timeout", type=positive_seconds, default=None, help="seconds per request (default 10)")
    v.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    add_model(v)
    v.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Limits travel by environment so that every --workers process builds the same app.
    for flag, name in (
        ("max_body_bytes", "NUTGRAF_SERVE_MAX_BODY_BYTES"),
        ("max_batch", "NUTGRAF_SERVE_MAX_BATCH"),
        ("timeout", "NUTGRAF_SERVE_TIMEOUT"),
    ):
        value = getattr(args, flag)
        if value is not None:
            os.environ[name] = str(value)
    if args.model:
        model = os.path.abspath(os.path.expanduser(args.model))
        Summarizer(Options(method="gbdt", model=model))  # a bad model file fails here, with its message
        os.environ["NUTGRAF_MODEL"] = model
    try:
        from nutgraf.serve import ServeConfig
        from nutgraf.serve import main as serve_main
    except ImportError as exc:
        raise MissingExtra("nutgraf serve", "serve", str(exc)) from exc
    # Check the whole configuration (limits, NUTGRAF_MODEL) here, once: a worker process that fails at
    # start would be restarted by uvicorn forever.
    config = ServeConfig.from_env()
    Summarizer(Options(method="gbdt", model=config.model))
    serve_main(args.host, int(args.port), int(args.workers), args.log_level)
    return EXIT_OK
