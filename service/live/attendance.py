"""Who took part in a session and how: the attendance rows the room's actions keep (no commits)."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite

from service.extensions import db
from service.live import access
from service.live.access import Member
from service.models import Attendance, Registration
from service.models.attendance import agreement_version_of
from service.models.types import new_id


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


def joined(member: Member, mode: str, now: datetime) -> None:
    """Start or resume the member's attendance row, in one statement whether or not it exists."""
    upsert = _upsert(_dialect(), member.registration_id is not None, False)
    db.session.execute(upsert, _values(member, mode, now))


def agreed(member: Member, mode: str, now: datetime) -> bool:
    """Record a participant's acceptance and seat in one statement, only while their join link
    still admits them to the session (`access.still_welcome`); whether it was recorded."""
    values = _values(member, mode, now) | {"link_hash": member.link_hash}
    return db.session.execute(_upsert(_dialect(), True, True), values).first() is not None


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _values(member: Member, mode: str, now: datetime) -> dict:
    return {
        "new_id": new_id(),
        "in_session": uuid.UUID(member.session_id),
        "of_organization": member.organization_id,
        "by_registration": member.registration_id,
        "by_facilitator": member.facilitator_id,
        "at": now,
        "in_mode": mode,
    }


@functools.cache
def _upsert(dialect: str, by_registration: bool, agreed: bool) -> sa.Insert:
    """The attendance upsert, built once per kind: an arrival then neither builds, compiles nor
    keys a statement, and goes through no ORM bulk insert. An acceptance is written only while
    the registration is still welcome, and returns the row's id when it was."""
    table = Attendance.__table__
    # SQLite and PostgreSQL both say INSERT … ON CONFLICT; each dialect builds its own.
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert

    def bound(name: str, column: str) -> sa.BindParameter:
        return sa.bindparam(name, type_=table.c[column].type)

    at = bound("at", "joined_at")
    resumed = {"mode": bound("in_mode", "mode"), "left_at": None}
    if agreed:
        resumed |= {
            "agreement_accepted_at": at,
            "agreement_version": agreement_version_of(bound("in_session", "session_id")),
        }
    row = {
        "id": bound("new_id", "id"),
        "session_id": bound("in_session", "session_id"),
        "organization_id": bound("of_organization", "organization_id"),
        "registration_id": bound("by_registration", "registration_id"),
        "facilitator_id": bound("by_facilitator", "facilitator_id"),
        "joined_at": at,
        **resumed,
    }
    if agreed:
        # INSERT … SELECT: no row to insert (and none updated) once the link no longer admits them.
        welcome = access.still_welcome(
            bound("by_registration", "registration_id"),
            bound("in_session", "session_id"),
            sa.bindparam("link_hash", type_=Registration.token_hash.type),
        )
        chosen = sa.select(*(sa.null() if value is None else value for value in row.values()))
        upsert = insert(table).from_select(list(row), chosen.where(welcome))
    else:
        upsert = insert(table).values(**row)
    # The row's unique key: a participant's registration, or a facilitator, in this session.
    person = table.c.registration_id if by_registration else table.c.facilitator_id
    # A return keeps the first arrival's time: joined_at is not among what it updates.
    upsert = upsert.on_conflict_do_update(index_elements=[table.c.session_id, person], set_=resumed)
    return upsert.returning(table.c.id) if agreed else upsert


def left(member: Member, now: datetime) -> None:
    """Note when the member left, in one statement (nothing, if they never joined)."""
    column = Attendance.registration_id if member.registration_id else Attendance.facilitator_id
    db.session.execute(
        db.update(Attendance.__table__)
        .where(
            Attendance.session_id == uuid.UUID(member.session_id),
            column == (member.registration_id or member.facilitator_id),
        )
        .values(left_at=now)
    )


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
