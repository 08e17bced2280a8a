"""uvicorn's HTTP protocol with deadlines for receiving a request (ADR 29).

uvicorn closes a connection idle between two requests (its keep-alive timeout), but not one
whose request arrives slowly: a client sending a header line every few seconds, or a body a
byte at a time, holds its connection (and, for a body, the request's task) for ever. Here a
request's head must arrive within `request_head_seconds` of the connection opening or of
the request's first byte, and its body within `request_body_seconds` of its head; otherwise
the client gets 408 problem+json and the connection is closed."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

from infra.http.problems import MEDIA_TYPE, problem_body
from infra.settings import get_settings

_DETAIL = "the request did not arrive in time: {} not received within {:g} s"


class RequestDeadlines(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
    """The protocol uvicorn would choose (httptools, or h11), with a read deadline. The
    deadline follows what the parser has seen after each chunk of data: a new request
    cycle means its head is complete; a cycle without `more_body` means its body is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.head_seconds = settings.request_head_seconds
        self.body_seconds = settings.request_body_seconds
        self.read_deadline: asyncio.TimerHandle | None = None
        self.awaiting = ""  # what the deadline waits for: "head", "body" or nothing

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._await("head", self.head_seconds)

    def data_received(self, data: bytes) -> None:
        before = self.cycle
        if self.awaiting == "" and (before is None or before.response_complete):
            self._await("head", self.head_seconds)  # the first byte of a next request
        super().data_received(data)
        cycle = self.cycle
        if cycle is None:
            return
        if cycle is not before:  # a head was parsed: its request began
            if cycle.more_body:
                self._await("body", self.body_seconds)
            else:
                self._stop()
        elif self.awaiting == "body" and not cycle.more_body:  # its body is in
            self._stop()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop()
        super().connection_lost(exc)

    def _await(self, what: str, seconds: float) -> None:
        self._stop()
        self.awaiting = what
        self.read_deadline = self.loop.call_later(seconds, self._deadline_passed, what, seconds)

    def _stop(self) -> None:
        if self.read_deadline is not None:
            self.read_deadline.cancel()
        self.read_deadline, self.awaiting = None, ""

    def _deadline_passed(self, what: str, seconds: float) -> None:
        self.read_deadline, self.awaiting = None, ""
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if what == "body" and cycle is not None:
            cycle.disconnected = True  # the app's next receive() is a disconnect; its answer
            cycle.message_event.set()  # goes nowhere
            if cycle.response_started:
                self.transport.close()
                return
        body = json.dumps(problem_body(408, "request-timeout", _DETAIL.format(what, seconds),
                                       "", "en"), ensure_ascii=False).encode()
        self.transport.write(b"HTTP/1.1 408 Request Timeout\r\ncontent-type: " + MEDIA_TYPE.encode()
                             + b"\r\ncontent-length: " + str(len(body)).encode()
                             + b"\r\nconnection: close\r\n\r\n" + body)
        self.transport.close()
