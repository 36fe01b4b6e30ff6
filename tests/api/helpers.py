"""Test helpers: groups through the API, or rows made straight through the models."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from service.domain.tokens import new_token, token_hash
from service.extensions import db
from service.models import CircleSession, Group, Registration

AGREEMENT = ["What is shared here stays here.", "Listen to understand.", "Pass is always an answer."]


def create_group(org, **fields):
    """POST a weekly 19:00 London group starting Monday 2027-03-01, with `fields` on top."""
    body = {
        "title": "Monday evening circle",
        "timezone": "Europe/London",
        "first_start": "2027-03-01T19:00:00",
        "recurrence": {"frequency": "weekly"},
        **fields,
    }
    response = org.post("/api/v1/groups", json=body)
    assert response.status_code == 201, response.json
    return response.json


def sessions_of(org, group_id: str, query: str = "") -> list[dict]:
    """Every session of a group (all pages)."""
    url = f"/api/v1/groups/{group_id}/sessions?limit=100{query}"
    items: list[dict] = []
    while url:
        page = org.get(url).json
        items += page["items"]
        url = page["next"] and page["next"].removeprefix("http://localhost")
    return items


def register(org, group_id: str, session_id: str | None = None, status: str = "active") -> str:
    """Insert a registration directly (its API is built elsewhere); returns its join token."""
    token = new_token()
    db.session.add(
        Registration(
            organization_id=org.id,
            group_id=uuid.UUID(group_id),
            session_id=uuid.UUID(session_id) if session_id else None,
            external_ref="person-4711@example.org",
            status=status,
            token_hash=token_hash(token),
        )
    )
    db.session.commit()
    return token


def instant(text: str) -> datetime:
    """An ISO timestamp from the API as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)


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


def make_session(
    group: Group, *, days_ahead: int = 7, starts_in: timedelta | None = None, **fields
) -> CircleSession:
    """A scheduled session of `group`, `starts_in` (or `days_ahead` days) from now."""
    starts_in = timedelta(days=days_ahead) if starts_in is None else starts_in
    starts_at = datetime.now(UTC).replace(microsecond=0) + starts_in
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
