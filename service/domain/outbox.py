"""PLACEHOLDER (owned by S1, replaced at merge): the webhook outbox's enqueue call."""

from __future__ import annotations

import uuid

from service.models import WEBHOOK_EVENT_TYPES


def enqueue(organization_id: uuid.UUID, event_type: str, data: dict) -> None:
    """Record one event for webhook delivery in the caller's transaction (placeholder: records nothing)."""
    if event_type not in WEBHOOK_EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
