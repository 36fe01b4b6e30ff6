"""Keys for one purpose each, derived with HKDF from the deployment's secret."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

KEY_BYTES = 32


def derive_key(secret: str, purpose: str) -> bytes:
    """A 256-bit key for `purpose` alone: knowing one purpose's key tells nothing of another's."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()).derive(
        secret.encode()
    )


def app_key(purpose: str) -> bytes:
    """`purpose`'s key from HEARTH_DATA_KEY when set, else from SECRET_KEY."""
    config = current_app.config
    return derive_key(config.get("HEARTH_DATA_KEY") or config["SECRET_KEY"], purpose)
