"""iCalendar feeds of a group's series, built from the same rule that materializes its sessions.

Feeds describe the circle only (title, times, a short line): never anyone who takes part.
"""

from __future__ import annotations

from datetime import datetime

import icalendar

from service.domain.recurrence import Schedule, ical_rrule, zone
from service.extensions import db
from service.models import CircleSession, Group, Registration, utcnow

PRODID = "-//Hearth//Peer support circles//EN"


def _calendar(group: Group) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", group.title)
    return cal


def _event(
    group: Group, uid: str, starts_at: datetime, ends_at: datetime, stamp: datetime
) -> icalendar.Event:
    tz = zone(group.timezone)
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", group.title)
    event.add("description", f"A Hearth peer support circle ({group.duration_minutes} minutes).")
    event.add("dtstart", starts_at.astimezone(tz))
    event.add("dtend", ends_at.astimezone(tz))
    return event


def _series_uid(group: Group) -> str:
    return f"group-{group.id}@hearth"


def _session_uid(session: CircleSession) -> str:
    return f"session-{session.id}@hearth"


def _sessions(group: Group) -> list[CircleSession]:
    select = db.select(CircleSession).where(CircleSession.group_id == group.id)
    return list(db.session.execute(select.order_by(CircleSession.original_start)).scalars())


def _rule_starts(group: Group) -> list[datetime]:
    """The rule's instants up to the materialized horizon (beyond it, the RRULE alone speaks)."""
    until = group.materialized_until or Schedule.of(group).first_instant()
    return list(Schedule.of(group).starts(until))


def _rrule(group: Group) -> dict:
    parts = ical_rrule(group.recurrence, zone(group.timezone))
    if group.status == "archived" and group.materialized_until is not None:
        # An archived series ends where its sessions end; calendars should not run on forever.
        parts.pop("COUNT", None)
        parts["UNTIL"] = min(parts.get("UNTIL", group.materialized_until), group.materialized_until)
    return parts


def rrule_text(group: Group) -> str | None:
    """The group's rule as an iCalendar RRULE value, or None for a one-off."""
    return None if group.recurrence is None else icalendar.vRecur(_rrule(group)).to_ical().decode()


def _series_events(group: Group, now: datetime) -> list[icalendar.Event]:
    """The series event with its exceptions, overrides for moved occurrences, and stray sessions."""
    tz = zone(group.timezone)
    schedule = Schedule.of(group)
    first = schedule.first_instant()
    series = _event(group, _series_uid(group), first, first + schedule.duration, now)
    by_original = {s.original_start: s for s in _sessions(group)}
    events = [series]
    if group.recurrence is not None:
        series.add("rrule", _rrule(group))
    exdates = []
    for start in _rule_starts(group):
        session = by_original.pop(start, None)
        # Occurrences that never happened (cancelled, or before the group existed) are excluded.
        if session is None or session.status == "cancelled":
            exdates.append(start.astimezone(tz))
        elif (session.starts_at, session.ends_at) != (start, start + schedule.duration):
            override = _event(group, _series_uid(group), session.starts_at, session.ends_at, now)
            override.add("recurrence-id", start.astimezone(tz))
            events.append(override)
    if exdates:
        series.add("exdate", exdates)
    # Sessions the current rule no longer produces (kept by hand across a schedule change).
    for session in by_original.values():
        if session.status != "cancelled":
            events.append(_event(group, _session_uid(session), session.starts_at, session.ends_at, now))
    return events


def _serialize(group: Group, events: list[icalendar.Event]) -> bytes:
    cal = _calendar(group)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def group_feed(group: Group, now: datetime | None = None) -> bytes:
    """The whole series of `group` as an iCalendar document."""
    return _serialize(group, _series_events(group, now or utcnow()))


def registration_feed(registration: Registration, now: datetime | None = None) -> bytes:
    """What one registration is for: the group's series, or the one session it names."""
    now = now or utcnow()
    group = db.session.get(Group, registration.group_id)
    if registration.session_id is None:
        return group_feed(group, now)
    session = db.session.get(CircleSession, registration.session_id)
    event = _event(group, _session_uid(session), session.starts_at, session.ends_at, now)
    if session.status == "cancelled":
        event.add("status", "CANCELLED")
    return _serialize(group, [event])
