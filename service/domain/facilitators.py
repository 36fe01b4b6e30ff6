"""Facilitators of an organization: creation, password set-up, sign-in, deactivation."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from service.domain.errors import Conflict, Invalid, NotFound
from service.domain.lookup import get_owned
from service.domain.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password
from service.domain.tokens import new_token, token_hash
from service.extensions import db
from service.i18n import N_
from service.models import Facilitator, Group, GroupFacilitator, utcnow

PASSWORD_LINK_VALID_FOR = timedelta(days=7)


@dataclass(frozen=True)
class PasswordLink:
    """A one-time secret with which a facilitator sets their password."""

    token: str
    expires_at: datetime


def create_facilitator(organization_id: uuid.UUID, name: str, email: str) -> tuple[Facilitator, PasswordLink]:
    """Add a facilitator and issue the one-time link to set their password."""
    facilitator = Facilitator(organization_id=organization_id, name=name, email=email.lower())
    link = _new_password_link(facilitator)
    db.session.add(facilitator)
    _commit_unique_email()
    return facilitator, link


def _commit_unique_email() -> None:
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(
            "A facilitator with this email already exists in this organization.",
            fields={"email": ["Already in use in this organization."]},
        ) from exc


def _new_password_link(facilitator: Facilitator) -> PasswordLink:
    token = new_token()
    expires_at = utcnow() + PASSWORD_LINK_VALID_FOR
    facilitator.password_token_hash = token_hash(token)
    facilitator.password_token_expires_at = expires_at
    return PasswordLink(token=token, expires_at=expires_at)


def reissue_password_link(organization_id: uuid.UUID, facilitator_id: uuid.UUID) -> PasswordLink:
    """Replace any earlier password link with a new one."""
    facilitator = get_facilitator(organization_id, facilitator_id)
    if not facilitator.active:
        raise Conflict("This facilitator is deactivated.")
    link = _new_password_link(facilitator)
    db.session.commit()
    return link


def get_facilitator(organization_id: uuid.UUID, facilitator_id: uuid.UUID) -> Facilitator:
    return get_owned(Facilitator, organization_id, facilitator_id, "facilitator")


def facilitator_for_password_token(token: str) -> Facilitator | None:
    """The active facilitator whose unexpired password link this is, or None."""
    facilitator = db.session.execute(
        db.select(Facilitator).where(Facilitator.password_token_hash == token_hash(token))
    ).scalar_one_or_none()
    if (
        facilitator is None
        or not facilitator.active
        or facilitator.password_token_expires_at is None
        or facilitator.password_token_expires_at < utcnow()
    ):
        return None
    return facilitator


def set_password_with_token(token: str, password: str) -> Facilitator:
    """Set a facilitator's password through their one-time link, which is then spent."""
    facilitator = facilitator_for_password_token(token)
    if facilitator is None:
        raise NotFound(N_("This link is not valid any more. Ask your organization for a new one."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters.",
            fields={"password": [f"At least {MIN_PASSWORD_LENGTH} characters."]},
        )
    facilitator.password_hash = hash_password(password)
    facilitator.password_token_hash = None
    facilitator.password_token_expires_at = None
    facilitator.session_version += 1
    db.session.commit()
    return facilitator


@cache
def _decoy_hash() -> str:
    """A hash no password matches, verified when nobody could match, so failures take as long."""
    return hash_password(secrets.token_urlsafe(32))


def authenticate_facilitator(email: str, password: str) -> Facilitator | None:
    """The active facilitator with this email whose password this is, or None.

    It counts nothing: guessing is slowed per client by service/domain/sign_in.py, so that
    nobody can lock an account's owner out by failing on purpose.
    """
    candidates = (
        db.session.execute(
            db.select(Facilitator)
            .where(Facilitator.email == email.strip().lower(), Facilitator.active.is_(True))
            .order_by(Facilitator.created_at, Facilitator.id)
        )
        .scalars()
        .all()
    )
    # Emails are unique per organization only. Every candidate is checked, without stopping at the
    # first match, so the time taken does not tell which one matched.
    matches = [f for f in candidates if f.password_hash and verify_password(f.password_hash, password)]
    if not any(f.password_hash for f in candidates):
        verify_password(_decoy_hash(), password)
    # The same email and password in two organizations cannot be told apart here; the oldest wins.
    return matches[0] if matches else None


def end_sign_ins(facilitator: Facilitator) -> None:
    """End every sign-in of the facilitator: their session cookies and open room connections stop working."""
    facilitator.session_version += 1
    db.session.commit()


def signed_out(sign_ins: dict[uuid.UUID, int]) -> set[uuid.UUID]:
    """Of these facilitators (id → the sign-in version they connected with), those no longer signed in."""
    current = dict(
        db.session.execute(
            db.select(Facilitator.id, Facilitator.session_version).where(
                Facilitator.id.in_(sign_ins), Facilitator.active.is_(True)
            )
        ).all()
    )
    return {
        facilitator_id
        for facilitator_id, version in sign_ins.items()
        if current.get(facilitator_id) != version
    }


def deactivate_facilitator(organization_id: uuid.UUID, facilitator_id: uuid.UUID) -> Facilitator:
    """Deactivate: they can no longer sign in or hold circles. Their history stays."""
    return update_facilitator(organization_id, facilitator_id, {"active": False})


def _set_active(facilitator: Facilitator, active: bool) -> None:
    if active == facilitator.active:
        return
    facilitator.active = active
    # Their groups, sessions, notes and audit entries stay: only sign-in and new assignments stop.
    facilitator.deactivated_at = None if active else utcnow()
    facilitator.password_token_hash = None
    facilitator.password_token_expires_at = None
    if not active:
        # Their sign-ins end for good: reactivating them later does not bring an old cookie back.
        facilitator.session_version += 1


def update_facilitator(
    organization_id: uuid.UUID, facilitator_id: uuid.UUID, changes: dict[str, Any]
) -> Facilitator:
    """Change a facilitator's name or email, or deactivate or reactivate them."""
    facilitator = get_facilitator(organization_id, facilitator_id)
    if "name" in changes:
        facilitator.name = changes["name"]
    if "email" in changes:
        facilitator.email = changes["email"].lower()
    if "active" in changes:
        _set_active(facilitator, changes["active"])
    _commit_unique_email()
    return facilitator


def groups_of(facilitator: Facilitator) -> sa.Select:
    """The groups the facilitator is assigned to, as lead or co-facilitator."""
    return (
        db.select(Group)
        .join(GroupFacilitator, GroupFacilitator.group_id == Group.id)
        .where(
            GroupFacilitator.facilitator_id == facilitator.id,
            Group.organization_id == facilitator.organization_id,
        )
    )
