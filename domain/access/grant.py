"""A grant as the policy reads it: one tab of one person's record, to one grantee."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class Grant:
    """Current consent as the read side holds it: one grant, for one tab. It counts while
    unrevoked and before `until` (exclusive); `level` is read or co_edit."""

    grant_id: UUID
    person_id: UUID
    grantee_kind: str
    grantee_id: UUID
    tab: str
    level: str
    until: datetime | None
    revoked_at: datetime | None
