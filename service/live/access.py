"""Who may connect to a session's room, and as which seat."""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from service.domain.sessions import ROOM_CLOSE_GRACE, next_session_of_group
from service.domain.tokens import token_hash
from service.extensions import db
from service.i18n import DEFAULT_LANGUAGE, language_of
from service.live.errors import Refused
from service.models import Attendance, CircleSession, Facilitator, Group, Registration, SessionRemoval

# A list marker at the start of a norm: "-", "*", "•", "1." or "1)".
BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")


@dataclass(frozen=True)
class Member:
    """One authorized connection: the seat it speaks for and the rules of its group."""

    session_id: str
    organization_id: uuid.UUID
    seat_id: str
    role: str
    registration_id: uuid.UUID | None
    facilitator_id: uuid.UUID | None
    facilitator_name: str | None
    allowed_modes: tuple[str, ...]
    chat_enabled: bool
    norms: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime
    # The hash of the join link this member connected with, so a replaced link is refused.
    link_hash: str | None = None
    # The facilitator's sign-in version when they connected: a later sign-out ends the connection.
    sign_in_version: int | None = None
    # The language the server speaks to this connection: the group's, or the person's own choice.
    language: str = DEFAULT_LANGUAGE

    @property
    def is_facilitator(self) -> bool:
        """Whether this member holds the room's facilitator powers."""
        return self.role == "facilitator"


def seat_id_for(secret: str, session_id: uuid.UUID, kind: str, person_id: uuid.UUID) -> str:
    """A stable seat id that reveals neither the registration nor the facilitator id."""
    # Keyed and per session, so a seat id cannot be tied to a person or across sessions.
    digest = hmac.new(secret.encode(), f"{kind}:{session_id}:{person_id}".encode(), hashlib.sha256)
    return f"{kind[0]}-{digest.hexdigest()[:20]}"


def norms_of(agreement: list[str]) -> tuple[str, ...]:
    """The group's agreement as norms: one per non-empty line, list markers stripped."""
    lines = (line for item in agreement for line in item.splitlines())
    return tuple(norm for norm in (BULLET.sub("", line).strip() for line in lines) if norm)


def seat_id_of_registration(secret: str, session_id: uuid.UUID, registration_id: uuid.UUID) -> str:
    """The seat a registration has in a session."""
    return seat_id_for(secret, session_id, "participant", registration_id)


def registration_of_seat(secret: str, session_id: uuid.UUID, seat_id: str) -> Registration | None:
    """The registration behind a participant seat, among those who took part in the session."""
    registration_ids = db.session.execute(
        db.select(Attendance.registration_id).where(
            Attendance.session_id == session_id, Attendance.registration_id.is_not(None)
        )
    ).scalars()
    for registration_id in registration_ids:
        if seat_id_of_registration(secret, session_id, registration_id) == seat_id:
            return db.session.get(Registration, registration_id)
    return None


def was_removed(session_id: uuid.UUID, registration_id: uuid.UUID) -> bool:
    """Whether this registration was removed from this session."""
    return db.session.get(SessionRemoval, (session_id, registration_id)) is not None


def _window_open(session: CircleSession, group: Group, now: datetime) -> bool:
    opens = session.starts_at - timedelta(minutes=group.lobby_opens_minutes)
    return opens <= now <= session.ends_at + ROOM_CLOSE_GRACE


def _check_session(session: CircleSession, group: Group, now: datetime) -> None:
    if session.status == "cancelled":
        raise Refused("session_cancelled", "This session was cancelled.")
    if session.status == "ended":
        raise Refused("session_ended", "This session has ended.")
    if not _window_open(session, group, now):
        raise Refused("outside_window", "This session's room is not open at this time.")


