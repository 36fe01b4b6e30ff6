"""Payloads of the client events, validated before anything changes."""

from __future__ import annotations

import json
import re

import marshmallow as ma

from service.domain.modes import MODE_NAMES as MODES
from service.live.chat import CHAT_MAX_CHARS, REACTIONS
from service.live.moderation import BREATH_SECONDS
from service.live.private import PRIVATE_MAX_CHARS
from service.models import SEVERITIES
from service.rooms.state import FLOOR_MODES, QUEUE_ORDERS, RESPONSES, ROUND_KINDS
from service.schemas.base import StrictSchema, Trimmed

# Generous for a session description with audio and video, small enough to be no relay for bulk data.
SIGNAL_MAX_BYTES = 32 * 1024
SIGNAL_KINDS = ("offer", "answer", "candidate")
OBSERVED_MAX_CHARS = 2000

# Control characters other than line breaks and tabs have no place in plain text.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _plain(text: str) -> None:
    if CONTROL.search(text):
        raise ma.ValidationError("Control characters are not allowed.")


class StrictBoolean(ma.fields.Boolean):
    """A JSON true or false, nothing that merely looks like one (1 == True in Python sets)."""

    def _deserialize(self, value: object, attr: str | None, data: object, **kwargs: object) -> bool:
        if not isinstance(value, bool):
            raise ma.ValidationError("Not a boolean.")
        return value


class Empty(StrictSchema):
    """An event that carries nothing."""


class AgreeSchema(StrictSchema):
    display_name = Trimmed(required=True, validate=[ma.validate.Length(min=1, max=40), _plain])
    mode = ma.fields.String(required=True, validate=ma.validate.OneOf(MODES))


class SeatSchema(StrictSchema):
    seat_id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))


class LockSchema(StrictSchema):
    locked = StrictBoolean(required=True)


class ModeSchema(StrictSchema):
    mode = ma.fields.String(required=True, validate=ma.validate.OneOf(MODES))


class LowerHandSchema(StrictSchema):
    seat_id = ma.fields.String(validate=ma.validate.Length(min=1, max=64))


class PassFloorSchema(StrictSchema):
    to = ma.fields.String(allow_none=True, validate=ma.validate.Length(min=1, max=64))


class ResponseSchema(StrictSchema):
    preference = ma.fields.String(required=True, validate=ma.validate.OneOf(RESPONSES))


class ReactionSchema(StrictSchema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(REACTIONS))


class ChatSchema(StrictSchema):
    text = Trimmed(required=True, validate=[ma.validate.Length(min=1, max=CHAT_MAX_CHARS), _plain])


def _small(data: dict) -> None:
    if len(json.dumps(data)) > SIGNAL_MAX_BYTES:
        raise ma.ValidationError(f"At most {SIGNAL_MAX_BYTES} bytes.")


class SignalSchema(StrictSchema):
    to = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(SIGNAL_KINDS))
    data = ma.fields.Dict(keys=ma.fields.String(), required=True, validate=_small)


class FloorModeSchema(StrictSchema):
    mode = ma.fields.String(required=True, validate=ma.validate.OneOf(FLOOR_MODES))


class RoundSchema(StrictSchema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(ROUND_KINDS))


class QueueOrderSchema(StrictSchema):
    order = ma.fields.String(required=True, validate=ma.validate.OneOf(QUEUE_ORDERS))


class ShareTimerSchema(StrictSchema):
    seconds = ma.fields.Integer(
        required=True, allow_none=True, strict=True, validate=ma.validate.Range(30, 1800)
    )


class MuteSchema(StrictSchema):
    seat_id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    muted = StrictBoolean(required=True)


class ChatPauseSchema(StrictSchema):
    paused = StrictBoolean(required=True)


class AlertSchema(StrictSchema):
    alert_id = ma.fields.UUID(required=True)


class IncidentStatusSchema(StrictSchema):
    incident_id = ma.fields.UUID(required=True)


class EscalateSchema(StrictSchema):
    seat_id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    severity = ma.fields.String(required=True, validate=ma.validate.OneOf(SEVERITIES))
    observed = Trimmed(required=True, validate=[ma.validate.Length(min=1, max=OBSERVED_MAX_CHARS), _plain])
    alert_id = ma.fields.UUID(load_default=None, allow_none=True)


class EndSchema(StrictSchema):
    notice = StrictBoolean(load_default=False)


class MuteAllSchema(StrictSchema):
    muted = StrictBoolean(required=True)


class NormRemindSchema(StrictSchema):
    norm = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=0))
    seat_id = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(min=1, max=64))


class MessageIdSchema(StrictSchema):
    id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))


class BreathSchema(StrictSchema):
    seconds = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(*BREATH_SECONDS))


class PrivateSchema(StrictSchema):
    to = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    text = Trimmed(required=True, validate=[ma.validate.Length(min=1, max=PRIVATE_MAX_CHARS), _plain])


class RatingSchema(StrictSchema):
    rating = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(1, 5))
