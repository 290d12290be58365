"""uvicorn's HTTP protocol with nutgraf's error shape for requests too malformed to reach the app, and a time
limit on the request line and headers (uvicorn has none: a client sending one header byte a minute would keep
its connection for ever)."""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from nutgraf.serve.config import ServeConfig
from nutgraf.serve.metrics import SECURITY_HEADERS
from nutgraf.serve.schema import error_response


class JsonErrorsH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, except that

    - a request too malformed to reach the app (a bad request line, bad headers) is answered in nutgraf's
      error shape, as JSON with the security headers, not as uvicorn's ``text/plain``;
    - the request line and headers must arrive within ``ServeConfig.header_timeout_seconds`` of the
      connection opening or of the previous response (``--header-timeout``): after that the client gets a
      JSON 408 ``header_timeout`` and the connection is closed. uvicorn's keep-alive timeout only covers a
      connection that has sent nothing since its last response.

    Module-level, so that ``--workers`` processes can import it by name; the limit comes from the environment
    like the app's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = ServeConfig.from_env().header_timeout_seconds
        self.header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:  # still waiting for (the rest of) a request line and headers
            self._arm_header_timer()
        else:
            self._disarm_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state is h11.IDLE:  # a pipelined request may already be under way
            self._arm_header_timer(restart=True)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def _arm_header_timer(self, restart: bool = False) -> None:
        if restart:
            self._disarm_header_timer()
        if self.header_timer is None and not self.transport.is_closing():
            self.header_timer = self.loop.call_later(self.header_timeout, self._header_timed_out)

    def _disarm_header_timer(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def _header_timed_out(self) -> None:
        self.header_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a response is still being written (HTTP pipelining): not the client's delay
        reply = error_response(
            408,
            "header_timeout",
            f"the request line and headers did not arrive within {self.header_timeout:g} s",
        )
        self._write_raw(408, b"Request Timeout", reply.raw_headers, bytes(reply.body))

    def send_400_response(self, msg: str) -> None:
        reply = error_response(400, "malformed_http", f"not a valid HTTP request ({msg.rstrip('.')})")
        self._write_raw(400, b"Bad Request", reply.raw_headers, bytes(reply.body))

    def _write_raw(
        self, status: int, phrase: bytes, raw_headers: list[tuple[bytes, bytes]], body: bytes
    ) -> None:
        """Answer outside h11's state machine (it may be waiting for a request, or in error) and close."""
        headers = [
            *((k, v) for k, v in raw_headers if k not in (b"x-nutgraf-error", b"content-length")),
            *SECURITY_HEADERS,
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        head = b"HTTP/1.1 %d %s\r\n" % (status, phrase) + b"".join(
            k + b": " + v + b"\r\n" for k, v in headers
        )
        self.transport.write(head + b"\r\n" + body)
        self.transport.close()
