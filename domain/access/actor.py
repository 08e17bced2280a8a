"""Who is asking: the authenticated user, in their tenant, with their role."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Actor:
    user_id: UUID
    tenant_id: UUID
    role: str
    display_name: str = ""
    locale: str = "fr-CA"
