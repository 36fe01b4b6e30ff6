"""Finding things within the caller's organization: anything else is simply not found."""

from __future__ import annotations

import uuid

from service.domain.errors import NotFound
from service.domain.tokens import token_hash
from service.extensions import db
from service.models import CircleSession, Group, Registration


def get_group(organization_id: uuid.UUID, group_id: uuid.UUID) -> Group:
    group = db.session.execute(
        db.select(Group).where(Group.id == group_id, Group.organization_id == organization_id)
    ).scalar_one_or_none()
    if group is None:
        raise NotFound("No such group.")
    return group


def get_session(organization_id: uuid.UUID, session_id: uuid.UUID) -> CircleSession:
    session = db.session.execute(
        db.select(CircleSession).where(
            CircleSession.id == session_id, CircleSession.organization_id == organization_id
        )
    ).scalar_one_or_none()
    if session is None:
        raise NotFound("No such session.")
    return session


def registration_for_token(token: str) -> Registration | None:
    """The registration whose join link this is, while the link is not revoked."""
    registration = db.session.execute(
        db.select(Registration).where(Registration.token_hash == token_hash(token))
    ).scalar_one_or_none()
    if registration is None or registration.token_revoked_at is not None:
        return None
    if registration.status == "removed":
        return None
    return registration
