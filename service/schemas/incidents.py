from __future__ import annotations

import marshmallow as ma

from service.models import INCIDENT_STATUSES, SEVERITIES
from service.schemas.base import PageArgs, StrictSchema, Trimmed

NOTE_MAX_CHARS = 4000


class IncidentNoteSchema(StrictSchema):
    id = ma.fields.UUID()
    text = ma.fields.String()
    author = ma.fields.String(
        metadata={"description": "Always `organization`: notes are written through the API"}
    )
    api_key_id = ma.fields.UUID(allow_none=True, metadata={"description": "The key that wrote the note"})
    created_at = ma.fields.AwareDateTime()


class IncidentSchema(StrictSchema):
    id = ma.fields.UUID()
    session_id = ma.fields.UUID(allow_none=True)
    registration_id = ma.fields.UUID(allow_none=True)
    seat_id = ma.fields.String(metadata={"description": "The person's seat in the session's room"})
    pseudonym = ma.fields.String(metadata={"description": "The display name the person used in the room"})
    external_ref = ma.fields.String(
        allow_none=True, metadata={"description": "The organization's own reference for the person"}
    )
    severity = ma.fields.String(metadata={"description": "low, medium, high or critical"})
    observed = ma.fields.String(metadata={"description": "What the facilitator (or the server) observed"})
    escalated_by = ma.fields.String(
        metadata={"description": "The id of the facilitator who escalated, or `system` when nobody answered"}
    )
    source_alert_id = ma.fields.UUID(allow_none=True)
    status = ma.fields.String(metadata={"description": "open, acknowledged or resolved"})
    acknowledged_at = ma.fields.AwareDateTime(allow_none=True)
    acknowledged_by = ma.fields.UUID(
        allow_none=True, metadata={"description": "The API key that acknowledged"}
    )
    resolved_at = ma.fields.AwareDateTime(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


class IncidentWithNotesSchema(IncidentSchema):
    notes = ma.fields.List(ma.fields.Nested(IncidentNoteSchema))


class IncidentListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(INCIDENT_STATUSES))
    severity = ma.fields.String(validate=ma.validate.OneOf(SEVERITIES))
    session_id = ma.fields.UUID()
    since = ma.fields.AwareDateTime(metadata={"description": "Incidents created at or after this"})
    sort = ma.fields.String(
        load_default="-created_at", validate=ma.validate.OneOf(["created_at", "-created_at"])
    )


class IncidentNoteCreateSchema(StrictSchema):
    text = Trimmed(required=True, validate=ma.validate.Length(min=1, max=NOTE_MAX_CHARS))
