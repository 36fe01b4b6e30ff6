from __future__ import annotations

import marshmallow as ma

from service.models import WEBHOOK_EVENT_TYPES
from service.schemas.base import StrictSchema, Trimmed


def _no_duplicates(values: list[str]) -> None:
    if len(set(values)) != len(values):
        raise ma.ValidationError("Name each event type once.")


def _event_types(**kwargs) -> ma.fields.List:
    return ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(WEBHOOK_EVENT_TYPES)),
        validate=[ma.validate.Length(min=1), _no_duplicates],
        metadata={"description": "The events to send here (at least one)"},
        **kwargs,
    )


class WebhookCreateSchema(StrictSchema):
    url = Trimmed(required=True, validate=ma.validate.Length(min=1, max=2000))
    event_types = _event_types(required=True)
    description = Trimmed(load_default="", validate=ma.validate.Length(max=500))
    secret = ma.fields.String(
        validate=ma.validate.Length(max=200),
        metadata={"description": "whsec_ + base64 of 32 random bytes; generated when left out"},
    )


class WebhookUpdateSchema(StrictSchema):
    url = Trimmed(validate=ma.validate.Length(min=1, max=2000))
    event_types = _event_types()
    description = Trimmed(validate=ma.validate.Length(max=500))
    enabled = ma.fields.Boolean()


class WebhookSchema(StrictSchema):
    id = ma.fields.UUID()
    url = ma.fields.String()
    event_types = ma.fields.List(ma.fields.String())
    description = ma.fields.String()
    enabled = ma.fields.Boolean()
    secret_prefix = ma.fields.String(metadata={"description": "The start of the signing secret"})
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


class WebhookWithSecretSchema(WebhookSchema):
    secret = ma.fields.String(metadata={"description": "The signing secret. Shown in this response only."})
