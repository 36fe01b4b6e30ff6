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
    # When it was noticed to be down, so that the organization is owed a notice (cleared once it
    # is reached again), and when an e-mail of that notice was accepted.
    failure_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failure_notice_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


NOTICE_KINDS = ("down", "back")
# Owed and being tried, accepted by the SMTP server for at least one address, given up on
# (nobody to e-mail, a failure no retry mends, or a day of retries), or no longer true to say.
NOTICE_STATUSES = ("pending", "sent", "undelivered", "cancelled")


class EndpointNotice(db.Model):
    """An e-mail owed to an organization: one of its webhook endpoints went down, or is back.

    Recorded in the transaction that notices the change, and sent after it by the endpoint
    notices loop, which retries; what it says is kept as it was when noticed.
    """

    __tablename__ = "endpoint_notices"
    __table_args__ = (sa.Index("ix_endpoint_notices_due", "status", "next_try_at"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(8))
    noticed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The down notice a back notice follows: it is sent only if that one was.
    follows_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(32))
    last_status_code: Mapped[int | None] = mapped_column(sa.Integer)
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    # When it is next due; a claim pushes it out by a lease, so that a process that died while
    # sending leaves it to the next pass of any process once the lease is over.
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    tries: Mapped[int] = mapped_column(sa.Integer, default=0)
    # The kind of the last try's failure (`smtp_refused`, `connection_refused`, …), never an address.
    try_error: Mapped[str | None] = mapped_column(sa.String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
