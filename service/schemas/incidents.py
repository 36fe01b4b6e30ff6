from __future__ import annotations

import marshmallow as ma

from service.models import INCIDENT_STATUSES, NOTIFICATION_STATUSES, SEVERITIES
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
    notification_status = ma.fields.String(
        metadata={
            "description": "How far the on-call policy got: "
            + ", ".join(NOTIFICATION_STATUSES)
            + " (no_route: there was no route, so nobody was told)"
        }
    )
    follow_up_due_at = ma.fields.AwareDateTime(
        allow_none=True, metadata={"description": "When someone should follow the person up (the next day)"}
    )
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


class EscalationAttemptSchema(StrictSchema):
    id = ma.fields.UUID()
    purpose = ma.fields.String(metadata={"description": "page (the policy's step) or follow_up (a reminder)"})
    step = ma.fields.Integer(metadata={"description": "The position of the policy's step that was tried"})
    kind = ma.fields.String(metadata={"description": "webhook or email"})
    endpoint_id = ma.fields.UUID(allow_none=True)
    email = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "sending, delivered or failed"})
    error = ma.fields.String(allow_none=True, metadata={"description": "Why it failed, as a short kind"})
    status_code = ma.fields.Integer(allow_none=True)
    attempted_at = ma.fields.String()
    finished_at = ma.fields.String(allow_none=True)


class EmergencySchema(StrictSchema):
    region = ma.fields.String(allow_none=True)
    number = ma.fields.String(allow_none=True)
    instruction = ma.fields.String()


class NotificationSchema(StrictSchema):
    status = ma.fields.String(metadata={"description": "As `notification_status`"})
    delivered_to_step = ma.fields.Integer(allow_none=True, metadata={"description": "The last step reached"})
    next_step_at = ma.fields.String(allow_none=True, metadata={"description": "When the next step is tried"})
    acknowledged_by = ma.fields.Dict(
        allow_none=True,
        metadata={"description": "`{via: api, api_key_id}` or `{via: email, step, email}`"},
    )
    attempts = ma.fields.List(ma.fields.Nested(EscalationAttemptSchema))
    emergency = ma.fields.Nested(
        EmergencySchema,
        allow_none=True,
        metadata={"description": "Whom to call, when nobody was reached or nobody acknowledged"},
    )


class IncidentWithNotesSchema(IncidentSchema):
    notes = ma.fields.List(ma.fields.Nested(IncidentNoteSchema))
    notification = ma.fields.Nested(
        NotificationSchema, metadata={"description": "Every attempt to reach someone, and where it stands"}
    )


class IncidentListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(INCIDENT_STATUSES))
    severity = ma.fields.String(validate=ma.validate.OneOf(SEVERITIES))
    session_id = ma.fields.UUID()
    since = ma.fields.AwareDateTime(metadata={"description": "Incidents created at or after this"})
    follow_up = ma.fields.String(
        validate=ma.validate.OneOf(["overdue"]),
        metadata={"description": "`overdue`: unresolved incidents whose follow-up is due"},
    )
    sort = ma.fields.String(
        load_default="-created_at", validate=ma.validate.OneOf(["created_at", "-created_at"])
    )


class IncidentNoteCreateSchema(StrictSchema):
    text = Trimmed(required=True, validate=ma.validate.Length(min=1, max=NOTE_MAX_CHARS))
