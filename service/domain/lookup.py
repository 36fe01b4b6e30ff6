"""Finding things within the caller's organization: anything else is simply not found."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from service.domain.errors import NotFound
from service.domain.tokens import token_hash
from service.extensions import db
from service.models import CircleSession, Group, Registration

T = TypeVar("T", bound=Any)


def get_owned(model: type[T], organization_id: uuid.UUID, object_id: uuid.UUID, what: str) -> T:
    """The `model` row with this id if it belongs to the organization; otherwise NotFound."""
    found = db.session.execute(
        db.select(model).where(model.id == object_id, model.organization_id == organization_id)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"No such {what}.")
    return found


def get_group(organization_id: uuid.UUID, group_id: uuid.UUID) -> Group:
    return get_owned(Group, organization_id, group_id, "group")


def get_session(organization_id: uuid.UUID, session_id: uuid.UUID) -> CircleSession:
    return get_owned(CircleSession, organization_id, session_id, "session")


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
