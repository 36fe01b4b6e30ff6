"""Who took part in a session and how: the attendance rows the room's actions keep (no commits)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite

from service.extensions import db
from service.live.access import Member
from service.models import Attendance
from service.models.attendance import agreement_version_of


def of(member: Member) -> Attendance | None:
    """The member's attendance row in their session, if they joined it."""
    column = Attendance.registration_id if member.registration_id else Attendance.facilitator_id
    return db.session.execute(
        db.select(Attendance)
        .where(
            Attendance.session_id == uuid.UUID(member.session_id),
            column == (member.registration_id or member.facilitator_id),
        )
        # The room's actions change the row's own columns only: no join for its session and person.
        .options(orm.lazyload(Attendance.session), orm.lazyload(Attendance.registration))
    ).scalar_one_or_none()


def joined(member: Member, mode: str, now: datetime, agreed: bool) -> None:
    """Start or resume the member's attendance row, in one statement whether or not it exists."""
    session_id = uuid.UUID(member.session_id)
    resumed = {"mode": mode, "left_at": None}
    if agreed:
        resumed |= {"agreement_accepted_at": now, "agreement_version": agreement_version_of(session_id)}
    # SQLite and PostgreSQL both say INSERT … ON CONFLICT; each dialect builds its own.
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    upsert = insert(Attendance).values(
        session_id=session_id,
        organization_id=member.organization_id,
        registration_id=member.registration_id,
        facilitator_id=member.facilitator_id,
        joined_at=now,
        **resumed,
    )
    # The row's unique key: a participant's registration, or a facilitator, in this session.
    person = Attendance.registration_id if member.registration_id else Attendance.facilitator_id
    # A return keeps the first arrival's time: joined_at is not among what it updates.
    db.session.execute(
        upsert.on_conflict_do_update(index_elements=[Attendance.session_id, person], set_=resumed)
    )


def left(member: Member, now: datetime) -> None:
    """Note when the member left."""
    attendance = of(member)
    if attendance is not None:
        attendance.left_at = now


def registration_left(session_id: uuid.UUID, registration_id: uuid.UUID, now: datetime) -> None:
    """Note when a registration's person was taken out of the session, if they were in it."""
    db.session.execute(
        db.update(Attendance)
        .where(
            Attendance.session_id == session_id,
            Attendance.registration_id == registration_id,
            Attendance.left_at.is_(None),
        )
        .values(left_at=now)
    )
