"""Organizations and API keys."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from service.domain.errors import NotFound
from service.domain.lookup import get_owned
from service.domain.relay import check_relay_choice
from service.domain.tokens import new_token, token_hash
from service.extensions import db
from service.models import ApiKey, Organization, utcnow

API_KEY_PREFIX = "hk_"


@dataclass(frozen=True)
class IssuedKey:
    """A new API key: the secret is here once and never again."""

    key: ApiKey
    secret: str


def create_organization(
    name: str, *, default_region: str | None = None, exit_url: str | None = None
) -> IssuedKey:
    """Create an organization with its first API key."""
    organization = Organization(name=name, default_region=default_region, exit_url=exit_url)
    db.session.add(organization)
    db.session.flush()
    issued = _issue_key(organization.id, "First key")
    db.session.commit()
    return issued


def set_exit_url(organization_id: uuid.UUID, exit_url: str | None) -> Organization:
    """Choose the neutral page "Exit now" leaves for; None goes back to the deployment's."""
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise NotFound("No such organization.")
    organization.exit_url = exit_url
    db.session.commit()
    return organization


def exit_url_for(organization: Organization | None, default: str) -> str:
    """Where "Exit now" leaves for: the organization's neutral page, else the deployment's `default`."""
    return (organization.exit_url if organization is not None else None) or default


def issue_api_key(organization_id: uuid.UUID, name: str) -> IssuedKey:
    """Issue another API key for an organization."""
    issued = _issue_key(organization_id, name)
    db.session.commit()
    return issued


def _issue_key(organization_id: uuid.UUID, name: str) -> IssuedKey:
    secret = new_token(API_KEY_PREFIX)
    key = ApiKey(
        organization_id=organization_id,
        name=name,
        prefix=secret[: len(API_KEY_PREFIX) + 6],
        key_hash=token_hash(secret),
    )
    db.session.add(key)
    db.session.flush()
    return IssuedKey(key=key, secret=secret)


def authenticate_api_key(secret: str) -> ApiKey | None:
    """The live key with this secret, or None."""
    if not secret.startswith(API_KEY_PREFIX):
        return None
    key = db.session.execute(
        db.select(ApiKey).where(ApiKey.key_hash == token_hash(secret))
    ).scalar_one_or_none()
    if key is None or key.revoked_at is not None:
        return None
    return key


def get_api_key(organization_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    return get_owned(ApiKey, organization_id, key_id, "API key")


def revoke_api_key(organization_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    """Revoke a key; requests made with it are refused from now on."""
    key = get_api_key(organization_id, key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        db.session.commit()
    return key


def get_organization(organization_id: uuid.UUID) -> Organization:
    """The caller's own organization."""
    return db.session.get_one(Organization, organization_id)


def update_organization(
    organization_id: uuid.UUID, changes: dict[str, Any], *, relay_possible: bool = False
) -> Organization:
    """Change the organization's own settings: name, default region, exit page, media relaying, retention."""
    check_relay_choice(changes, relay_possible)
    organization = get_organization(organization_id)
    for field in ("name", "default_region", "exit_url", "relay_media"):
        if field in changes:
            setattr(organization, field, changes[field])
    # Already named as the columns they set: retain_<kind>_days.
    for column, days in changes.get("retention", {}).items():
        setattr(organization, column, days)
    db.session.commit()
    return organization
