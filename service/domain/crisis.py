"""PLACEHOLDER (owned by S2, replaced at merge): crisis resources for a region."""

from __future__ import annotations

import uuid

from service.models import Group, Registration

_INTERNATIONAL = {
    "id": "intl-findahelpline",
    "name": "Find A Helpline",
    "kind": "crisis",
    "region": "INTL",
    "contacts": [{"channel": "web", "value": "https://findahelpline.com", "note": None}],
    "hours": "Directory, always available",
    "url": "https://findahelpline.com",
    "source": "https://findahelpline.com",
    "checked_on": "2026-11-01",
}
_US = {
    "id": "us-988",
    "name": "988 Suicide & Crisis Lifeline",
    "kind": "crisis",
    "region": "US",
    "contacts": [
        {"channel": "call", "value": "988", "note": None},
        {"channel": "text", "value": "988", "note": None},
    ],
    "hours": "24/7",
    "url": "https://988lifeline.org",
    "source": "https://988lifeline.org",
    "checked_on": "2026-11-01",
}


def resources_for(organization_id: uuid.UUID, region: str | None) -> list[dict]:
    """The resources for a region, then the international fallback (placeholder data)."""
    return [_US, _INTERNATIONAL] if region == "US" else [_INTERNATIONAL]


def region_for(registration: Registration | None, group: Group) -> str | None:
    """The registration's region, else the group's."""
    return (registration.region if registration else None) or group.region
