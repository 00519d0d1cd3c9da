"""uvicorn's h11 protocol with read deadlines: a connection that stalls sending a request is closed.

uvicorn closes an idle kept-alive connection (`timeout_keep_alive`) but waits forever for a
request that was started and not finished: partial headers, or a body shorter than its
Content-Length. Each such connection holds a file descriptor, so a few hundred of them exhaust
a worker. Here the request line and headers must arrive within `CONVSCOPE_HEADER_TIMEOUT`
seconds of the connection opening (or of the previous answer), and the body within
`CONVSCOPE_BODY_TIMEOUT` seconds of the headers; otherwise the connection is closed (the app,
if it was waiting for the body, sees a disconnect). `convscope serve` selects this protocol.
"""

import asyncio
import functools

from uvicorn.protocols.http.h11_impl import H11Protocol

from .config import Settings


@functools.cache
def _timeouts() -> tuple[float, float]:
    settings = Settings.from_env()
    return float(settings.header_timeout), float(settings.body_timeout)


class GuardedH11Protocol(H11Protocol):
    """H11Protocol plus one timer per connection, armed while the client owes us bytes."""

    _deadline: asyncio.TimerHandle | None = None
    _waiting_for: str = "headers"  # "headers", "body", or "" while the app works and answers

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await("headers")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is None:
            return
        if self.cycle is not cycle and self._waiting_for == "headers":  # a request's headers are complete
            self._await("body" if self.cycle.more_body else "")
        elif self._waiting_for == "body" and not self.cycle.more_body:
            self._await("")

    def on_response_complete(self) -> None:
        self._await("headers")  # the next request on this connection (a pipelined one re-arms in handle_events)
        super().on_response_complete()
        if self.transport.is_closing():
            self._disarm()

    def _await(self, what: str) -> None:
        self._disarm()
        self._waiting_for = what
        if what:
            header_timeout, body_timeout = _timeouts()
            seconds = header_timeout if what == "headers" else body_timeout
            self._deadline = self.loop.call_later(seconds, self._timed_out)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _timed_out(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.logger.info("closing a connection whose request %s did not arrive in time", self._waiting_for)
            self.transport.close()
