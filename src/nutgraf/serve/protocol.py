"""uvicorn's HTTP protocol with nutgraf's error shape for requests too malformed to reach the app."""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from nutgraf.serve.metrics import SECURITY_HEADERS
from nutgraf.serve.schema import error_response


class JsonErrorsH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, except that a request too malformed to reach the app (a bad request line, bad
    headers) is answered in nutgraf's error shape, as JSON with the security headers, not as uvicorn's
    ``text/plain``. Module-level, so that ``--workers`` processes can import it by name."""

    def send_400_response(self, msg: str) -> None:
        reply = error_response(400, "malformed_http", f"not a valid HTTP request ({msg.rstrip('.')})")
        headers = [
            *((k, v) for k, v in reply.raw_headers if k != b"x-nutgraf-error"),
            *SECURITY_HEADERS,
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=bytes(reply.body)),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()
