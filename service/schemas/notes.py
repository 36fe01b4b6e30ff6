"""Session notes: short, non-identifying, written in the console and read over the API."""

from __future__ import annotations

import marshmallow as ma

from service.models import NOTE_MAX_LENGTH
from service.schemas.base import StrictSchema, Trimmed


class NoteFormSchema(ma.Schema):
    """The console's note form (its CSRF token is checked, and left out, before loading)."""

    class Meta:
        unknown = ma.EXCLUDE

    body = Trimmed(
        required=True,
        validate=ma.validate.Length(min=1, max=NOTE_MAX_LENGTH),
        error_messages={"required": "Write a note first."},
    )


class SessionNoteSchema(StrictSchema):
    id = ma.fields.UUID()
    session_id = ma.fields.UUID()
    facilitator_id = ma.fields.UUID(allow_none=True)
    facilitator_name = ma.fields.String(attribute="facilitator.name", allow_none=True, dump_default=None)
    body = ma.fields.String(metadata={"description": "Themes, how the circle went, follow-ups: never names"})
    created_at = ma.fields.AwareDateTime()
