"""The tenant of the current unit of work, carried to the event store by a context variable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID

_current_tenant: ContextVar[UUID | None] = ContextVar("barometre_tenant", default=None)


class NoTenantInScope(RuntimeError):
    """Raised when storage is reached outside of a tenant scope: isolation fails closed."""


@contextmanager
def tenant_scope(tenant_id: UUID) -> Iterator[UUID]:
    token = _current_tenant.set(tenant_id)
    try:
        yield tenant_id
    finally:
        _current_tenant.reset(token)


def current_tenant() -> UUID:
    tenant_id = _current_tenant.get()
    if tenant_id is None:
        raise NoTenantInScope("no tenant is in scope for this unit of work")
    return tenant_id
