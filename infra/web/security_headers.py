"""Security headers on everything but the JSON API: a Content-Security-Policy without inline
scripts or styles on the pages (a looser one, still same-origin only, for the OpenAPI viewers
whose pages Litestar writes with inline scripts), no framing, no referrer outside the site,
no caching of pages (a shared computer), HSTS over https (ADR 38)."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

_SAME_ORIGIN = ("default-src 'self'; img-src 'self' data:; connect-src 'self'; "
                "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'")
PAGE_CSP = f"{_SAME_ORIGIN}; script-src 'self'; style-src 'self'"
VIEWER_CSP = (f"{_SAME_ORIGIN}; script-src 'self' 'unsafe-inline'; "
              "style-src 'self' 'unsafe-inline'; worker-src 'self' blob:")
COMMON = {
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = "max-age=31536000"


def _headers_for(path: str, https: bool) -> dict[str, str] | None:
    if path.startswith("/api/") or path == "/health":
        return None
    headers = {**COMMON, "Content-Security-Policy":
               VIEWER_CSP if path == "/schema" or path.startswith("/schema/") else PAGE_CSP}
    if not path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def security_headers_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        added = (_headers_for(scope["path"], scope.get("scheme") == "https")
                 if scope["type"] == "http" else None)
        if added is None:
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                for name, value in added.items():
                    headers[name] = value
            await send(message)
        await app(scope, receive, send_with_headers)
    return middleware
