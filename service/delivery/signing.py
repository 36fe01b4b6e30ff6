"""Standard Webhooks signatures: HMAC-SHA256 over `{id}.{timestamp}.{body}`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging

from service.domain.webhooks import SECRET_PREFIX, signing_secret
from service.models import WebhookEndpoint
from service.sealing import SealError

log = logging.getLogger("hearth.webhooks")
# The attempt's error when the endpoint's sealed secret cannot be opened with this deployment's key.
SECRET_UNREADABLE = "secret_unreadable"


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` value: `v1,` and the base64 HMAC keyed with the secret's bytes."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signed_headers(secret: str, message_id: str, timestamp: int, body: str) -> dict[str, str]:
    """Every header a delivery carries."""
    return {
        "Content-Type": "application/json",
        "User-Agent": "Hearth-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }


def signed_headers_for(
    endpoint: WebhookEndpoint, message_id: str, timestamp: int, body: str
) -> dict[str, str] | None:
    """The headers signed with the endpoint's secret; None, logged as an error, when it cannot be opened.

    Nothing is sent unsigned or signed with anything else: the attempt fails as `secret_unreadable`.
    """
    try:
        secret = signing_secret(endpoint)
    except SealError as exc:
        log.error("webhook endpoint %s: %s", endpoint.id, exc)
        return None
    return signed_headers(secret, message_id, timestamp, body)
