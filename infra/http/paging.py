"""The page parameters every list route takes (`limit`, `cursor`) and the headers a page is
answered with (`Link: <…>; rel="next"` and `Next-Cursor`), ADR 30.

A list stays a JSON array; a next page exists exactly when `Next-Cursor` is present. A
`limit` outside 1..MAX_LIMIT and a cursor this API did not give out for this list are a 400
problem naming the parameter, never clamped or ignored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from litestar import Request, Response
from litestar.datastructures import ResponseHeader
from litestar.params import Parameter

from infra.http.problems import Problem
from projections.paging import DEFAULT_LIMIT, MAX_CURSOR, MAX_LIMIT, Keyset

T = TypeVar("T")

Limit: Any = Parameter(ge=1, le=MAX_LIMIT, default=DEFAULT_LIMIT,
                       description=f"rows per page, 1 to {MAX_LIMIT}")
Cursor: Any = Parameter(default=None, max_length=MAX_CURSOR,
                        description="where the page starts: the Next-Cursor of the previous page")
PAGE_HEADERS = [
    ResponseHeader(name="Next-Cursor", required=False, documentation_only=True,
                   description="present when there is a next page: pass it as `cursor`"),
    ResponseHeader(name="Link", required=False, documentation_only=True,
                   description='the next page\'s URL, rel="next" (RFC 8288)'),
]


def after(keyset: Keyset, cursor: str | None, parameter: str = "cursor") -> tuple[Any, ...] | None:
    """The key a page starts after; a 400 problem for a cursor that is not this list's."""
    if cursor is None:
        return None
    try:
        return keyset.decode(cursor)
    except ValueError:
        raise Problem(400, "bad-request",
                      f"`{parameter}` is not a cursor this API gave out for this list") from None


def page_headers(request: Request[Any, Any, Any], next_cursor: str | None,
                 parameter: str = "cursor") -> dict[str, str]:
    if next_cursor is None:
        return {}
    query = {k: v for k, v in request.query_params.items() if k != parameter}
    url = f"{request.url.path}?{urlencode({**query, parameter: next_cursor})}"
    return {"Next-Cursor": next_cursor, "Link": f'<{url}>; rel="next"'}


def page(request: Request[Any, Any, Any], items: Sequence[T],
         next_cursor: str | None) -> Response[list[T]]:
    """A list answered as a JSON array, with the next page in its headers."""
    return Response(list(items), headers=page_headers(request, next_cursor))
