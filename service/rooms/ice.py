"""ICE servers for RTCPeerConnection, with short-lived TURN credentials (coturn shared-secret scheme)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from typing import Any


def turn_credential(secret: str, username: str) -> str:
    """The coturn REST API password for `username`: base64(HMAC-SHA1(secret, username))."""
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def ice_servers(
    stun_urls: Sequence[str],
    turn_urls: Sequence[str],
    turn_secret: str | None,
    ttl_seconds: int,
    identity: str,
    now: float,
) -> list[dict[str, Any]]:
    """The `iceServers` list for a client identified by `identity` at time `now` (Unix seconds)."""
    servers: list[dict[str, Any]] = []
    if stun_urls:
        servers.append({"urls": list(stun_urls)})
    if turn_urls and turn_secret:
        # coturn accepts the username until the Unix time it starts with, so the credential expires.
        username = f"{int(now) + ttl_seconds}:{identity}"
        servers.append(
            {
                "urls": list(turn_urls),
                "username": username,
                "credential": turn_credential(turn_secret, username),
            }
        )
    return servers
