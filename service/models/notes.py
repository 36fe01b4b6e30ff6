"""Session notes: a facilitator's short, non-identifying notes on how a circle went."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.types import UTCDateTime, new_id, utcnow

NOTE_MAX_LENGTH = 2000


class SessionNote(db.Model):
    """One note on one session: themes, how the circle went, follow-ups. Never names."""

    __tablename__ = "session_notes"
    __table_args__ = (sa.Index("ix_session_notes_session_created", "session_id", "created_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"))
    facilitator_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("facilitators.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    facilitator = relationship("Facilitator", lazy="joined")
