"""Random secrets and their stored hashes."""

from __future__ import annotations

import hashlib
import secrets

# 32 random bytes: 256 bits, well past the 128 the security rules ask for.
TOKEN_BYTES = 32


def new_token(prefix: str = "") -> str:
    """A fresh URL-safe random secret, optionally with a readable prefix."""
    return f"{prefix}{secrets.token_urlsafe(TOKEN_BYTES)}"


def token_hash(token: str) -> str:
    """The hex SHA-256 under which a high-entropy token is stored and looked up."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
