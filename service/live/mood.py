"""Check-in and check-out: a participant's private mood rating, kept with their attendance."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from service.domain.errors import Forbidden, Invalid
from service.extensions import db
from service.live.access import Member
from service.models import Attendance, CircleSession
from service.rooms.errors import NoSuchSeat
from service.rooms.store import RoomStore

RATINGS = range(1, 6)
# Enough of a trend to be useful, short enough to stay gentle.
TREND_SESSIONS = 6


@dataclass(frozen=True)
class EarlierSession:
    """One earlier session's own ratings, for the person's eyes only."""

    starts_at: datetime
    check_in: int | None
    check_out: int | None


def _seated_attendance(store: RoomStore, member: Member, rating: int) -> Attendance:
    if member.is_facilitator:
        raise Forbidden("Check-in and check-out are for participants.")
    if rating not in RATINGS:
        raise Invalid("A rating is 1 to 5.", fields={"rating": ["Must be 1 to 5."]})
    room = store.snapshot(member.session_id)
    if room is None or member.seat_id not in room["seats"]:
        raise NoSuchSeat("Accept the agreement first.")
    attendance = db.session.execute(
        db.select(Attendance).where(
            Attendance.session_id == uuid.UUID(member.session_id),
            Attendance.registration_id == member.registration_id,
        )
    ).scalar_one_or_none()
    if attendance is None:
        raise NoSuchSeat("Accept the agreement first.")
    return attendance


def check_in(store: RoomStore, member: Member, rating: int) -> None:
    """Record how a seated participant is arriving (a new answer replaces the last)."""
    _seated_attendance(store, member, rating).check_in_rating = rating
    db.session.commit()


def check_out(store: RoomStore, member: Member, rating: int) -> None:
    """Record how a seated participant is leaving (a new answer replaces the last)."""
    _seated_attendance(store, member, rating).check_out_rating = rating
    db.session.commit()


def earlier_ratings(registration_id: uuid.UUID, before: datetime) -> list[EarlierSession]:
    """The registration's own ratings from sessions that started before `before`, oldest first."""
    rows = db.session.execute(
        db.select(CircleSession.starts_at, Attendance.check_in_rating, Attendance.check_out_rating)
        .join(CircleSession, CircleSession.id == Attendance.session_id)
        .where(
            Attendance.registration_id == registration_id,
            CircleSession.starts_at < before,
            (Attendance.check_in_rating.is_not(None)) | (Attendance.check_out_rating.is_not(None)),
        )
        .order_by(CircleSession.starts_at.desc())
        .limit(TREND_SESSIONS)
    ).all()
    return [EarlierSession(*row) for row in reversed(rows)]
