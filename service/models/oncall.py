"""The organization's on-call escalation policy, and every attempt to reach someone through it."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import db
from service.models.types import UTCDateTime, new_id, utcnow

ROUTE_KINDS = ("webhook", "email")
# What an attempt was for: paging someone about a new incident, or reminding of a follow-up.
ATTEMPT_PURPOSES = ("page", "follow_up")
ATTEMPT_STATUSES = ("sending", "delivered", "failed")


class OnCallStep(db.Model):
    """One step of the policy: a route, and how long to wait for an acknowledgement before the next."""

    __tablename__ = "on_call_steps"
    __table_args__ = (sa.UniqueConstraint("organization_id", "position", name="uq_on_call_steps_position"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    # 1 for the first step tried, then 2, 3, ...
    position: Mapped[int] = mapped_column(sa.Integer)
    kind: Mapped[str] = mapped_column(sa.String(16))
    # Deleting the endpoint deletes the step: a route that no longer exists is no route.
    endpoint_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    email: Mapped[str | None] = mapped_column(sa.String(320))
    ack_seconds: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EscalationAttempt(db.Model):
    """One try at reaching a step's route about an incident: what was sent where, and what came of it."""

    __tablename__ = "escalation_attempts"
    __table_args__ = (sa.Index("ix_escalation_attempts_incident", "incident_id", "attempted_at"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    incident_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("incidents.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(sa.String(16), default="page")
    # The step as it was when tried: the policy may change afterwards.
    position: Mapped[int] = mapped_column(sa.Integer)
    kind: Mapped[str] = mapped_column(sa.String(16))
    endpoint_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    email: Mapped[str | None] = mapped_column(sa.String(320))
    status: Mapped[str] = mapped_column(sa.String(16), default="sending")
    # Why it failed, as a short kind ("timeout", "http_status", "smtp_refused", "smtp_not_configured", ...).
    error: Mapped[str | None] = mapped_column(sa.String(32))
    status_code: Mapped[int | None] = mapped_column(sa.Integer)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The e-mail's one-time acknowledgement link, stored only as a hash; set to NULL once used.
    ack_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
