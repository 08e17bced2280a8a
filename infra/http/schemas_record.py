"""Bodies of the record-wide views: the summary of the four tabs and the timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from infra.http.schemas import AssessmentSummary, CurrentRating, Priority, SphereAverage
from infra.http.schemas_network import RelationshipView
from infra.http.schemas_plan import GoalView
from infra.http.schemas_strengths import StrengthView


class QualityOfLifeSummary(msgspec.Struct):
    latest_assessment: AssessmentSummary | None
    sphere_averages: list[SphereAverage]
    current_ratings: list[CurrentRating]
    priorities: list[Priority]


class RecordSummary(msgspec.Struct):
    """The current state of every tab the caller may read; the others are null."""

    person_id: UUID
    tabs: list[str]
    quality_of_life: QualityOfLifeSummary | None
    social_network: list[RelationshipView] | None
    strengths: list[StrengthView] | None
    plan: list[GoalView] | None
    # Lists cut at their route's first page: current_ratings, priorities, relationships,
    # strengths or goals -> the cursor that continues them on that route.
    more: dict[str, str] = msgspec.field(default_factory=dict)


class TimelineEntry(msgspec.Struct):
    application: str
    notification_id: int
    tab: str
    kind: str
    subject_id: UUID
    author_id: UUID | None
    at: datetime
    details: dict[str, Any]


class TimelinePage(msgspec.Struct):
    """Newest first; pass next_cursor as `before` for the next page (null: no more)."""

    entries: list[TimelineEntry]
    next_cursor: str | None
