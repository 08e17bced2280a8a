"""The pages' routes and assets, for the composition root (infra/http/app.py)."""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

from infra.web.home import HomePages
from infra.web.record_pages import RecordPages
from infra.web.sign_in import SignInPages

STATIC = Path(__file__).parent / "static"
STATIC_PATH = "/static"


def web_routes() -> list[type | Router]:
    """The pages (out of the OpenAPI document) and `/static`, the assets the platform serves
    itself: its stylesheet and the vendored libraries at pinned versions (no CDN)."""
    assets = create_static_files_router(path=STATIC_PATH, directories=[STATIC],
                                        cache_control=CacheControlHeader(max_age=3600),
                                        include_in_schema=False)
    return [SignInPages, HomePages, RecordPages, assets]
