"""`python -m infra.web`: the API and the pages served by uvicorn (see infra/web/server.py)."""

from infra.web.server import serve

raise SystemExit(serve())
