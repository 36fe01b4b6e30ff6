"""Keeping identifying material out of logs."""

from __future__ import annotations

import re

# Path segments that carry a secret: join links, one-time password and acknowledgement links.
_SECRET_SEGMENT = re.compile(r"^(/(?:join|facilitator/password|on-call/acknowledge)/)[^/]+")


def redact_path(path: str) -> str:
    """The path with any secret segment replaced by a placeholder."""
    return _SECRET_SEGMENT.sub(r"\1[redacted]", path)
