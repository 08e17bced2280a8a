"""Which failures answer 503 (a server cannot be used just now) rather than 500 (ADR 29).
The outage tests stop real servers; these pin the classification of what they raised once."""

from __future__ import annotations

import asyncpg
import pytest

from infra.http.problems import server_unavailable, unexpected_problem

LOST = asyncpg.exceptions.InterfaceError(
    "cannot call Connection.fetch(): connection has been released back to the pool")
CLOSED = asyncpg.exceptions.InterfaceError(
    "cannot call Transaction.rollback(): the underlying connection is closed")


def _raised_during(cause: BaseException, exc: BaseException) -> BaseException:
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize("exc", [
    LOST, CLOSED,
    # What Litestar raised when a dependency's clean-up failed after the handler's query did.
    _raised_during(LOST, ExceptionGroup("Exceptions occurred during cleanup", [CLOSED])),
    ExceptionGroup("cleanup", [ValueError("other"), CLOSED]),
    asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
])
def test_a_connection_the_server_closed_answers_503(exc: BaseException) -> None:
    status, code, _, headers = unexpected_problem(exc)
    assert (status, code) == (503, "unavailable")
    assert headers and headers["Retry-After"]


@pytest.mark.parametrize("exc", [
    asyncpg.exceptions.InterfaceError("cannot perform operation: another operation is in progress"),
    ExceptionGroup("cleanup", [ValueError("a bug")]),
    KeyError("a bug"),
])
def test_other_failures_stay_500(exc: BaseException) -> None:
    assert not server_unavailable(exc)
    assert unexpected_problem(exc)[:2] == (500, "server-error")


def test_a_group_whose_member_arose_from_the_group_is_read_once() -> None:
    """Exception chains can loop through a group (its member's context is the group)."""
    member = ValueError("clean-up failed")
    group = ExceptionGroup("cleanup", [member])
    member.__context__ = group
    assert unexpected_problem(group)[:2] == (500, "server-error")
