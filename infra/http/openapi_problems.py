"""Every operation's error answers in the OpenAPI document, as the server gives them.

The server answers every error as RFC 9457 problem details (`infra/http/problems.py`), for
reasons shared by all routes of a kind: a caller not logged in gets 401 anywhere; a path id
that names nothing gets 404; a body that is not valid gets 400 or 422; an outage gets 503.
`document_problems` writes those answers into the generated document once, from each
operation's shape (its method, parameters and body) and from the routes that declare
`opt={"rate_limited": True}`, so the document and the server cannot drift apart route by
route (ADR 33)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from litestar import Litestar
from litestar.enums import ParamType
from litestar.openapi.spec import (
    Components,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Parameter,
    Reference,
    Schema,
)

from infra.http.idempotency import MAX_KEY_LENGTH
from infra.http.problems import MEDIA_TYPE, PROBLEM_BASE

RATE_LIMITED = "rate_limited"  # route opt: answers 429 after too many wrong secrets
READS = ("get", "head")

_STRING = Schema(type=OpenAPIType.STRING)
PROBLEM = Schema(
    type=OpenAPIType.OBJECT, title="Problem",
    description="RFC 9457 problem details; the title is in the caller's language (French "
                "unless Accept-Language asks for English), the detail says what to do next.",
    required=["type", "title", "status", "detail", "instance"],
    properties={
        "type": Schema(type=OpenAPIType.STRING, format="uri", examples=[PROBLEM_BASE + "not-found"]),
        "title": _STRING, "detail": _STRING,
        "status": Schema(type=OpenAPIType.INTEGER, minimum=400, maximum=599),
        "instance": _STRING,
        "errors": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT),
                         description="For 400: each invalid field, its key and message."),
    })
_SECONDS = OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER, minimum=1), required=False,
                         description="How many seconds to wait before trying again.")

@dataclass(frozen=True)
class Shape:
    """What decides an operation's error answers."""

    method: str
    operation_id: str
    path_id: bool
    inputs: bool
    body: bool
    rate_limited: bool


@dataclass(frozen=True)
class ErrorAnswer:
    status: int
    applies: Callable[[Shape], bool]
    description: str
    retry_after: bool = False


ANSWERS = (
    ErrorAnswer(400, lambda s: s.inputs, "A parameter, a header or the JSON body is malformed "
                "(unknown field, wrong type, bad cursor); `errors` lists the fields."),
    ErrorAnswer(401, lambda s: True, "Not logged in, the session or token has ended, or the "
                "credentials are wrong."),
    ErrorAnswer(403, lambda s: s.operation_id != "login", "The caller's role, or the person's "
                "consent, does not allow this; or the CSRF token of a cookie session is missing."),
    ErrorAnswer(404, lambda s: s.path_id, "Nothing with this id in the caller's organization."),
    ErrorAnswer(409, lambda s: s.method not in READS, "The record changed since the version in "
                "If-Match, the thing exists already, or a request with this Idempotency-Key is "
                "still running."),
    ErrorAnswer(413, lambda s: s.body, "The body is larger than the server accepts."),
    ErrorAnswer(422, lambda s: s.method not in READS, "A value breaks a rule (out of range, "
                "empty, too long, control characters, a fourth star…); the detail says which."),
    ErrorAnswer(429, lambda s: s.rate_limited, "Too many wrong attempts: wait before trying "
                "again.", retry_after=True),
    ErrorAnswer(503, lambda s: True, "The database or Redis is unavailable for a moment: "
                "retry later.", retry_after=True),
)


def _shape(method: str, op: Operation, limited: set[str]) -> Shape:
    parameters = op.parameters or []
    return Shape(method, str(op.operation_id),
                 any(getattr(p, "param_in", None) == "path" for p in parameters),
                 bool(parameters) or op.request_body is not None, op.request_body is not None,
                 op.operation_id in limited)


COMMAND_VIEW = "#/components/schemas/CommandView"
_COMMAND_HEADERS = [
    Parameter(name="Idempotency-Key", param_in=ParamType.HEADER, required=False,
              schema=Schema(type=OpenAPIType.STRING, min_length=1, max_length=MAX_KEY_LENGTH),
              description="Sent again with a retry, the first answer comes back and nothing "
                          "is stored twice (kept 24 hours)."),
    Parameter(name="Prefer", param_in=ParamType.HEADER, required=False,
              schema=Schema(type=OpenAPIType.STRING, examples=["read-your-writes"]),
              description="`read-your-writes`: answer once every view has the change."),
]
_COMMAND_ANSWER_HEADERS = {
    "ETag": OpenAPIHeader(schema=_STRING, description="The record's new version, quoted."),
    "Preference-Applied": OpenAPIHeader(schema=_STRING, description="`read-your-writes` "
                                        "when every view has the change."),
    "Idempotent-Replayed": OpenAPIHeader(schema=_STRING, description="`true` when this is "
                                         "the first answer to an earlier identical request."),
}


def _declare_command_headers(op: Operation) -> None:
    """An operation that answers a CommandView runs through `run_command`: it takes an
    Idempotency-Key and Prefer, and its success names the version and what was applied."""
    for status in ("200", "201"):
        answer = (op.responses or {}).get(status)
        content = answer.content if isinstance(answer, OpenAPIResponse) else None
        media = (content or {}).get("application/json")
        if media is not None and isinstance(media.schema, Reference) \
                and media.schema.ref == COMMAND_VIEW:
            answer.headers = {**(answer.headers or {}), **_COMMAND_ANSWER_HEADERS}  # type: ignore[union-attr]
            op.parameters = [*(op.parameters or []), *_COMMAND_HEADERS]


def _response(description: str, retry: bool) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=description, headers={"Retry-After": _SECONDS} if retry else None,
        content={MEDIA_TYPE: OpenAPIMediaType(
            schema=Reference(ref="#/components/schemas/Problem"))})


def _rate_limited_ids(app: Litestar) -> set[str]:
    return {str(h.operation_id) for route in app.routes
            for h in getattr(route, "route_handlers", ())
            if h.opt.get(RATE_LIMITED) and isinstance(h.operation_id, str)}


def document_problems(app: Litestar) -> None:
    """Adds the Problem schema and each operation's error answers to the app's document
    (before it is first served: the served JSON is made from it once)."""
    document = app.openapi_schema
    document.components = document.components or Components()
    document.components.schemas = {**(document.components.schemas or {}), "Problem": PROBLEM}
    limited = _rate_limited_ids(app)
    for item in (document.paths or {}).values():
        for method in ("get", "head", "post", "put", "patch", "delete"):
            op: Operation | None = getattr(item, method, None)
            if op is None:
                continue
            if isinstance(no_content := (op.responses or {}).get("204"), OpenAPIResponse):
                no_content.content = None  # a 204 has no body, whatever the handler returns
            _declare_command_headers(op)
            shape = _shape(method, op, limited)
            op.responses = {**(op.responses or {}), **{
                str(a.status): _response(a.description, a.retry_after)
                for a in ANSWERS if a.applies(shape)}}
