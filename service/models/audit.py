"""The moderation audit log, and who was removed from which session: never any content."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.types import UTCDateTime, new_id, utcnow

ACTOR_KINDS = ("facilitator", "organization")


class AuditEntry(db.Model):
    """One moderation action in one session: who did what to which seat, and when."""

    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_session_created", "session_id", "created_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"))
    actor_kind: Mapped[str] = mapped_column(sa.String(16))
    facilitator_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("facilitators.id", ondelete="SET NULL")
    )
    api_key_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("api_keys.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(32))
    target_seat_id: Mapped[str | None] = mapped_column(sa.String(64))
    # Settings only (seconds, a norm's index, on or off): never chat text or private messages.
    detail: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    facilitator = relationship("Facilitator", lazy="joined")


class SessionRemoval(db.Model):
    """A registration removed from one session by a facilitator or the organization: it may not return."""

    __tablename__ = "session_removals"

    session_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    registration_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    removed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Erasure(db.Model):
    """A person's data erased on the organization's request: when, by which key, and how much; never whose."""

    __tablename__ = "erasures"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    api_key_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("api_keys.id", ondelete="SET NULL"))
    # How the person was named: "registration" (one registration) or "external_ref" (all of theirs).
    scope: Mapped[str] = mapped_column(sa.String(16))
    # How many rows of each kind were erased, anonymized or unlinked.
    counts: Mapped[dict[str, int]] = mapped_column(sa.JSON)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
