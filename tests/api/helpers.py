"""Helpers shared by the group, session and calendar tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from service.domain.tokens import new_token, token_hash
from service.extensions import db
from service.models import Registration


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
