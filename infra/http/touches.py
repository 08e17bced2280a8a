"""What a route on a person's record touches: the part of the record and the action, declared
on the route (`opt=touches(PLAN, WRITE)`) and read by the consent guard; and the start-up
check that every route with a `person_id` in its path declares a known one (ADR 37)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from litestar.exceptions import ImproperlyConfiguredException
from litestar.handlers import BaseRouteHandler
from litestar.routes import HTTPRoute

from domain.access.policy import ACTIONS, PAGES, READ, WRITE

TOUCHES = "touches"  # the route handler's opt key
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Touches:
    """A part of the record (a tab or page of domain.access.policy) and READ or WRITE."""

    page: str
    action: str


def touches(page: str, action: str) -> dict[str, Touches]:
    """The `opt` of a route on a person's record: `@get(..., opt=touches(PLAN, READ))`."""
    return {TOUCHES: Touches(page, action)}


def declared(route_handler: BaseRouteHandler) -> Touches | None:
    touched = route_handler.opt.get(TOUCHES)
    return touched if isinstance(touched, Touches) else None


def check_routes_declare_touches(routes: Iterable[Any]) -> None:
    """Raises, naming the route, if a route whose path takes a `person_id` declares nothing, an
    unknown page or action, or READ on a method that changes something; or if a route that
    takes no `person_id` declares something (no guard would decide on it). Litestar's own
    OPTIONS answer on a record path touches the path's page as a write, as any method but
    GET and HEAD did before routes declared (it needs the same consent as the path's writes)."""
    for route in routes:
        if not isinstance(route, HTTPRoute):
            continue
        on_record = "person_id" in route.path_parameters
        # Litestar's OPTIONS last, whatever the registration order: a route that declares
        # nothing is then named by its own message, not by its path's missing page.
        for handler in sorted(route.route_handlers, key=_is_litestar_options):
            if on_record and _is_litestar_options(handler) and declared(handler) is None:
                handler.opt[TOUCHES] = Touches(_page_of_path(route), WRITE)
            _check(route.path, handler, on_record)


def _check(path: str, handler: BaseRouteHandler, on_record: bool) -> None:
    touched, name = declared(handler), f"{handler.handler_name} ({path})"
    if not on_record:
        if touched is not None:
            raise ImproperlyConfiguredException(
                f"route {name} declares {touched} but its path takes no person_id")
        return
    if touched is None:
        raise ImproperlyConfiguredException(
            f"route {name} takes a person_id but declares no part of the record it touches: "
            "add opt=touches(<page>, READ or WRITE) (infra/http/touches.py)")
    if touched.page not in PAGES:
        raise ImproperlyConfiguredException(
            f"route {name} declares an unknown page {touched.page!r}: pages are "
            + ", ".join(PAGES))
    if touched.action not in ACTIONS:
        raise ImproperlyConfiguredException(
            f"route {name} declares an unknown action {touched.action!r}: READ or WRITE")
    methods = set(getattr(handler, "http_methods", ()))
    if touched.action == READ and methods - SAFE_METHODS:
        raise ImproperlyConfiguredException(
            f"route {name} changes something ({', '.join(sorted(methods))}) but declares READ")


def _is_litestar_options(handler: BaseRouteHandler) -> bool:
    """The OPTIONS handler Litestar adds to every path (its Allow header)."""
    return getattr(handler.fn, "__qualname__", "").startswith("HTTPRoute.create_options_handler")


def _page_of_path(route: HTTPRoute) -> str:
    pages = {t.page for h in route.route_handlers if (t := declared(h)) is not None}
    if len(pages) != 1:
        raise ImproperlyConfiguredException(
            f"the routes of {route.path} must declare one page, not {sorted(pages) or 'none'}")
    return pages.pop()
