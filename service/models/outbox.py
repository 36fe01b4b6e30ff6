"""The webhook outbox: events to send, one delivery per endpoint, and every attempt at it."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.types import UTCDateTime, new_id, utcnow

DELIVERY_STATUSES = ("pending", "delivered", "failed")


class WebhookEvent(db.Model):
    """One event, with the exact body every delivery of it sends."""

    __tablename__ = "webhook_events"

    # Standard Webhooks' `webhook-id`: the same for every attempt, so receivers can deduplicate.
    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    event_type: Mapped[str] = mapped_column(sa.String(64))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookDelivery(db.Model):
    """One event on its way to one endpoint: pending until delivered or given up on."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        sa.Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    endpoint_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(sa.ForeignKey("webhook_events.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    # When a pending delivery is next due; a worker that claims it pushes this out by its lease,
    # so a delivery whose worker died becomes due again on its own.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(sa.String(64))
    # The retry schedule counts from here: the first enqueue, or the last redeliver.
    retry_started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retry_step: Mapped[int] = mapped_column(sa.Integer, default=0)
    attempt_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[WebhookEvent] = relationship(lazy="joined", innerjoin=True)
    # Oldest first. Read-only: the worker writes each attempt as a row of its own.
    attempts: Mapped[list[WebhookAttempt]] = relationship(
        order_by=lambda: (WebhookAttempt.attempted_at, WebhookAttempt.id), viewonly=True
    )


class WebhookAttempt(db.Model):
    """One try at a delivery: when, how long, and what came back (never a secret)."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (sa.Index("ix_webhook_attempts_delivery", "delivery_id", "attempted_at"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    delivery_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("webhook_deliveries.id", ondelete="CASCADE"))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int] = mapped_column(sa.Integer)
    status_code: Mapped[int | None] = mapped_column(sa.Integer)
    # Why no 2xx came back, as a short kind ("timeout", "connection_refused", "http_status", ...).
    error: Mapped[str | None] = mapped_column(sa.String(32))
    response_excerpt: Mapped[str | None] = mapped_column(sa.String(200))
