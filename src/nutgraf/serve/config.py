"""The service's limits: one frozen ``ServeConfig``, from arguments or from ``NUTGRAF_SERVE_*`` variables."""

from __future__ import annotations

import os
from dataclasses import dataclass

from nutgraf.errors import UsageError


@dataclass(frozen=True)
class ServeConfig:
    max_body_bytes: int = 2_000_000
    """Largest request body (413 beyond): a long article is 60 kB, a batch of them a megabyte."""
    max_batch: int = 32
    """Documents per batch request, and records per file upload."""
    timeout_seconds: float = 10.0
    """Per request; an article takes milliseconds, so this only stops pathological cases."""
    body_timeout_seconds: float = 15.0
    """A request body must arrive within this (408 after): a client that stalls mid-body frees its slot."""
    header_timeout_seconds: float = 10.0
    """A request line and its headers must arrive within this, counted from the connection's first byte or the
    end of the previous response (then 408 and the connection is closed): a slowloris client frees its slot."""
    max_connections: int = 256
    """Connections and requests in flight per worker process (uvicorn's ``limit_concurrency``; 503 beyond),
    so stalled clients cannot take every file descriptor."""
    model: str | None = None
    """The learned method's model file (``nutgraf serve --model``); None: the bundled model."""

    @classmethod
    def from_env(cls) -> ServeConfig:
        """The limits ``nutgraf serve`` passes to every worker process through the environment."""
        return cls(
            max_body_bytes=int(_number("NUTGRAF_SERVE_MAX_BODY_BYTES", cls.max_body_bytes)),
            max_batch=int(_number("NUTGRAF_SERVE_MAX_BATCH", cls.max_batch)),
            timeout_seconds=_number("NUTGRAF_SERVE_TIMEOUT", cls.timeout_seconds),
            body_timeout_seconds=_number("NUTGRAF_SERVE_BODY_TIMEOUT", cls.body_timeout_seconds),
            header_timeout_seconds=_number("NUTGRAF_SERVE_HEADER_TIMEOUT", cls.header_timeout_seconds),
            max_connections=int(_number("NUTGRAF_SERVE_MAX_CONNECTIONS", cls.max_connections)),
            model=os.environ.get("NUTGRAF_MODEL") or None,
        )

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1 or self.max_batch < 1 or self.max_connections < 1:
            raise UsageError("the body-size, batch and connection limits must be positive")
        for seconds in (self.timeout_seconds, self.body_timeout_seconds, self.header_timeout_seconds):
            if not 0 < seconds < float("inf"):
                raise UsageError(f"a time limit must be a positive number of seconds, got {seconds}")


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise UsageError(f"{name} must be a number, got {raw!r}") from None
