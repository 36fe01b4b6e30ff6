"""The webhook outbox: events recorded with the change that caused them, and redelivery."""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from service.domain.errors import Conflict, NotFound
from service.domain.lookup import get_owned
from service.domain.webhooks import get_endpoint
from service.extensions import db
from service.models import (
    WEBHOOK_EVENT_TYPES,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    utcnow,
)

EVENT_ID_PREFIX = "msg_"


def new_event_id() -> str:
    """A Standard Webhooks message id: `msg_` and 128 random bits."""
    return EVENT_ID_PREFIX + secrets.token_hex(16)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} does not belong in a webhook payload")


def enqueue(organization_id: uuid.UUID, event_type: str, data: dict[str, Any]) -> None:
    """Record an event for every enabled endpoint of the organization that wants it (no commit).

    It is written in the caller's transaction, so it exists exactly when the change it reports does.
    `data` carries ids and times only: never names, emails, chat or join tokens.
    """
    if event_type not in WEBHOOK_EVENT_TYPES:
        raise ValueError(f"Unknown webhook event type {event_type!r}")
    endpoints = db.session.execute(
        db.select(WebhookEndpoint).where(
            WebhookEndpoint.organization_id == organization_id, WebhookEndpoint.enabled.is_(True)
        )
    ).scalars()
    subscribed = [endpoint for endpoint in endpoints if event_type in endpoint.event_types]
    if not subscribed:
        return
    now = utcnow()
    event = WebhookEvent(
        id=new_event_id(),
        organization_id=organization_id,
        event_type=event_type,
        body=json.dumps(
            {"type": event_type, "timestamp": now.isoformat(), "data": data},
            separators=(",", ":"),
            default=_json_value,
        ),
        created_at=now,
    )
    db.session.add(event)
    for endpoint in subscribed:
        db.session.add(
            WebhookDelivery(
                organization_id=organization_id,
                endpoint_id=endpoint.id,
                event_id=event.id,
                status="pending",
                next_attempt_at=now,
                retry_started_at=now,
                created_at=now,
            )
        )


def get_delivery(
    organization_id: uuid.UUID, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
) -> WebhookDelivery:
    """A delivery of the organization's endpoint; another endpoint's or organization's is not found."""
    get_endpoint(organization_id, endpoint_id)
    delivery = get_owned(WebhookDelivery, organization_id, delivery_id, "delivery")
    if delivery.endpoint_id != endpoint_id:
        raise NotFound("No such delivery.")
    return delivery


def redeliver(
    organization_id: uuid.UUID, endpoint_id: uuid.UUID, delivery_id: uuid.UUID, now: datetime
) -> WebhookDelivery:
    """Send a delivery again now, whatever became of it, with a fresh retry schedule."""
    endpoint = get_endpoint(organization_id, endpoint_id)
    if not endpoint.enabled:
        raise Conflict("This endpoint is disabled; enable it before redelivering to it.")
    delivery = get_delivery(organization_id, endpoint_id, delivery_id)
    delivery.status = "pending"
    delivery.next_attempt_at = now
    # A worker still busy with an earlier claim records its attempt but no longer decides the outcome.
    delivery.claim_token = None
    delivery.retry_started_at = now
    delivery.retry_step = 0
    delivery.delivered_at = None
    delivery.failed_at = None
    db.session.commit()
    return delivery


def delete_events(event_ids: list[str]) -> None:
    """Delete webhook events with their deliveries and attempts (children first: SQLite has no cascade)."""
    if not event_ids:
        return
    deliveries = db.select(WebhookDelivery.id).where(WebhookDelivery.event_id.in_(event_ids))
    db.session.execute(sa.delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(deliveries)))
    db.session.execute(sa.delete(WebhookDelivery).where(WebhookDelivery.event_id.in_(event_ids)))
    db.session.execute(sa.delete(WebhookEvent).where(WebhookEvent.id.in_(event_ids)))
