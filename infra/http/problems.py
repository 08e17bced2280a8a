"""One mapping from exceptions to RFC 9457 problem details, for the whole app."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
import eventsourcing.persistence
import psycopg
import redis.exceptions
from eventsourcing.persistence import IntegrityError
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from domain.errors import (
    AlreadyExists,
    DomainError,
    Forbidden,
    InvalidState,
    InvalidValue,
    NotFound,
)
from infra.bounded_waits import RETRY_AFTER_SECONDS, ServerUnavailable
from infra.http.texts import text_rule_errors
from services.accounts import InvalidCredentials

log = logging.getLogger("barometre.http")
PROBLEM_BASE = "https://barometre.example/problems/"
MEDIA_TYPE = "application/problem+json"

_STATUS: list[tuple[type[DomainError], int]] = [
    (InvalidCredentials, 401), (Forbidden, 403), (NotFound, 404), (AlreadyExists, 409),
    (InvalidState, 409), (InvalidValue, 422), (DomainError, 422),
]

# Titles in the user's language (French first); the detail says what exactly went wrong.
_TITLES: dict[str, dict[str, str]] = {
    "invalid-credentials": {"fr": "Identification refusée", "en": "Not authenticated"},
    "forbidden": {"fr": "Accès refusé", "en": "Forbidden"},
    "not-found": {"fr": "Introuvable", "en": "Not found"},
    "already-exists": {"fr": "Existe déjà", "en": "Already exists"},
    "invalid-state": {"fr": "Action impossible dans l'état actuel", "en": "Conflicts with the current state"},
    "version-conflict": {"fr": "Modification concurrente", "en": "Concurrent modification"},
    "invalid-value": {"fr": "Valeur invalide", "en": "Invalid value"},
    "domain-rule": {"fr": "Règle non respectée", "en": "Rule not met"},
    "bad-request": {"fr": "Requête invalide", "en": "Bad request"},
    "unauthenticated": {"fr": "Connexion requise", "en": "Authentication required"},
    "payload-too-large": {"fr": "Contenu trop volumineux", "en": "Payload too large"},
    "idempotency": {"fr": "Clé d'idempotence déjà utilisée", "en": "Idempotency key reused"},
    "csrf": {"fr": "Jeton anti-falsification manquant ou invalide", "en": "Missing or invalid CSRF token"},
    "too-many-attempts": {"fr": "Trop de tentatives", "en": "Too many attempts"},
    "server-error": {"fr": "Erreur interne", "en": "Internal server error"},
    "unavailable": {"fr": "Service momentanément indisponible", "en": "Service temporarily unavailable"},
    "request-timeout": {"fr": "Requête reçue trop lentement", "en": "Request received too slowly"},
    "http": {"fr": "Erreur", "en": "Error"},
}


class Problem(HTTPException):
    """An error raised by the HTTP layer itself, with its problem code."""

    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail=detail, status_code=status, headers=headers)
        self.code = code


def language_of(accept_language: str) -> str:
    """fr or en, from an Accept-Language header (French unless English comes first)."""
    return "en" if accept_language.lower().startswith("en") else "fr"


def language(request: Request[Any, Any, Any]) -> str:
    return language_of(request.headers.get("accept-language", "fr"))


def problem_body(status: int, code: str, detail: str, instance: str, lang: str) -> dict[str, Any]:
    return {"type": PROBLEM_BASE + code, "title": _TITLES.get(code, _TITLES["http"])[lang],
            "status": status, "detail": detail, "instance": instance}


def problem(request: Request[Any, Any, Any], status: int, code: str, detail: str,
            extra: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Response[Any]:
    body = {**problem_body(status, code, detail, request.url.path, language(request)),
            **(extra or {})}
    return Response(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def refused_problem(exc: DomainError) -> tuple[int, str, str]:
    """The status, code and detail of a domain error's problem."""
    return next(s for cls, s in _STATUS if isinstance(exc, cls)), exc.code, str(exc)


def on_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    return problem(request, *refused_problem(exc))


