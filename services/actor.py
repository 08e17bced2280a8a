"""Who is asking: the domain's `Actor`, named here for the many callers of the services."""

from __future__ import annotations

from domain.access.actor import Actor

__all__ = ["Actor"]
