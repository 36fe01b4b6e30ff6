from __future__ import annotations

import marshmallow as ma

from service.models import ACTOR_KINDS
from service.schemas.base import PageArgs, StrictSchema


class AuditEntrySchema(StrictSchema):
    id = ma.fields.UUID()
    session_id = ma.fields.UUID()
    actor_kind = ma.fields.String(metadata={"enum": list(ACTOR_KINDS)})
    facilitator_id = ma.fields.UUID(allow_none=True, metadata={"description": "Who acted, for a facilitator"})
    facilitator_name = ma.fields.String(attribute="facilitator.name", allow_none=True, dump_default=None)
    api_key_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "The API key that acted, for the organization"}
    )
    action = ma.fields.String(metadata={"description": "The room event, e.g. seat:mute or room:end"})
    target_seat_id = ma.fields.String(allow_none=True, metadata={"description": "The seat acted on, if any"})
    detail = ma.fields.Dict(
        allow_none=True,
        metadata={"description": "Settings of the action (seconds, a norm's index); never content"},
    )
    created_at = ma.fields.AwareDateTime()


class AuditListArgs(PageArgs):
    pass


class RemovalSchema(StrictSchema):
    session_id = ma.fields.UUID()
    registration_id = ma.fields.UUID()
    seat_id = ma.fields.String(metadata={"description": "The person's seat in this session's room"})
    reason = ma.fields.String(metadata={"enum": ["removed", "barred"]})
