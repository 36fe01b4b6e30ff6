"""Groups and sessions made straight through the models (their API lives elsewhere)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from service.extensions import db
from service.models import CircleSession, Group

AGREEMENT = ["What is shared here stays here.", "Listen to understand.", "Pass is always an answer."]


def make_group(organization_id: uuid.UUID, **fields) -> Group:
    """An active group in New York, first meeting next week, capacity 8 unless told."""
    values = {
        "organization_id": organization_id,
        "title": "Tuesday evening circle",
        "description": "A calm hour to be heard.",
        "timezone": "America/New_York",
        "first_start": datetime(2030, 1, 8, 18, 0),
        "duration_minutes": 60,
        "capacity": 8,
        "allowed_modes": ["speak", "camera_off", "listen_only"],
        "agreement": AGREEMENT,
        "waitlist_enabled": False,
        **fields,
    }
    group = Group(**values)
    db.session.add(group)
    db.session.commit()
    return group


def make_session(group: Group, *, days_ahead: int = 7, **fields) -> CircleSession:
    """A scheduled session of `group`, `days_ahead` days from now."""
    starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days_ahead)
    session = CircleSession(
        organization_id=group.organization_id,
        group_id=group.id,
        original_start=starts_at,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=group.duration_minutes),
        **fields,
    )
    db.session.add(session)
    db.session.commit()
    return session
