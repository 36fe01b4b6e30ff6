"""Secrets the service must read back (webhook signing secrets), sealed at rest with AES-GCM."""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from service.derived_keys import app_key

PURPOSE = "hearth sealed secrets v1"
VERSION = "v1."
NONCE_BYTES = 12


class SealError(RuntimeError):
    """A sealed value cannot be opened: the key changed since it was sealed, or the value was altered."""


def seal(key: bytes, clear: str, context: bytes) -> str:
    """`clear` encrypted and authenticated, bound to `context` (so it cannot be moved to another row)."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, clear.encode(), context)
    return VERSION + base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(key: bytes, sealed: str, context: bytes) -> str:
    """The clear text of a sealed value; raises SealError rather than return anything else."""
    if not sealed.startswith(VERSION):
        raise SealError("This value is not sealed in a form this version of Hearth reads.")
    try:
        raw = base64.urlsafe_b64decode(sealed[len(VERSION) :])
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context).decode()
    except (InvalidTag, ValueError) as exc:
        raise SealError(
            "A sealed secret cannot be opened with this deployment's key: HEARTH_DATA_KEY (or, "
            "without it, SECRET_KEY) is not the one it was sealed with."
        ) from exc


def sealing_key() -> bytes:
    """The running app's key for sealed secrets."""
    return app_key(PURPOSE)
