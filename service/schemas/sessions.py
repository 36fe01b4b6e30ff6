from __future__ import annotations

from datetime import datetime
from typing import Any

import marshmallow as ma
import sqlalchemy as sa

from service.domain.recurrence import zone
from service.models import SESSION_STATUSES, CircleSession, Group
from service.schemas.base import ComputedString, PageArgs, StrictSchema, Trimmed


def _local_time(moment: datetime, timezone: str) -> str:
    return moment.astimezone(zone(timezone)).replace(tzinfo=None).isoformat()


def _local_start(session: CircleSession) -> str:
    return _local_time(session.starts_at, session.group.timezone)


class SessionSchema(StrictSchema):
    id = ma.fields.UUID()
    group_id = ma.fields.UUID()
    starts_at = ma.fields.AwareDateTime()
    ends_at = ma.fields.AwareDateTime()
    original_start = ma.fields.AwareDateTime(
        metadata={"description": "Where the series put this occurrence (its RECURRENCE-ID)"}
    )
    status = ma.fields.String(metadata={"description": "scheduled, live, ended or cancelled"})
    rescheduled = ma.fields.Boolean()
    cancel_reason = ma.fields.String(allow_none=True)
    timezone = ma.fields.String(attribute="group.timezone")
    local_start = ComputedString(
        _local_start, metadata={"description": "starts_at as local time in the group's zone"}
    )
    started_at = ma.fields.AwareDateTime(allow_none=True)
    ended_at = ma.fields.AwareDateTime(allow_none=True)
    unattended_at = ma.fields.AwareDateTime(
        allow_none=True,
        metadata={"description": "When the room clock found nobody had opened the room in time, or null"},
    )


# What SessionSchema dumps, as columns named like its fields: a page of sessions reads only
# these, in one statement, and `dump_session_row` shapes each row.
SESSION_COLUMNS: tuple[sa.ColumnElement, ...] = (
    CircleSession.id,
    CircleSession.group_id,
    CircleSession.starts_at,
    CircleSession.ends_at,
    CircleSession.original_start,
    CircleSession.status,
    CircleSession.rescheduled,
    CircleSession.cancel_reason,
    Group.timezone,
    CircleSession.started_at,
    CircleSession.ended_at,
    CircleSession.unattended_at,
)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def dump_session_row(row: sa.Row) -> dict[str, Any]:
    """SessionSchema's dump of a row of SESSION_COLUMNS, without marshmallow's work per field.

    Lists dump dozens of sessions a request, where marshmallow's field machinery was most of
    the cost; tests/api/test_sessions.py holds this to the schema's own answer, byte for byte.
    The keys are in sorted order, as the app's JSON writes them, so they need no sorting.
    """
    # Unpacked in SESSION_COLUMNS' order: a row's attributes are looked up by name, ten times slower.
    (
        session_id,
        group_id,
        starts_at,
        ends_at,
        original_start,
        status,
        rescheduled,
        cancel_reason,
        timezone,
        started_at,
        ended_at,
        unattended_at,
    ) = row
    starts = starts_at.isoformat()
    return {
        "cancel_reason": cancel_reason,
        "ended_at": _iso(ended_at),
        "ends_at": ends_at.isoformat(),
        "group_id": str(group_id),
        "id": str(session_id),
        "local_start": _local_time(starts_at, timezone),
        # Most sessions start where their series put them.
        "original_start": starts if original_start == starts_at else original_start.isoformat(),
        "rescheduled": rescheduled,
        "started_at": _iso(started_at),
        "starts_at": starts,
        "status": status,
        "timezone": timezone,
        "unattended_at": _iso(unattended_at),
    }


class SessionListArgs(PageArgs):
    group_id = ma.fields.UUID()
    from_ = ma.fields.AwareDateTime(data_key="from", metadata={"description": "Sessions ending after this"})
    to = ma.fields.AwareDateTime(metadata={"description": "Sessions starting before this"})
    status = ma.fields.String(validate=ma.validate.OneOf(SESSION_STATUSES))
    sort = ma.fields.String(load_default="starts_at", validate=ma.validate.OneOf(["starts_at", "-starts_at"]))


class GroupSessionListArgs(SessionListArgs):
    class Meta:
        exclude = ("group_id",)


class RescheduleSchema(StrictSchema):
    starts_at = ma.fields.AwareDateTime(required=True)
    duration_minutes = ma.fields.Integer(validate=ma.validate.Range(15, 120))


class CancelSchema(StrictSchema):
    reason = Trimmed(required=True, validate=ma.validate.Length(min=1, max=500))
