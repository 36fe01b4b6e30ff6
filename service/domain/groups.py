"""Groups: create, change and archive a recurring series of circles."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from service.domain import sessions
from service.domain.errors import Conflict, Invalid
from service.domain.lookup import get_group
from service.domain.recurrence import normalize, zone
from service.domain.relay import check_relay_choice
from service.extensions import db
from service.models import Facilitator, Group, GroupFacilitator, Registration

# Changing any of these moves, adds or drops occurrences.
SCHEDULE_FIELDS = ("timezone", "first_start", "duration_minutes", "recurrence")
_SIMPLE_FIELDS = (
    "title",
    "description",
    "topic",
    "language",
    "capacity",
    "waitlist_enabled",
    "allowed_modes",
    "chat_enabled",
    "agreement",
    "lobby_opens_minutes",
    "region",
    "public",
    "registration_url",
    "relay_media",
)


# A series' first occurrence lies within this window around now: wide enough for a series that
# began last year or starts in a few years, narrow enough that expanding it is always quick.
FIRST_START_PAST = timedelta(days=366)
FIRST_START_FUTURE = timedelta(days=5 * 366)


def _check_first_start(first_start: datetime, timezone: str, now: datetime) -> None:
    local_now = now.astimezone(zone(timezone)).replace(tzinfo=None)
    if not local_now - FIRST_START_PAST <= first_start <= local_now + FIRST_START_FUTURE:
        raise Invalid(
            "A series starts at most a year ago and at most five years ahead.",
            fields={"first_start": ["Within a year before and five years after today."]},
        )


def _check_schedule(data: dict[str, Any]) -> dict[str, Any] | None:
    """The normalized recurrence for this timezone/first_start/recurrence, or Invalid."""
    zone(data["timezone"])
    return normalize(data["recurrence"], data["first_start"])


def _check_listing(public: bool, registration_url: str | None) -> None:
    # A circle listed for anyone to find must say how to ask for a place in it.
    if public and not registration_url:
        raise Invalid(
            "A group listed in the public directory needs its registration link.",
            fields={"registration_url": ["Required while public is true."]},
        )


def _facilitator_links(organization_id: uuid.UUID, assigned: list[dict[str, Any]]) -> list[GroupFacilitator]:
    ids = [a["facilitator_id"] for a in assigned]
    found = set(
        db.session.execute(
            db.select(Facilitator.id).where(
                Facilitator.id.in_(ids),
                Facilitator.organization_id == organization_id,
                Facilitator.active.is_(True),
            )
        ).scalars()
    )
    missing = [str(i) for i in ids if i not in found]
    if missing:
        # Another organization's facilitator reads exactly like an unknown one: nothing leaks.
        raise Invalid(
            "Some facilitators are not active facilitators of this organization.",
            fields={"facilitators": [f"No active facilitator {i}." for i in missing]},
        )
    return [
        GroupFacilitator(facilitator_id=a["facilitator_id"], role=a.get("role", "lead")) for a in assigned
    ]


def create_group(
    organization_id: uuid.UUID,
    data: dict[str, Any],
    now: datetime,
    horizon_weeks: int,
    *,
    relay_possible: bool = False,
) -> Group:
    """Create a group and materialize its sessions up to the horizon."""
    check_relay_choice(data, relay_possible)
    recurrence = _check_schedule(data)
    _check_first_start(data["first_start"], data["timezone"], now)
    _check_listing(data["public"], data["registration_url"])
    group = Group(
        organization_id=organization_id,
        timezone=data["timezone"],
        first_start=data["first_start"],
        duration_minutes=data["duration_minutes"],
        recurrence=recurrence,
        status="active",
        # A field left out (a caller older than it, such as relay_media) takes the model's default.
        **{field: data[field] for field in _SIMPLE_FIELDS if field in data},
    )
    group.facilitator_links = _facilitator_links(organization_id, data["facilitators"])
    db.session.add(group)
    db.session.flush()
    sessions.materialize(group, now, horizon_weeks)
    db.session.commit()
    return group


def active_registrations(group: Group) -> int:
    """How many seats of the group are taken."""
    return db.session.execute(
        db.select(db.func.count(Registration.id)).where(
            Registration.group_id == group.id, Registration.status == "active"
        )
    ).scalar_one()


def update_group(
    organization_id: uuid.UUID,
    group_id: uuid.UUID,
    changes: dict[str, Any],
    now: datetime,
    horizon_weeks: int,
    *,
    relay_possible: bool = False,
) -> Group:
    """Change some fields of a group; schedule changes refresh its future sessions."""
    check_relay_choice(changes, relay_possible)
    group = get_group(organization_id, group_id)
    if group.status != "active":
        raise Conflict("An archived group cannot be changed.")
    if "capacity" in changes and changes["capacity"] < active_registrations(group):
        raise Conflict(
            "More people are registered than this capacity allows.",
            fields={"capacity": ["Below the number of current registrations."]},
        )
    _check_listing(
        changes.get("public", group.public), changes.get("registration_url", group.registration_url)
    )
    schedule_changed = any(f in changes for f in SCHEDULE_FIELDS)
    if schedule_changed:
        merged = {f: changes.get(f, getattr(group, f)) for f in SCHEDULE_FIELDS}
        changes = {**changes, "recurrence": _check_schedule(merged)}
        if "first_start" in changes:
            _check_first_start(merged["first_start"], merged["timezone"], now)
    if "agreement" in changes and changes["agreement"] != group.agreement:
        group.agreement_version += 1
    if "facilitators" in changes:
        group.facilitator_links = _facilitator_links(organization_id, changes["facilitators"])
    for field in (*_SIMPLE_FIELDS, *SCHEDULE_FIELDS):
        if field in changes:
            setattr(group, field, changes[field])
    if schedule_changed:
        db.session.flush()
        sessions.refresh(group, now, horizon_weeks)
    db.session.commit()
    return group


def archive_group(organization_id: uuid.UUID, group_id: uuid.UUID, now: datetime) -> Group:
    """Archive a group: past sessions stay, scheduled future ones are cancelled."""
    group = get_group(organization_id, group_id)
    if group.status == "archived":
        raise Conflict("This group is already archived.")
    group.status = "archived"
    sessions.cancel_future(group, now, sessions.ARCHIVED_REASON)
    db.session.commit()
    return group