def _parse_id(raw: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise Refused("invalid", "session_id must be a session id.") from None


# A participant's connection needs the session and its group, not who facilitates the group.
_WITHOUT_FACILITATORS = orm.defaultload(CircleSession.group).lazyload(Group.facilitator_links)


def _removed(session_id: Any, registration_id: Any) -> sa.Exists:
    """Whether the registration was removed from the session, as a column of a query."""
    return sa.exists().where(
        SessionRemoval.session_id == session_id, SessionRemoval.registration_id == registration_id
    )


@functools.cache
def _arrival(named: bool) -> sa.Select:
    """The registration of a join link (by its hash), the session it is used for with that
    session's group, and whether the registration was removed from it: one statement, built once.

    The session is the one `named`, or else the registration's own, or else its group's next one
    (`next_session_of_group`); none found, the session is None.
    """
    if named:
        target = sa.bindparam("named", type_=CircleSession.id.type)
    else:
        upcoming = orm.aliased(CircleSession)
        ends_from = sa.bindparam("ends_from", type_=CircleSession.ends_at.type)
        next_one = next_session_of_group(upcoming, Registration.group_id, ends_from).with_only_columns(
            upcoming.id
        )
        target = sa.func.coalesce(Registration.session_id, next_one.scalar_subquery())
    return (
        db.select(Registration, CircleSession, _removed(CircleSession.id, Registration.id))
        .outerjoin(CircleSession, CircleSession.id == target)
        .where(Registration.token_hash == sa.bindparam("link_hash"))
        .options(_WITHOUT_FACILITATORS)
    )


def _arriving(token: str, session_id: object, now: datetime) -> tuple[Registration, CircleSession, bool]:
    """The live registration of a join token, the session it is used for (see `_arrival`) and
    whether it was removed from it; Refused with a reason code."""
    named, malformed = None, None
    if session_id is not None:
        try:
            named = _parse_id(session_id)
        except Refused as refused:
            malformed = refused
    found = db.session.execute(
        _arrival(session_id is not None),
        {"link_hash": token_hash(token), "named": named, "ends_from": now - ROOM_CLOSE_GRACE},
    ).first()
    registration, session, removed = found if found is not None else (None, None, False)
    if registration is None or registration.token_revoked_at is not None or registration.status != "active":
        raise invalid_link()
    if malformed is not None:
        raise malformed
    if session_id is not None and (session is None or session.group_id != registration.group_id):
        raise Refused("wrong_session", "This join link is not for that session.")
    if session is None:
        raise Refused("outside_window", "No session of this group is open at this time.")
    if registration.session_id is not None and registration.session_id != session.id:
        raise Refused("wrong_session", "This join link is not for that session.")
    return registration, session, removed


def _member(
    secret: str | None,
    session: CircleSession,
    group: Group,
    *,
    registration: Registration | None = None,
    facilitator: Facilitator | None = None,
) -> Member:
    """The member for a registration or a facilitator; with neither, the organization without a seat."""
    if registration is not None:
        seat_id, role = seat_id_of_registration(secret, session.id, registration.id), "participant"
    elif facilitator is not None:
        seat_id, role = seat_id_for(secret, session.id, "facilitator", facilitator.id), "facilitator"
    else:
        seat_id, role = "", "organization"
    return Member(
        session_id=str(session.id),
        organization_id=session.organization_id,
        seat_id=seat_id,
        role=role,
        registration_id=registration.id if registration else None,
        facilitator_id=facilitator.id if facilitator else None,
        facilitator_name=facilitator.name if facilitator else None,
        allowed_modes=tuple(group.allowed_modes),
        chat_enabled=group.chat_enabled,
        norms=norms_of(group.agreement),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        link_hash=registration.token_hash if registration else None,
        sign_in_version=facilitator.session_version if facilitator else None,
        language=language_of(group.language),
    )


def participant(secret: str, token: object, session_id: object, now: datetime) -> Member:
    """Authorize a join token, optionally for a named session; Refused with a reason code."""
    if not isinstance(token, str) or not token:
        raise invalid_link()
    registration, session, removed = _arriving(token, session_id, now)
    _check_session(session, session.group, now)
    if removed:
        raise Refused("removed", "A facilitator asked you to leave this session.")
    return _member(secret, session, session.group, registration=registration)


def facilitator(secret: str, facilitator_id: object, session_id: object, now: datetime) -> Member:
    """Authorize a signed-in facilitator for a session of a group they facilitate."""
    if facilitator_id is None:
        raise Refused("not_signed_in", "Sign in as a facilitator, or connect with a join link.")
    person = db.session.get(Facilitator, _parse_id(facilitator_id))
    if person is None or not person.active:
        raise Refused("not_signed_in", "Sign in as a facilitator, or connect with a join link.")
    if session_id is None:
        raise Refused("invalid", "session_id is required.")
    session = db.session.get(CircleSession, _parse_id(session_id))
    if session is None or session.organization_id != person.organization_id:
        raise Refused("wrong_session", "No such session.")
    group = db.session.get(Group, session.group_id)
    if all(link.facilitator_id != person.id for link in group.facilitator_links):
        raise Refused("not_facilitator", "You do not facilitate this group.")
    _check_session(session, group, now)
    return _member(secret, session, group, facilitator=person)


def _link_valid(registration_id: Any, link_hash: Any) -> sa.ColumnElement[bool]:
    """Whether the registration is active on this link (`link_hash`), not revoked, as a condition
    of a query on registrations."""
    return sa.and_(
        Registration.id == registration_id,
        Registration.status == "active",
        Registration.token_revoked_at.is_(None),
        Registration.token_hash == link_hash,
    )


def still_welcome(registration_id: Any, session_id: Any, link_hash: Any) -> sa.ColumnElement[bool]:
    """Whether a registration's join link still admits it to the session, as a condition of a
    query on registrations: a valid link (`_link_valid`), not removed from the session."""
    return sa.and_(_link_valid(registration_id, link_hash), ~_removed(session_id, registration_id))


def require_still_welcome(member: Member) -> None:
    """Refuse a connected participant who was removed or barred since connecting."""
    if member.registration_id is None:
        return
    valid, removed = db.session.execute(
        db.select(
            _link_valid(member.registration_id, member.link_hash),
            _removed(uuid.UUID(member.session_id), member.registration_id),
        ).where(Registration.id == member.registration_id)
    ).one()
    if not valid:
        raise invalid_link()
    if removed:
        raise Refused("removed", "A facilitator asked you to leave this session.")


def invalid_link() -> Refused:
    """The refusal of a join link that is unknown, revoked, replaced or of a removed registration."""
    # Refused alike: no hint which one it was.
    return Refused("invalid_token", "This join link is not valid.")


def session_context(session: CircleSession) -> Member:
    """The session's rules as a member with no seat, for showing the room on the organization's behalf."""
    return _member(None, session, db.session.get(Group, session.group_id))
