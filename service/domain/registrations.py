"""Registrations: seats in a group's series or in one session, the waitlist, and join links."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa

from service.domain import lookup, outbox
from service.domain.errors import Conflict, Full
from service.domain.lookup import get_owned
from service.domain.sessions import OPEN_STATUSES
from service.domain.tokens import new_token, token_hash
from service.extensions import db
from service.models import CircleSession, Group, Registration, utcnow


@dataclass(frozen=True)
class IssuedRegistration:
    """A registration with its freshly issued join token (shown to the caller once)."""

    registration: Registration
    token: str


def get_registration(organization_id: uuid.UUID, registration_id: uuid.UUID) -> Registration:
    return get_owned(Registration, organization_id, registration_id, "registration")


def register_for_group(
    organization_id: uuid.UUID,
    group_id: uuid.UUID,
    *,
    external_ref: str | None = None,
    region: str | None = None,
) -> IssuedRegistration:
    """Take a seat in every upcoming session of a group, or a waitlist place when one is full."""
    group = lookup.get_group(organization_id, group_id)
    with seat_change(group):
        _require_open_group(group)
        return _create(group, None, external_ref=external_ref, region=region)


def register_for_session(
    organization_id: uuid.UUID,
    session_id: uuid.UUID,
    *,
    external_ref: str | None = None,
    region: str | None = None,
) -> IssuedRegistration:
    """Take a seat in one session, or a waitlist place when it is full."""
    session = lookup.get_session(organization_id, session_id)
    group = session.group
    with seat_change(group):
        db.session.refresh(session)
        _require_open_group(group)
        if not _is_open(session):
            raise Conflict(
                f"This session is {_closed_word(session)}; registrations are no longer taken for it."
            )
        return _create(group, session, external_ref=external_ref, region=region)


def remove_registration(organization_id: uuid.UUID, registration_id: uuid.UUID) -> Registration:
    """Remove a person: their join link stops working and their seat goes to the waitlist."""
    registration = get_registration(organization_id, registration_id)
    if registration.status == "removed":
        return registration
    group = db.session.get(Group, registration.group_id)
    with seat_change(group):
        db.session.refresh(registration)
        now = utcnow()
        registration.status = "removed"
        registration.removed_at = now
        registration.token_revoked_at = now
        db.session.flush()
        promote_waitlisted(group)
        db.session.commit()
    return registration


def rotate_join_link(organization_id: uuid.UUID, registration_id: uuid.UUID) -> IssuedRegistration:
    """Replace a registration's join link; the earlier link stops working at once."""
    registration = get_registration(organization_id, registration_id)
    if registration.status == "removed":
        raise Conflict("This registration was removed; it has no join link any more.")
    token = _issue_token(registration)
    db.session.commit()
    return IssuedRegistration(registration=registration, token=token)


def promote_waitlisted(group: Group) -> list[Registration]:
    """Give freed seats to waitlisted people, first come first served, while their seat fits.

    The caller holds the group's seat lock and commits.
    """
    promoted = []
    waiting = db.session.execute(
        db.select(Registration)
        .where(Registration.group_id == group.id, Registration.status == "waitlisted")
        .order_by(Registration.created_at, Registration.id)
    ).scalars()
    for registration in list(waiting):
        sessions = _affected_sessions(group, registration.session_id)
        if registration.session_id is not None and not sessions:
            continue  # their one session is over or cancelled: nothing to promote into
        if _fits(group, sessions):
            _promote(registration)
            promoted.append(registration)
    return promoted


def _promote(registration: Registration) -> None:
    registration.status = "active"
    registration.promoted_at = utcnow()
    # In the same transaction, so the event exists exactly when the promotion does.
    outbox.enqueue(
        registration.organization_id,
        "registration.promoted",
        {
            "registration_id": registration.id,
            "group_id": registration.group_id,
            "session_id": registration.session_id,
            "promoted_at": registration.promoted_at,
        },
    )
    db.session.flush()


@contextmanager
def seat_change(group: Group) -> Iterator[None]:
    """Hold the group's seat lock until the block commits; a refusal rolls back and frees it."""
    # Writing the group row first takes SQLite's write lock (or PostgreSQL's row lock) for the
    # rest of the transaction, so concurrent seat changes count one after the other.
    db.session.execute(
        sa.update(Group).where(Group.id == group.id).values(seat_version=Group.seat_version + 1)
    )
    db.session.refresh(group)
    try:
        yield
    except Exception:
        db.session.rollback()
        raise


def _require_open_group(group: Group) -> None:
    if group.status == "archived":
        raise Conflict("This group is archived; it takes no new registrations.")


def _is_open(session: CircleSession) -> bool:
    return session.status in OPEN_STATUSES and session.ends_at > utcnow()


def _closed_word(session: CircleSession) -> str:
    return "cancelled" if session.status == "cancelled" else "over"


def _create(
    group: Group,
    session: CircleSession | None,
    *,
    external_ref: str | None,
    region: str | None,
) -> IssuedRegistration:
    session_id = session.id if session is not None else None
    sessions = _affected_sessions(group, session_id)
    status = "active"
    if not _fits(group, sessions):
        if not group.waitlist_enabled:
            what = "session" if session is not None else "group"
            raise Full(
                f"This {what} is full ({group.capacity} of {group.capacity} seats taken) "
                "and has no waitlist. A seat may free up later, or raise the group's capacity."
            )
        status = "waitlisted"
    registration = Registration(
        organization_id=group.organization_id,
        group_id=group.id,
        session_id=session_id,
        external_ref=external_ref,
        region=region,
        status=status,
    )
    token = _issue_token(registration)
    db.session.add(registration)
    db.session.flush()
    # A seat or a place on the waitlist: never the person's reference or join link.
    outbox.enqueue(
        registration.organization_id,
        "registration.waitlisted" if status == "waitlisted" else "registration.created",
        {
            "registration_id": registration.id,
            "group_id": registration.group_id,
            "session_id": registration.session_id,
            "created_at": registration.created_at,
        },
    )
    db.session.commit()
    return IssuedRegistration(registration=registration, token=token)


def _issue_token(registration: Registration) -> str:
    token = new_token()
    registration.token_hash = token_hash(token)
    registration.token_revoked_at = None
    return token


def _affected_sessions(group: Group, session_id: uuid.UUID | None) -> list[uuid.UUID]:
    """The open sessions a seat would be taken in: one session, or the whole upcoming series."""
    select = db.select(CircleSession.id).where(
        CircleSession.group_id == group.id,
        CircleSession.status.in_(OPEN_STATUSES),
        CircleSession.ends_at > utcnow(),
    )
    if session_id is not None:
        select = select.where(CircleSession.id == session_id)
    return list(db.session.execute(select).scalars())


def _fits(group: Group, session_ids: list[uuid.UUID]) -> bool:
    """Whether every one of these sessions has a free seat."""
    occupancy = session_occupancy(group, session_ids)
    return all(taken < group.capacity for taken in occupancy.values())


def session_occupancy(group: Group, session_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Seats taken per session: active series registrations plus that session's own."""
    active = (Registration.group_id == group.id, Registration.status == "active")
    series = db.session.execute(
        db.select(sa.func.count()).where(*active, Registration.session_id.is_(None))
    ).scalar_one()
    own = dict(
        db.session.execute(
            db.select(Registration.session_id, sa.func.count())
            .where(*active, Registration.session_id.in_(session_ids))
            .group_by(Registration.session_id)
        ).all()
    )
    return {session_id: series + own.get(session_id, 0) for session_id in session_ids}
