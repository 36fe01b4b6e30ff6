"""A person's data as exported, the reference that names a person, and erasure records."""

from __future__ import annotations

import marshmallow as ma

from service.domain.people import SCOPES
from service.models import ALERT_KINDS
from service.schemas.base import ComputedDateTime, ComputedString, StrictSchema, Trimmed
from service.schemas.incidents import IncidentNoteSchema, IncidentSchema
from service.schemas.registrations import RegistrationSchema


class PersonRefSchema(StrictSchema):
    external_ref = Trimmed(
        required=True,
        validate=ma.validate.Length(min=1, max=200),
        metadata={"description": "Your own reference for the person, exactly as you registered them"},
    )


class ExportedAttendanceSchema(StrictSchema):
    session_id = ma.fields.UUID()
    group_id = ComputedString(lambda row: str(row.session.group_id), metadata={"format": "uuid"})
    session_starts_at = ComputedDateTime(lambda row: row.session.starts_at)
    registration_id = ma.fields.UUID()
    mode = ma.fields.String()
    joined_at = ma.fields.AwareDateTime()
    left_at = ma.fields.AwareDateTime(allow_none=True)
    agreement_accepted_at = ma.fields.AwareDateTime(allow_none=True)
    agreement_version = ma.fields.Integer(allow_none=True)
    check_in_rating = ma.fields.Integer(
        allow_none=True, metadata={"description": "How they were arriving (1-5), if they said"}
    )
    check_out_rating = ma.fields.Integer(
        allow_none=True, metadata={"description": "How they were leaving (1-5), if they said"}
    )


class ExportedSupportAlertSchema(StrictSchema):
    id = ma.fields.UUID()
    session_id = ma.fields.UUID()
    registration_id = ma.fields.UUID()
    kind = ma.fields.String(metadata={"enum": list(ALERT_KINDS)})
    display_name = ma.fields.String(metadata={"description": "The name they used in the room"})
    text = ma.fields.String(
        allow_none=True,
        metadata={"description": "The chat message of a risk alert while its session is live; then null"},
    )
    created_at = ma.fields.AwareDateTime()


class ExportedIncidentSchema(IncidentSchema):
    notes = ma.fields.List(ma.fields.Nested(IncidentNoteSchema))


class PersonExportSchema(StrictSchema):
    exported_at = ma.fields.AwareDateTime()
    external_ref = ma.fields.String(
        allow_none=True, metadata={"description": "The reference asked for; null for one registration"}
    )
    registrations = ma.fields.List(ma.fields.Nested(RegistrationSchema))
    attendance = ma.fields.List(
        ma.fields.Nested(ExportedAttendanceSchema), metadata={"description": "Oldest first, ratings included"}
    )
    support_alerts = ma.fields.List(ma.fields.Nested(ExportedSupportAlertSchema))
    incidents = ma.fields.List(
        ma.fields.Nested(ExportedIncidentSchema),
        metadata={"description": "By registration, and by reference once the registration is gone"},
    )


class ErasureCountsSchema(StrictSchema):
    registrations = ma.fields.Integer(metadata={"description": "Deleted, with their join link hashes"})
    attendance = ma.fields.Integer(metadata={"description": "Attendance rows deleted"})
    ratings_set_aside = ma.fields.Integer(
        metadata={"description": "Ratings of settled months kept for aggregates with no link to anyone"}
    )
    session_removals = ma.fields.Integer()
    support_alerts = ma.fields.Integer(metadata={"description": "Deleted"})
    incidents_unlinked = ma.fields.Integer(
        metadata={"description": "Kept, without registration, reference or pseudonym"}
    )
    webhook_events = ma.fields.Integer(
        metadata={"description": "Registration events deleted, incident events stripped of the person"}
    )


class ErasureSchema(StrictSchema):
    id = ma.fields.UUID()
    scope = ma.fields.String(
        metadata={"enum": list(SCOPES), "description": "One registration, or every one with a reference"}
    )
    api_key_id = ma.fields.UUID(allow_none=True, metadata={"description": "The key that asked"})
    counts = ma.fields.Nested(ErasureCountsSchema)
    erased_at = ma.fields.AwareDateTime()
