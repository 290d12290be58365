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
    model: str | None = None
    """The learned method's model file (``nutgraf serve --model``); None: the bundled model."""

    @classmethod
    def from_env(cls) -> ServeConfig:
        """The limits ``nutgraf serve`` passes to every worker process through the environment."""
        return cls(
            max_body_bytes=int(_number("NUTGRAF_SERVE_MAX_BODY_BYTES", cls.max_body_bytes)),
            max_batch=int(_number("NUTGRAF_SERVE_MAX_BATCH", cls.max_batch)),
            timeout_seconds=_number("NUTGRAF_SERVE_TIMEOUT", cls.timeout_seconds),
            model=os.environ.get("NUTGRAF_MODEL") or None,
        )

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1 or self.max_batch < 1:
            raise UsageError("the body-size and batch limits must be positive")
        if not 0 < self.timeout_seconds < float("inf"):
            raise UsageError(
                f"the time limit must be a positive number of seconds, got {self.timeout_seconds}"
            )


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise UsageError(f"{name} must be a number, got {raw!r}") from None
