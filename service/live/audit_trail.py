"""Noting a facilitator's room action in the audit log."""

from __future__ import annotations

from typing import Any

from service.domain import audit
from service.extensions import db
from service.live.access import Member


def actor_of(member: Member) -> audit.Actor:
    """The audit log's actor for a facilitator in the room."""
    return audit.Actor(member.organization_id, facilitator_id=member.facilitator_id)


def note(
    member: Member, action: str, target_seat_id: str | None = None, detail: dict[str, Any] | None = None
) -> None:
    """Record the action and commit, with whatever else the caller changed in the database.

    Called once the room store accepted the change, so the log holds exactly what happened.
    """
    audit.record(member.session_id, actor_of(member), action, target_seat_id, detail)
    db.session.commit()
