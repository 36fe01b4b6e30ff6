"""The moderation audit log: one entry per action, added to the caller's open transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from service.extensions import db
from service.models import AuditEntry


@dataclass(frozen=True)
class Actor:
    """Who took a moderation action: a facilitator, or the organization through an API key."""

    organization_id: uuid.UUID
    facilitator_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None

    @property
    def kind(self) -> str:
        """ "facilitator" or "organization"."""
        return "facilitator" if self.facilitator_id is not None else "organization"


def record(
    session_id: uuid.UUID | str,
    actor: Actor,
    action: str,
    target_seat_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Note one action (no commit: it is kept exactly when the caller's change is).

    `detail` holds settings only (seconds, an index, on or off), never anything anyone wrote.
    """
    entry = AuditEntry(
        organization_id=actor.organization_id,
        session_id=uuid.UUID(str(session_id)),
        actor_kind=actor.kind,
        facilitator_id=actor.facilitator_id,
        api_key_id=actor.api_key_id,
        action=action,
        target_seat_id=target_seat_id,
        detail=detail,
    )
    db.session.add(entry)
    return entry


@contextmanager
def recorded(
    session_id: uuid.UUID | str,
    actor: Actor,
    action: str,
    target_seat_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> Iterator[AuditEntry]:
    """Record an entry for the change the block makes and commits; a refusal in it rolls both back."""
    entry = record(session_id, actor, action, target_seat_id, detail)
    try:
        yield entry
    except Exception:
        db.session.rollback()
        raise
