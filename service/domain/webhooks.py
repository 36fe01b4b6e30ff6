"""Webhook endpoints: where an organization receives events, and the secrets that sign them."""

from __future__ import annotations

import base64
import binascii
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from service.domain.addresses import host_problem
from service.domain.errors import Invalid
from service.domain.lookup import get_owned
from service.extensions import db
from service.models import WebhookEndpoint
from service.models.types import new_id
from service.sealing import seal, sealing_key, unseal

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
# How much of a secret a listing shows, to tell endpoints' secrets apart.
SECRET_HINT_LENGTH = len(SECRET_PREFIX) + 4


def new_secret() -> str:
    """A Standard Webhooks signing secret: `whsec_` and base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_hint(secret: str) -> str:
    """The start of a secret, enough to recognise it, never enough to use it."""
    return secret[:SECRET_HINT_LENGTH]


@dataclass(frozen=True)
class IssuedEndpoint:
    """An endpoint and its signing secret in clear, which only this answer carries."""

    endpoint: WebhookEndpoint
    secret: str


def secret_context(endpoint_id: uuid.UUID) -> bytes:
    """What a sealed secret is bound to: its own endpoint, so it cannot be moved to another."""
    return b"webhook_endpoints.sealed_secret:" + endpoint_id.bytes


def _keep_secret(endpoint: WebhookEndpoint, secret: str) -> IssuedEndpoint:
    endpoint.sealed_secret = seal(sealing_key(), secret, secret_context(endpoint.id))
    endpoint.secret_hint = secret_hint(secret)
    return IssuedEndpoint(endpoint, secret)


def signing_secret(endpoint: WebhookEndpoint) -> str:
    """The endpoint's signing secret in clear; raises SealError when this deployment's key cannot open it."""
    return unseal(sealing_key(), endpoint.sealed_secret, secret_context(endpoint.id))


def get_endpoint(organization_id: uuid.UUID, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    return get_owned(WebhookEndpoint, organization_id, endpoint_id, "webhook endpoint")


def create_endpoint(
    organization_id: uuid.UUID,
    *,
    url: str,
    event_types: list[str],
    allow_http: bool,
    public_only: bool,
    description: str = "",
    secret: str | None = None,
) -> IssuedEndpoint:
    """Add an endpoint; without a given secret a new one is generated."""
    _check_url(url, allow_http, public_only)
    if secret is not None:
        _check_secret(secret)
    endpoint = WebhookEndpoint(
        id=new_id(),
        organization_id=organization_id,
        url=url,
        event_types=list(event_types),
        description=description,
        enabled=True,
    )
    issued = _keep_secret(endpoint, secret or new_secret())
    db.session.add(endpoint)
    db.session.commit()
    return issued


def update_endpoint(
    organization_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    *,
    allow_http: bool,
    public_only: bool,
    url: str | None = None,
    event_types: list[str] | None = None,
    description: str | None = None,
    enabled: bool | None = None,
) -> WebhookEndpoint:
    """Change what is given and leave the rest as it is."""
    endpoint = get_endpoint(organization_id, endpoint_id)
    if url is not None:
        _check_url(url, allow_http, public_only)
        endpoint.url = url
    if event_types is not None:
        endpoint.event_types = list(event_types)
    if description is not None:
        endpoint.description = description
    if enabled is not None:
        endpoint.enabled = enabled
    db.session.commit()
    return endpoint


def delete_endpoint(organization_id: uuid.UUID, endpoint_id: uuid.UUID) -> None:
    """Stop sending events to an endpoint and forget it."""
    db.session.delete(get_endpoint(organization_id, endpoint_id))
    db.session.commit()


def rotate_secret(organization_id: uuid.UUID, endpoint_id: uuid.UUID) -> IssuedEndpoint:
    """Replace an endpoint's signing secret with a new random one."""
    issued = _keep_secret(get_endpoint(organization_id, endpoint_id), new_secret())
    db.session.commit()
    return issued


def _check_url(url: str, allow_http: bool, public_only: bool) -> None:
    problem = _url_problem(url, allow_http)
    if problem is None and public_only:
        # Checked again at every delivery, on the address connected to (DNS may change).
        problem = host_problem(urlsplit(url).hostname)
    if problem:
        raise Invalid(f"This webhook URL cannot be used: {problem}", fields={"url": [problem]})


def _url_problem(url: str, allow_http: bool) -> str | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (reading the port is what checks it)
    except ValueError:
        return "It is not a valid URL."
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        return "Use an absolute https:// URL." if not allow_http else "Use an absolute http(s):// URL."
    if parts.username is not None or parts.password is not None:
        return "Do not put credentials in the URL; verify the signature instead."
    if any(c.isspace() for c in url):
        return "It must not contain white space."
    return None


def _check_secret(secret: str) -> None:
    hint = f"Use '{SECRET_PREFIX}' followed by base64 of {SECRET_BYTES} random bytes, or leave it out."
    raw = secret.removeprefix(SECRET_PREFIX)
    try:
        decoded = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    if not secret.startswith(SECRET_PREFIX) or len(decoded) != SECRET_BYTES:
        raise Invalid(f"This signing secret has the wrong form. {hint}", fields={"secret": [hint]})
