"""No answer to a request on a person's record leaves before its access-log row (ADR 0011).

The request's ticket (infra/http/access_guard.py) has its row written by the first statement
that reads or saves under it. `access_row_middleware` makes that unconditional: if the row is
still unwritten when the response starts, or when the request fails before the handler read
or saved anything, it writes it then (checked: a write whose inputs changed gets the fresh
decision's answer), so no response leaves before its row; and it gives a read's connection
back to the pool however the request ends."""

from __future__ import annotations

import contextlib
import json
import logging

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from domain.errors import DomainError
from infra.access import Ticket
from infra.http.access_guard import TICKET
from infra.http.problems import (
    MEDIA_TYPE,
    language_of,
    problem_body,
    refused_problem,
    unexpected_problem,
)

log = logging.getLogger("barometre.http")


def access_row_middleware(app: ASGIApp) -> ASGIApp:
    """Around every route (outside Litestar's exception handling, so error answers pass here
    too): no answer starts before the pending row of an allowed read is written; if it cannot
    be written, a 500 problem goes out instead and nothing of the handler's answer does."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        replaced = False

        async def send_after_row(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return
            if message["type"] == "http.response.start":
                try:
                    await _flush(scope)
                except DomainError as refusal:  # a write's fresh decision refuses it
                    replaced = True
                    await _send_problem(scope, send, *refused_problem(refusal))
                    return
                except Exception as failure:  # 503 if the database is unavailable (ADR 29)
                    log.exception("access-log row not written; answer withheld: %s", scope["path"])
                    replaced = True
                    await _send_problem(scope, send, *unexpected_problem(failure))
                    return
            await send(message)

        try:
            await app(scope, receive, send_after_row)
        finally:
            ticket = _ticket(scope)
            if ticket is not None and not replaced:
                # a request that ended without answering still leaves its row
                with contextlib.suppress(Exception):
                    await ticket.write_alone()
            if ticket is not None:
                await ticket.release()

    return middleware


def _ticket(scope: Scope) -> Ticket | None:
    ticket = scope.get(TICKET)  # type: ignore[misc]
    return ticket if isinstance(ticket, Ticket) else None


async def _flush(scope: Scope) -> None:
    if (ticket := _ticket(scope)) is not None:
        await ticket.write_alone()


async def _send_problem(scope: Scope, send: Send, status: int, code: str, detail: str,
                        headers: dict[str, str] | None = None) -> None:
    accept = dict(scope.get("headers", [])).get(b"accept-language", b"fr").decode("latin-1")
    body = json.dumps(problem_body(status, code, detail, scope["path"], language_of(accept)),
                      ensure_ascii=False).encode()
    extra = [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", MEDIA_TYPE.encode()),
                            (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})
