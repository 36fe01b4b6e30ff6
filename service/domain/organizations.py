"""Organizations and API keys."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from service.domain.errors import NotFound
from service.domain.lookup import get_owned
from service.domain.relay import check_relay_choice
from service.domain.tokens import new_token, token_hash
from service.extensions import db
from service.models import ApiKey, Organization, utcnow

API_KEY_PREFIX = "hk_"

# How long a process trusts a key it has found live without asking the database again. The
# process that revokes a key forgets it at once; every other process refuses it at most this
# many seconds later (docs/security.md).
API_KEY_TRUST_SECONDS = 5.0
# Past this many trusted keys the expired ones are dropped, so forgotten keys cannot pile up.
TRUSTED_KEYS_SWEEP_AT = 1024
_TRUSTED_KEYS = "hearth_trusted_api_keys"


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


@dataclass(frozen=True)
class KeyHolder:
    """Who a live API key speaks for: the key and its organization."""

    key_id: uuid.UUID
    organization_id: uuid.UUID


class TrustedKeys:
    """This process's keys found live lately, by the hash of their secret, each for `seconds`."""

    def __init__(
        self, seconds: float = API_KEY_TRUST_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.clock = clock
        self._holders: dict[str, tuple[float, KeyHolder]] = {}

    def get(self, key_hash: str) -> KeyHolder | None:
        """The holder of a key trusted until now, or None."""
        entry = self._holders.get(key_hash)
        if entry is None:
            return None
        if entry[0] <= self.clock():
            self._holders.pop(key_hash, None)
            return None
        return entry[1]

    def trust(self, key_hash: str, holder: KeyHolder) -> None:
        now = self.clock()
        if len(self._holders) >= TRUSTED_KEYS_SWEEP_AT:
            self._holders = {h: entry for h, entry in self._holders.items() if entry[0] > now}
        self._holders[key_hash] = (now + self.seconds, holder)

    def forget(self, key_hash: str) -> None:
        self._holders.pop(key_hash, None)


def trusted_keys() -> TrustedKeys:
    """The running app's trusted keys (one set per app, as each process runs one app)."""
    return current_app.extensions.setdefault(_TRUSTED_KEYS, TrustedKeys())


def authenticate_api_key(secret: str) -> KeyHolder | None:
    """Who the live key with this secret speaks for, or None; trusted for API_KEY_TRUST_SECONDS."""
    if not secret.startswith(API_KEY_PREFIX):
        return None
    key_hash = token_hash(secret)
    trusted = trusted_keys()
    holder = trusted.get(key_hash)
    if holder is not None:
        return holder
    found = db.session.execute(
        db.select(ApiKey.id, ApiKey.organization_id).where(
            ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None)
        )
    ).first()
    if found is None:
        return None
    holder = KeyHolder(key_id=found.id, organization_id=found.organization_id)
    trusted.trust(key_hash, holder)
    return holder


def get_api_key(organization_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    return get_owned(ApiKey, organization_id, key_id, "API key")


def revoke_api_key(organization_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    """Revoke a key; requests made with it are refused from now on."""
    key = get_api_key(organization_id, key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        db.session.commit()
    # Forgotten after the commit; a request that read the key live just before it may trust it
    # again, as another process may, for at most API_KEY_TRUST_SECONDS.
    trusted_keys().forget(key.key_hash)
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
