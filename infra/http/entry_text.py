"""Text that enters outside the body schemas: path segments, query parameters and the headers
the platform stores are held to the domain's text rule before anything reads or stores them
(400, naming the parameter); and a JSON body whose strings hold lone surrogates is decoded
anyway, so that the schema refuses it naming the field (422), as any other bad text."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from litestar import Request
from litestar.exceptions import SerializationException
from litestar.types import ASGIApp, Receive, Scope, Send

from domain.errors import InvalidValue
from domain.text import check_characters
from infra.http.problems import Problem

STORED_HEADERS = (b"idempotency-key",)
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_entry(scope: Scope) -> None:
    """Raises a 400 problem naming the first path parameter, query parameter or stored
    header that breaks the text rule."""
    texts = [(f"path parameter {name}", value)
             for name, value in scope.get("path_params", {}).items() if isinstance(value, str)]
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True, errors="surrogateescape"):
        texts += [("a query parameter name", name), (f"query parameter {name!r}", value)]
    texts += [(f"header {name.decode('latin-1').title()}", value.decode("latin-1"))
              for name, value in scope.get("headers", []) if name.lower() in STORED_HEADERS]
    for what, text in texts:
        try:
            check_characters(text, what)
        except InvalidValue as exc:
            raise Problem(400, "bad-request", str(exc)) from None


def entry_text_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            check_entry(scope)
        await app(scope, receive, send)
    return middleware


def _holds_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_holds_lone_surrogate(k) or _holds_lone_surrogate(v) for k, v in value.items())
    return isinstance(value, list) and any(_holds_lone_surrogate(v) for v in value)


def _decoded_leniently(body: bytes) -> Any:
    """The body as Python's JSON decoder reads it (lone surrogates kept), or None."""
    def no_constant(name: str) -> None:
        raise ValueError(f"{name} is not JSON")
    try:
        return json.loads(body.decode(), parse_constant=no_constant)
    except (ValueError, RecursionError):
        return None


class TextCheckedRequest(Request[Any, Any, Any]):
    """msgspec refuses a JSON string escaping a lone surrogate (`"\\ud800"`) as malformed,
    which cannot name the field; Python's decoder keeps it, and the schema's text rule then
    refuses it naming the field. Any other malformed body stays a 400."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except SerializationException:
            value = _decoded_leniently(await self.body())
            if not _holds_lone_surrogate(value):
                raise
            return value
