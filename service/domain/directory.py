"""The public directory: the groups an organization chose to list, as meeting-finder apps read them.

The feed follows the Meeting Guide specification (github.com/code4recovery/spec): a plain JSON
array of weekly meetings. It describes circles only: never a facilitator, a participant, how
many seats are taken or a join link; people ask for a place through the organization's own link.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from service.domain.errors import NotFound
from service.domain.recurrence import WEEKDAYS
from service.domain.sessions import OPEN_STATUSES
from service.extensions import db
from service.models import CircleSession, Group, Organization

# Meeting Guide counts days from Sunday (0) to Saturday (6).
_DAY_NUMBERS = {"SU": 0, "MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6}
# The spec's meeting types for the languages Hearth's circles are held in.
LANGUAGE_TYPES = {"en": "EN", "es": "S"}
REGISTRATION_NOTE = "Ask for a place through this link; you then receive your own way in."


def organization(organization_id: uuid.UUID) -> Organization:
    """The organization whose directory this is, or NotFound."""
    found = db.session.get(Organization, organization_id)
    if found is None:
        raise NotFound("No such directory.")
    return found


def listed_groups(organization_id: uuid.UUID) -> list[Group]:
    """The organization's active groups it marked public, by title."""
    return list(
        db.session.execute(
            db.select(Group)
            .where(Group.organization_id == organization_id, Group.status == "active", Group.public.is_(True))
            .order_by(Group.title, Group.id)
        ).scalars()
    )


def next_session(group: Group, now: datetime) -> CircleSession | None:
    """The group's next session not over at `now`, if any."""
    return db.session.execute(
        db.select(CircleSession)
        .where(
            CircleSession.group_id == group.id,
            CircleSession.status.in_(OPEN_STATUSES),
            CircleSession.ends_at > now,
        )
        .order_by(CircleSession.starts_at)
        .limit(1)
    ).scalar_one_or_none()


def is_weekly(group: Group) -> bool:
    """Whether the group meets every week, the only kind of meeting the feed's specification lists."""
    rule = group.recurrence
    return rule is not None and rule["frequency"] == "weekly" and rule["interval"] == 1


def meeting(group: Group, organization_name: str) -> dict[str, Any]:
    """One weekly group as a Meeting Guide meeting."""
    days = [_DAY_NUMBERS[day] for day in WEEKDAYS if day in group.recurrence["weekdays"]]
    ends = group.first_start + timedelta(minutes=group.duration_minutes)
    language = LANGUAGE_TYPES.get(group.language.split("-")[0].lower())
    entry: dict[str, Any] = {
        "name": group.title,
        "slug": str(group.id),
        "day": days[0] if len(days) == 1 else days,
        "time": group.first_start.strftime("%H:%M"),
        "end_time": ends.strftime("%H:%M"),
        "timezone": group.timezone,
        "conference_url": group.registration_url,
        "conference_url_notes": REGISTRATION_NOTE,
        "url": group.registration_url,
        "types": [language] if language else [],
        "updated": group.updated_at.strftime("%Y-%m-%d %H:%M:%S"),
        "entity": organization_name,
    }
    if group.description:
        entry["notes"] = group.description
    return entry


def feed(organization_id: uuid.UUID, now: datetime) -> list[dict[str, Any]]:
    """The organization's listed weekly groups that still meet, as a Meeting Guide feed."""
    name = organization(organization_id).name
    return [
        meeting(group, name)
        for group in listed_groups(organization_id)
        if is_weekly(group) and next_session(group, now) is not None
    ]
