"""Standard Webhooks signatures: HMAC-SHA256 over `{id}.{timestamp}.{body}`."""

from __future__ import annotations

import base64
import hashlib
import hmac

from service.domain.webhooks import SECRET_PREFIX


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
