"""Attendance: who took part in a session and how, with no content and no display name."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.groups import Group
from service.models.sessions import CircleSession
from service.models.types import UTCDateTime, new_id, utcnow


class Attendance(db.Model):
    """One person's presence in one session: a participant's registration or a facilitator."""

    __tablename__ = "attendance"
    # One row per person and session, so the room writes it in one statement (an upsert on these).
    __table_args__ = (
        sa.Index("ix_attendance_session_registration", "session_id", "registration_id", unique=True),
        sa.Index("ix_attendance_session_facilitator", "session_id", "facilitator_id", unique=True),
    )

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
    # The group's agreement_version the person accepted, stamped at acceptance (see below).
    agreement_version: Mapped[int | None] = mapped_column(sa.Integer)
    # The person's own private mood ratings (1-5), "how are you arriving / leaving?".
    check_in_rating: Mapped[int | None] = mapped_column(sa.SmallInteger)
    check_out_rating: Mapped[int | None] = mapped_column(sa.SmallInteger)

    session = relationship("CircleSession", lazy="joined")
    registration = relationship("Registration", lazy="joined")


def agreement_version_of(session_id: uuid.UUID) -> sa.ScalarSelect:
    """The session's agreement version, read by the INSERT or UPDATE that records an acceptance."""
    # Inside the writing statement, in the same transaction: no round trip of its own.
    return (
        sa.select(Group.agreement_version)
        .join(CircleSession, CircleSession.group_id == Group.id)
        .where(CircleSession.id == session_id)
        .scalar_subquery()
    )


@sa.event.listens_for(Attendance, "before_insert")
@sa.event.listens_for(Attendance, "before_update")
def _stamp_agreement_version(_mapper, connection, attendance: Attendance) -> None:
    """Whenever the ORM records an acceptance, keep which text of the agreement was accepted.

    Done at the flush, wherever the acceptance was written, so no ORM path can record one without
    it; the live room's upsert (`service.live.attendance.agreed`) writes the same expression itself.
    """
    # get_history, not inspect(...).attrs: that builds a state for every attribute, in cycles.
    accepted = sa.orm.attributes.get_history(attendance, "agreement_accepted_at")
    if attendance.agreement_accepted_at is None or not accepted.added:
        return
    attendance.agreement_version = agreement_version_of(attendance.session_id)
