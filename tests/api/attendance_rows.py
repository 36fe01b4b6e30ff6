"""Attendance rows made straight through the models, as the room would have kept them."""

from __future__ import annotations

from datetime import timedelta

from service.domain.tokens import new_token, token_hash
from service.extensions import db
from service.models import Attendance, CircleSession, Facilitator, Registration


def attend(
    session: CircleSession,
    *,
    external_ref: str = "person-4711",
    check_in: int | None = None,
    check_out: int | None = None,
    registration=None,
) -> Attendance:
    """A participant who accepted the agreement, came in and left, with their ratings if given."""
    if registration is None:
        registration = Registration(
            organization_id=session.organization_id,
            group_id=session.group_id,
            external_ref=external_ref,
            token_hash=token_hash(new_token()),
        )
        db.session.add(registration)
        db.session.flush()
    row = Attendance(
        organization_id=session.organization_id,
        session_id=session.id,
        registration_id=registration.id,
        mode="speak",
        joined_at=session.starts_at,
        left_at=session.starts_at + timedelta(minutes=55),
        agreement_accepted_at=session.starts_at,
        check_in_rating=check_in,
        check_out_rating=check_out,
    )
    db.session.add(row)
    db.session.commit()
    return row


def facilitator_attends(session: CircleSession, facilitator: Facilitator) -> Attendance:
    """The facilitator's own presence: no registration, no agreement."""
    row = Attendance(
        organization_id=session.organization_id,
        session_id=session.id,
        facilitator_id=facilitator.id,
        mode="facilitator",
        joined_at=session.starts_at - timedelta(minutes=5),
    )
    db.session.add(row)
    db.session.commit()
    return row
