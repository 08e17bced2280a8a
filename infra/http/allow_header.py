"""OPTIONS answers name every method of their path.

Litestar answers OPTIONS with the methods of the first handler registered on a path, even
when several handlers share it (`/auth/totp` has POST and DELETE): this middleware replaces
that Allow header with the methods of every handler of the path."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, Message, Receive, Scope, Send


def methods_by_path(routes: Iterable[Any]) -> dict[str, bytes]:
    """Each HTTP path template and its Allow header value."""
    return {route.path: ", ".join(sorted(route.methods)).encode() for route in routes
            if isinstance(route, HTTPRoute)}


def full_allow_middleware(app: ASGIApp) -> ASGIApp:
    allowed: dict[str, bytes] = {}

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "OPTIONS":
            await app(scope, receive, send)
            return

        async def send_full_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and any(
                    k == b"allow" for k, _ in message.get("headers", ())):
                if not allowed:
                    allowed.update(methods_by_path(scope["litestar_app"].routes))
                methods = allowed.get(str(scope.get("path_template", "")))
                if methods is not None:
                    message["headers"] = [(k, methods if k == b"allow" else v)
                                          for k, v in message["headers"]]
            await send(message)
        await app(scope, receive, send_full_allow)

    return middleware
