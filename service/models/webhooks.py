"""Webhook endpoints where an organization receives events."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import db
from service.models.types import UTCDateTime, new_id, utcnow

WEBHOOK_EVENT_TYPES = (
    "incident.created",
    "incident.updated",
    "support.requested",
    "session.scheduled",
    "session.rescheduled",
    "session.cancelled",
    "session.started",
    "session.ended",
    "session.unattended",
    "registration.created",
    "registration.waitlisted",
    "registration.promoted",
)


class WebhookEndpoint(db.Model):
    __tablename__ = "webhook_endpoints"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(sa.String(2000))
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    # The signing secret must be readable to sign deliveries: it is kept sealed (service/sealing.py),
    # and only its start, to tell endpoints apart, is kept in clear.
    sealed_secret: Mapped[str] = mapped_column(sa.String(200))
    secret_hint: Mapped[str] = mapped_column(sa.String(16))
    event_types: Mapped[list[str]] = mapped_column(sa.JSON)
    enabled: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Its health, from every attempt to reach it (deliveries and on-call steps): never a response body.
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consecutive_failures: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(sa.String(32))
    last_status_code: Mapped[int | None] = mapped_column(sa.Integer)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the organization was told it is failing (cleared once told it recovered), and whether
    # any e-mail of that notice was accepted.
    failure_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failure_notice_delivered: Mapped[bool | None] = mapped_column(sa.Boolean)
