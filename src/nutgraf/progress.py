"""A one-line progress bar with rate and ETA for long runs, on a terminal only (quiet in pipes and CI)."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


class Progress:
    """Call with ``(done, total)``; ``total`` may be None when it is unknown (no bar, no ETA)."""

    def __init__(self, label: str, unit: str = "rows", stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() and not os.environ.get("CI")
        self.label = label
        self.unit = unit
        self.start = time.perf_counter()
        self.last = 0.0

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        finished = total is not None and done >= total
        if now - self.last < 0.2 and not finished:
            return
        self.last = now
        rate = done / max(now - self.start, 1e-9)
        if total:
            eta = (total - done) / rate if rate else 0.0
            bar = "#" * int(30 * min(done, total) / total)
            line = (
                f"{self.label} [{bar:<30}] {done:,}/{total:,} {self.unit}  {rate:,.1f}/s  "
                f"ETA {int(eta) // 60}:{int(eta) % 60:02d}"
            )
        else:
            line = f"{self.label} {done:,} {self.unit}  {rate:,.1f}/s"
        self.stream.write("\r" + line)
        if finished:
            self.stream.write("\n")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.last:
            self.stream.write("\n")
            self.stream.flush()
            self.last = 0.0
