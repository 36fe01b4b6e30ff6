"""Support alerts raised in a live room, and the incidents an organization follows up."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.types import UTCDateTime, new_id, utcnow

ALERT_KINDS = ("support_request", "risk_language")
ALERT_STAGES = ("lead", "co", "on_call")
SEVERITIES = ("low", "medium", "high", "critical")
INCIDENT_STATUSES = ("open", "acknowledged", "resolved")
# Where the on-call policy stands for an incident: waiting for its first step, none configured,
# a step reached and waiting for an acknowledgement, acknowledged, every step failed, or every
# step tried and nobody acknowledged.
NOTIFICATION_STATUSES = ("queued", "no_route", "delivered", "acknowledged", "unreached", "unacknowledged")
# `Incident.escalated_by` when nobody took an alert and the server told the organization itself.
SYSTEM = "system"


class SupportAlert(db.Model):
    """A participant asked for support, or wrote risk language: the facilitators are told."""

    __tablename__ = "support_alerts"
    __table_args__ = (sa.Index("ix_support_alerts_untaken", "taken_at", "incident_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL")
    )
    seat_id: Mapped[str] = mapped_column(sa.String(64))
    # As the person called themselves in the room when the alert was raised.
    display_name: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[str] = mapped_column(sa.String(24))
    # The chat message of a risk alert, for the facilitators only; set to NULL when the session ends.
    text: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    taken_by_facilitator_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("facilitators.id", ondelete="SET NULL")
    )
    taken_by_seat_id: Mapped[str | None] = mapped_column(sa.String(64))
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who is being alerted in the room's fallback chain: the lead facilitators, then the
    # co-facilitators, then the organization's on-call policy (through an incident); and since when.
    stage: Mapped[str] = mapped_column(sa.String(16), default="lead", server_default="on_call")
    stage_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first incident made of this alert. No foreign key: incidents point back at their alert.
    incident_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    # Whom the person was last told their alert reached (`support:request`'s `reached`), so the
    # clock tells them once when that changes.
    told_reached: Mapped[str | None] = mapped_column(sa.String(24))

    @classmethod
    def owed_a_step(cls) -> sa.ColumnElement[bool]:
        """Nobody took it and it is still in the room's chain: no incident yet, a stage under way."""
        # An alert whose resolved incident was purged has neither an incident nor a stage: its
        # chain is over, and it must not be escalated again nor hold up an erasure.
        return sa.and_(cls.taken_at.is_(None), cls.incident_id.is_(None), cls.stage_started_at.is_not(None))


class Incident(db.Model):
    """A recorded concern for one person's safety, followed up by the organization."""

    __tablename__ = "incidents"
    __table_args__ = (
        sa.Index("ix_incidents_org_created", "organization_id", "created_at"),
        sa.Index("ix_incidents_next_step", "next_step_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    # Incidents outlive the session row and the registration: both are only set to NULL.
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("sessions.id", ondelete="SET NULL"), index=True
    )
    registration_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL")
    )
    seat_id: Mapped[str] = mapped_column(sa.String(64))
    pseudonym: Mapped[str] = mapped_column(sa.String(64))
    external_ref: Mapped[str | None] = mapped_column(sa.String(200))
    severity: Mapped[str] = mapped_column(sa.String(16))
    observed: Mapped[str] = mapped_column(sa.Text)
    # A facilitator's id, or "system".
    escalated_by: Mapped[str] = mapped_column(sa.String(36))
    source_alert_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("support_alerts.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(sa.String(16), default="open")
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("api_keys.id", ondelete="SET NULL")
    )
    # Set when the acknowledgement came through an e-mail's one-time link rather than the API.
    acknowledged_attempt_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How far the on-call policy got: see NOTIFICATION_STATUSES.
    notification_status: Mapped[str] = mapped_column(
        sa.String(16), default="queued", server_default="no_route"
    )
    # The next step of the policy to try (its position or the first after it), and when;
    # NULL when there is nothing more to try. A claim pushes the time out by a lease.
    next_step_position: Mapped[int | None] = mapped_column(sa.Integer)
    next_step_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    step_claim: Mapped[str | None] = mapped_column(sa.String(32))
    follow_up_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    follow_up_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    notes = relationship(
        "IncidentNote", cascade="all, delete-orphan", lazy="selectin", order_by="IncidentNote.created_at"
    )


class IncidentNote(db.Model):
    """A follow-up note the organization added to an incident."""

    __tablename__ = "incident_notes"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    incident_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    # Notes are written through the API: the organization, by one of its keys.
    author: Mapped[str] = mapped_column(sa.String(16), default="organization")
    api_key_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("api_keys.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
