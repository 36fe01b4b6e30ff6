"""Attendance: who took part in a session and how, with no content and no display name."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import db
from service.models.types import UTCDateTime, new_id, utcnow


class Attendance(db.Model):
    """One person's presence in one session: a participant's registration or a facilitator."""

    __tablename__ = "attendance"
    __table_args__ = (sa.Index("ix_attendance_session_registration", "session_id", "registration_id"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"))
    registration_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE")
    )
    facilitator_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("facilitators.id", ondelete="CASCADE")
    )
    mode: Mapped[str] = mapped_column(sa.String(16))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set at every drop or leave and cleared on return, so it ends as the last departure.
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agreement_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The person's own private mood ratings (1-5), "how are you arriving / leaving?".
    check_in_rating: Mapped[int | None] = mapped_column(sa.SmallInteger)
    check_out_rating: Mapped[int | None] = mapped_column(sa.SmallInteger)
