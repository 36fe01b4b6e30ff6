from __future__ import annotations

import marshmallow as ma

from service.domain.recurrence import zone
from service.models import SESSION_STATUSES, CircleSession
from service.schemas.base import ComputedString, PageArgs, StrictSchema, Trimmed


def _local_start(session: CircleSession) -> str:
    return session.starts_at.astimezone(zone(session.group.timezone)).replace(tzinfo=None).isoformat()


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