def on_integrity_error(request: Request[Any, Any, Any], exc: IntegrityError) -> Response[Any]:
    # Two writers saved the same aggregate version: the later one must not overwrite.
    return problem(request, 409, "version-conflict",
                   "the record was changed by someone else at the same time; reload and retry")


def on_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    code = getattr(exc, "code", None) or {400: "bad-request", 401: "unauthenticated",
                                          413: "payload-too-large"}.get(status, "http")
    detail = exc.detail
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list) and exc.extra:
        errors, text_rule_broken = text_rule_errors(exc.extra)
        if text_rule_broken:  # well-formed, but a text the domain would refuse (ADR 25)
            status, code = 422, "invalid-value"
        extra: dict[str, Any] | None = {"errors": errors}
        detail = "invalid request: " + "; ".join(
            f"{e.get('key', '?')}: {e.get('message', '')}" for e in errors if isinstance(e, dict))
    else:
        extra = None
        if status == 400 and ("JSON" in detail or "truncated" in detail):
            detail = f"the request body is not valid JSON ({detail})"
    return problem(request, status, code, detail, extra, exc.headers)


SERVER_ERROR = "an unexpected error occurred; the operator has been told"
UNAVAILABLE = "the platform cannot reach its database or its session store just now; try again shortly"

# What says PostgreSQL or Redis cannot be used just now (ADR 29): unreachable, shutting down or
# starting up, out of connections, or not answering within the bounded wait.
_UNAVAILABLE = (ServerUnavailable, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
                asyncpg.exceptions.PostgresConnectionError, asyncpg.exceptions.ConnectionDoesNotExistError,
                asyncpg.exceptions.InsufficientResourcesError, asyncpg.exceptions.OperatorInterventionError,
                asyncpg.exceptions.PostgresSystemError)
_UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53", "57", "58")  # connection, resources, shutdown, system


# asyncpg detaches a pooled connection the server closed while a request held it (a
# shutdown): the request's next call says the connection "has been released back to the
# pool", or that it "is closed".
_LOST_CONNECTION = ("connection has been released back to the pool", "connection is closed")


def _says_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, _UNAVAILABLE):
        return True
    if isinstance(exc, asyncpg.exceptions.InterfaceError):
        return any(words in str(exc) for words in _LOST_CONNECTION)
    if isinstance(exc, psycopg.OperationalError):  # none: no connection (refused, pool timeout)
        return exc.sqlstate is None or exc.sqlstate[:2] in _UNAVAILABLE_SQLSTATE_CLASSES
    # The library's own OperationalError wraps psycopg's (judged above), or stands alone.
    return isinstance(exc, eventsourcing.persistence.OperationalError) and exc.__cause__ is None


def server_unavailable(exc: BaseException) -> bool:
    """Whether the exception, one it arose from, or one of a group (Litestar groups what its
    dependencies' clean-up raised), says a server cannot be used just now."""
    to_see, seen = [exc], set()
    while to_see:
        current = to_see.pop()
        if id(current) in seen:  # a group's member may arise from the group: a cycle
            continue
        seen.add(id(current))
        if _says_unavailable(current):
            return True
        if isinstance(current, BaseExceptionGroup):
            to_see.extend(current.exceptions)
        if (origin := current.__cause__ or current.__context__) is not None:
            to_see.append(origin)
    return False


def unexpected_problem(exc: BaseException) -> tuple[int, str, str, dict[str, str] | None]:
    """Status, code, detail and headers of the answer to an exception no handler expects:
    503 with Retry-After while a server is unavailable, 500 otherwise."""
    if server_unavailable(exc):
        return 503, "unavailable", UNAVAILABLE, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return 500, "server-error", SERVER_ERROR, None


def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    status, code, detail, headers = unexpected_problem(exc)
    if status == 503:
        log.warning("unavailable on %s: %r", request.url.path, exc)  # expected: no traceback
    else:
        log.exception("unexpected error on %s", request.url.path)
    return problem(request, status, code, detail, headers=headers)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: on_domain_error,
    IntegrityError: on_integrity_error,
    HTTPException: on_http_exception,
    Exception: on_unexpected,
}
