"""A client that sends its request slowly is answered 408 and disconnected, on the real
`barometre web` server (raw sockets: an HTTP library sends a request all at once)."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from infra.platform import Servers
from tests.reliability.conftest import barometre_env
from tests.reliability.web_process import web_process

HEAD_SECONDS, BODY_SECONDS = 1, 2


@pytest.fixture(scope="module")
def web_url(servers: Servers) -> Iterator[str]:
    env = {**barometre_env(servers), "BAROMETRE_REQUEST_HEAD_SECONDS": str(HEAD_SECONDS),
           "BAROMETRE_REQUEST_BODY_SECONDS": str(BODY_SECONDS)}
    with web_process(env) as url:
        yield url


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5)


def _trickle_until_closed(conn: socket.socket, first: bytes, drip: bytes,
                          limit: float) -> tuple[bytes, float]:
    """Sends `first`, then `drip` every 0.2 s, until the server closes the connection (or
    `limit` seconds pass); returns what the server sent and when it closed."""
    started, received = time.monotonic(), b""
    conn.sendall(first)
    conn.settimeout(0.2)
    while time.monotonic() - started < limit:
        try:
            chunk = conn.recv(65536)
        except TimeoutError:
            try:
                conn.sendall(drip)
            except OSError:  # closed by the server while we were writing
                break
            continue
        except ConnectionResetError:
            break
        if not chunk:
            break
        received += chunk
    return received, time.monotonic() - started


def _problem(answer: bytes) -> tuple[str, dict[str, str], dict[str, object]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode().split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines)
    return status, headers, json.loads(body)


def test_a_client_sending_its_headers_slowly_is_answered_408_and_disconnected(web_url):
    with _connect(web_url) as conn:
        answer, closed_after = _trickle_until_closed(
            conn, b"GET /health HTTP/1.1\r\nHost: x\r\n", b"X-Slow: 1\r\n", limit=HEAD_SECONDS + 5)

    assert closed_after < HEAD_SECONDS + 1.5
    status, headers, problem = _problem(answer)
    assert status == "HTTP/1.1 408 Request Timeout"
    assert headers["content-type"] == "application/problem+json"
    assert problem["status"] == 408 and "head" in str(problem["detail"])


def test_a_connection_that_sends_nothing_is_closed_after_the_head_deadline(web_url):
    with _connect(web_url) as conn:
        conn.settimeout(HEAD_SECONDS + 5)
        started = time.monotonic()
        answer = conn.recv(65536)
        while chunk := conn.recv(65536):
            answer += chunk
        assert time.monotonic() - started < HEAD_SECONDS + 1.5
    assert answer.startswith(b"HTTP/1.1 408 ")


def test_a_client_sending_its_body_slowly_is_answered_408_and_disconnected(web_url):
    head = (b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 200\r\n\r\n{")
    with _connect(web_url) as conn:
        answer, closed_after = _trickle_until_closed(conn, head, b" ", limit=BODY_SECONDS + 5)

    assert closed_after < BODY_SECONDS + 1.5
    status, _, problem = _problem(answer)
    assert status == "HTTP/1.1 408 Request Timeout"
    assert "body" in str(problem["detail"])


def test_requests_that_arrive_in_time_are_served_on_a_kept_alive_connection(web_url):
    request = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    with _connect(web_url) as conn:
        for _ in range(3):  # each one in pieces, then a pause longer than the head deadline
            conn.sendall(request[:10])
            time.sleep(0.3)
            conn.sendall(request[10:])
            answer = conn.recv(65536)
            while not answer.endswith(b'{"status":"ok"}'):  # the head and body may come apart
                answer += conn.recv(65536)
            assert answer.startswith(b"HTTP/1.1 200 "), answer
            time.sleep(HEAD_SECONDS + 0.5)  # idle between requests: uvicorn's keep-alive (5 s)
