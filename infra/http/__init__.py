"""The HTTP API (Litestar, JSON under /api/v1) and its cross-cutting concerns."""
