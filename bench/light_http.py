"""A lean HTTP/1.1 client for the timed load: one keep-alive connection, JSON bodies.

The load generator shares the 2 cores with the system under test; httpx cost about 2.5 ms of
CPU per request here (a quarter of the machine during `mixed_workload.py`), this about a
fifth of that. Enough HTTP for our own server (uvicorn): Content-Length or chunked bodies,
no redirects, no TLS. Logging in and everything outside the timed loop still use httpx."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import msgspec


class LightResponse:
    def __init__(self, status_code: int, body: bytes) -> None:
        self.status_code = status_code
        self.content = body

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return msgspec.json.decode(self.content)


class LightClient:
    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        url = urlsplit(base_url)
        self.host, self.port, self.prefix = url.hostname or "127.0.0.1", url.port or 80, url.path
        fixed = {"host": f"{self.host}:{self.port}", "accept": "application/json", **headers}
        self.fixed = "".join(f"{k}: {v}\r\n" for k, v in fixed.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, json: Any = None,
                      headers: dict[str, str] | None = None) -> LightResponse:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        body = b"" if json is None else msgspec.json.encode(json)
        head = f"{method} {self.prefix}{path} HTTP/1.1\r\n{self.fixed}content-length: {len(body)}\r\n"
        if json is not None:
            head += "content-type: application/json\r\n"
        if headers:
            head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.writer.write(head.encode() + b"\r\n" + body)
        assert self.reader is not None
        status_line, *lines = (await self.reader.readuntil(b"\r\n\r\n"))[:-4].split(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        length, chunked, close = 0, False, False
        for line in lines:  # the whole head in one read: one await, not one per header
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value:
                chunked = True
            elif name == b"connection" and value == b"close":
                close = True
        content = await (self._chunks() if chunked else self.reader.readexactly(length))
        if close:
            await self.aclose()
        return LightResponse(status, content)

    async def _chunks(self) -> bytes:
        assert self.reader is not None
        parts = []
        while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)
        await self.reader.readuntil(b"\r\n")
        return b"".join(parts)

    async def aclose(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = self.reader = None


def same_session(client: Any, csrf_header: str) -> LightClient:
    """A logged-in httpx client's session (cookies and CSRF header) on a LightClient."""
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    return LightClient(str(client.base_url), {"cookie": cookie,
                                              csrf_header: client.headers[csrf_header]})
