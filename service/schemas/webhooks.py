from __future__ import annotations

import json
from datetime import datetime

import marshmallow as ma
from flask import current_app

from service.domain import endpoint_health
from service.models import DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, WebhookDelivery, WebhookEndpoint, utcnow
from service.schemas.base import (
    ComputedDateTime,
    ComputedDict,
    JsonBoolean,
    PageArgs,
    StrictSchema,
    Trimmed,
)


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
    url = Trimmed(required=True, validate=ma.validate.Length(max=2000))
    event_types = _event_types(required=True)
    description = Trimmed(load_default="", validate=ma.validate.Length(max=500))
    # Its form (and so its length) is the domain's rule: webhooks.create_endpoint checks it.
    secret = ma.fields.String(
        metadata={"description": "whsec_ + base64 of 32 random bytes; generated when left out"}
    )


class WebhookUpdateSchema(StrictSchema):
    url = Trimmed(validate=ma.validate.Length(max=2000))
    event_types = _event_types()
    description = Trimmed(validate=ma.validate.Length(max=500))
    enabled = JsonBoolean()


def _health(endpoint: WebhookEndpoint) -> dict:
    return endpoint_health.view(endpoint, utcnow(), endpoint_health.down_after_of(current_app.config))


class WebhookSchema(StrictSchema):
    id = ma.fields.UUID()
    url = ma.fields.String()
    event_types = ma.fields.List(ma.fields.String())
    description = ma.fields.String()
    enabled = ma.fields.Boolean()
    secret_prefix = ma.fields.String(
        attribute="secret_hint", metadata={"description": "The start of the signing secret"}
    )
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    health = ComputedDict(
        _health,
        metadata={
            "description": "Whether the endpoint is being reached, from every attempt (deliveries and "
            "on-call steps): status (untried, healthy, failing or down), failing_since, "
            "consecutive_failures, last_error (its kind, never the response), last_status_code, "
            "last_success_at, and organization_told_at (when the on-call policy's e-mail steps were "
            "told it is down; null unless an e-mail was accepted)"
        },
    )


class WebhookWithSecretSchema(WebhookSchema):
    secret = ma.fields.String(metadata={"description": "The signing secret. Shown in this response only."})


class DeliveryListArgs(PageArgs):
    status = ma.fields.String(
        validate=ma.validate.OneOf(DELIVERY_STATUSES),
        metadata={"description": "Only deliveries in this state: pending, delivered or failed"},
    )


def _next_attempt_at(delivery: WebhookDelivery) -> datetime | None:
    return delivery.next_attempt_at if delivery.status == "pending" else None


class DeliverySchema(StrictSchema):
    id = ma.fields.UUID()
    endpoint_id = ma.fields.UUID()
    event_id = ma.fields.String(
        metadata={"description": "The `webhook-id` header: the same on every attempt"}
    )
    event_type = ma.fields.String(attribute="event.event_type")
    status = ma.fields.String(metadata={"description": "pending, delivered or failed"})
    attempt_count = ma.fields.Integer()
    next_attempt_at = ComputedDateTime(
        _next_attempt_at, allow_none=True, metadata={"description": "When a pending delivery is next tried"}
    )
    last_attempt_at = ma.fields.AwareDateTime(allow_none=True)
    delivered_at = ma.fields.AwareDateTime(allow_none=True)
    failed_at = ma.fields.AwareDateTime(
        allow_none=True, metadata={"description": "When retries stopped, at least 24 hours after they began"}
    )
    created_at = ma.fields.AwareDateTime()


class AttemptSchema(StrictSchema):
    attempted_at = ma.fields.AwareDateTime()
    duration_ms = ma.fields.Integer()
    status_code = ma.fields.Integer(allow_none=True, metadata={"description": "The receiver's HTTP status"})
    error = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Why it failed: http_status, timeout, connection_refused, dns_error, "
            "tls_error, address_not_allowed, connection_error or secret_unreadable (this deployment's key "
            "cannot open the endpoint's stored secret; nothing was sent)"
        },
    )
    response_excerpt = ma.fields.String(
        allow_none=True, metadata={"description": "The start of a failed response's body (200 characters)"}
    )


class DeliveryDetailSchema(DeliverySchema):
    payload = ComputedDict(
        lambda delivery: json.loads(delivery.event.body),
        metadata={"description": "The body that is sent: type, timestamp and data"},
    )
    attempts = ma.fields.List(ma.fields.Nested(AttemptSchema), metadata={"description": "Oldest first"})
