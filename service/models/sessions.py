"""Sessions: the occurrences of a group, materialized ahead of time."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.types import UTCDateTime, new_id, utcnow

SESSION_STATUSES = ("scheduled", "live", "ended", "cancelled")


class CircleSession(db.Model):
    """One meeting of a group. `original_start` identifies the occurrence in its series."""

    __tablename__ = "sessions"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "original_start"),
        sa.Index("ix_sessions_org_starts", "organization_id", "starts_at"),
        # The room clock's every-second look for scheduled sessions nobody opened, and for live ones.
        sa.Index("ix_sessions_status_starts", "status", "starts_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    original_start: Mapped[datetime] = mapped_column(UTCDateTime)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(16), default="scheduled")
    # True once moved or resized by hand: schedule refreshes leave it as it is.
    rescheduled: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(500))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the room clock found nobody had opened the room in time and the organization was told.
    unattended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the on-call e-mails about that are due; a process sending them moves it a lease ahead.
    unattended_mail_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    group = relationship("Group", lazy="joined")
