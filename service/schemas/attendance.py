"""Attendance as the organization reads it: presence and agreement, never a rating."""

from __future__ import annotations

import marshmallow as ma

from service.models import Attendance
from service.schemas.base import ComputedBoolean, ComputedString, PageArgs, StrictSchema


def _external_ref(attendance: Attendance) -> str | None:
    return attendance.registration.external_ref if attendance.registration else None


class AttendanceSchema(StrictSchema):
    id = ma.fields.UUID()
    session_id = ma.fields.UUID()
    group_id = ma.fields.UUID(attribute="session.group_id")
    registration_id = ma.fields.UUID(allow_none=True, metadata={"description": "Null for a facilitator"})
    external_ref = ComputedString(
        _external_ref,
        allow_none=True,
        metadata={"description": "The organization's own reference of the registration"},
    )
    facilitator_id = ma.fields.UUID(allow_none=True, metadata={"description": "Null for a participant"})
    mode = ma.fields.String(metadata={"description": "The way of taking part, as they last joined"})
    joined_at = ma.fields.AwareDateTime()
    left_at = ma.fields.AwareDateTime(allow_none=True, metadata={"description": "The last departure"})
    agreement_accepted = ComputedBoolean(lambda attendance: attendance.agreement_accepted_at is not None)
    agreement_accepted_at = ma.fields.AwareDateTime(allow_none=True)
    agreement_version = ma.fields.Integer(
        allow_none=True, metadata={"description": "The group's agreement_version that was accepted"}
    )


class AttendanceFilterArgs(ma.Schema):
    group_id = ma.fields.UUID()
    from_ = ma.fields.AwareDateTime(
        data_key="from", metadata={"description": "Sessions starting at or after this"}
    )
    to = ma.fields.AwareDateTime(metadata={"description": "Sessions starting before this"})

    @ma.validates_schema
    def _ordered(self, data, **kwargs):
        if "from_" in data and "to" in data and data["to"] <= data["from_"]:
            raise ma.ValidationError("Must be after `from`.", "to")


class AttendanceListArgs(PageArgs, AttendanceFilterArgs):
    """The filters, a page at a time."""
