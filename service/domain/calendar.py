"""iCalendar feeds of a group's series, built from the same rule that materializes its sessions.

Feeds describe the circle only (title, times, a short line): never anyone who takes part. A
participant's own feed also carries their join link, since they reached it through that link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import icalendar

from service.domain.recurrence import Schedule, ical_rrule, zone
from service.domain.sessions import session_for_link
from service.extensions import db
from service.models import CircleSession, Group, Registration, utcnow

PRODID = "-//Hearth//Peer support circles//EN"


@dataclass(frozen=True)
class FeedWords:
    """What a feed says in words (%-placeholders), in its reader's language: pages pass them translated."""

    circle: str = "A Hearth peer support circle (%(minutes)d minutes)."
    join: str = "Join from your personal link (keep it to yourself): %(url)s"
    waitlisted: str = (
        "You are on the waitlist for this circle: you do not have a seat yet. If a seat frees up, "
        "this calendar shows every session you have a seat in."
    )
    waitlisted_entry: str = "Waitlisted: %(title)s"
    waitlisted_calendar: str = "%(title)s (waitlisted)"


ENGLISH = FeedWords()


def _calendar(group: Group, name: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name or group.title)
    return cal


def _event(
    group: Group,
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    stamp: datetime,
    join_url: str | None = None,
    words: FeedWords = ENGLISH,
) -> icalendar.Event:
    tz = zone(group.timezone)
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", group.title)
    description = words.circle % {"minutes": group.duration_minutes}
    if join_url:
        # Calendar apps show the description everywhere; URL alone is hidden by some of them.
        description += "\n\n" + words.join % {"url": join_url}
        event.add("url", join_url)
    event.add("description", description)
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


def _series_events(
    group: Group, now: datetime, join_url: str | None = None, words: FeedWords = ENGLISH
) -> list[icalendar.Event]:
    """The series event with its exceptions, overrides for moved occurrences, and stray sessions."""
    tz = zone(group.timezone)
    schedule = Schedule.of(group)
    first = schedule.first_instant()
    series = _event(group, _series_uid(group), first, first + schedule.duration, now, join_url, words)
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
            override = _event(
                group, _series_uid(group), session.starts_at, session.ends_at, now, join_url, words
            )
            override.add("recurrence-id", start.astimezone(tz))
            events.append(override)
    if exdates:
        series.add("exdate", exdates)
    # Sessions the current rule no longer produces (kept by hand across a schedule change).
    for session in by_original.values():
        if session.status != "cancelled":
            events.append(
                _event(group, _session_uid(session), session.starts_at, session.ends_at, now, join_url, words)
            )
    return events


def _serialize(group: Group, events: list[icalendar.Event], name: str | None = None) -> bytes:
    cal = _calendar(group, name)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def group_feed(group: Group, now: datetime | None = None) -> bytes:
    """The whole series of `group` as an iCalendar document."""
    return _serialize(group, _series_events(group, now or utcnow()))


def _waitlisted_feed(
    registration: Registration, group: Group, join_url: str, now: datetime, words: FeedWords
) -> bytes:
    """One tentative entry for the session the person waits for, never the whole series."""
    events = []
    session = session_for_link(registration, now)
    if session is not None and session.status != "cancelled":
        event = _event(group, _session_uid(session), session.starts_at, session.ends_at, now, join_url, words)
        event["summary"] = words.waitlisted_entry % {"title": group.title}
        event["description"] = f"{words.waitlisted}\n\n{event['description']}"
        event.add("status", "TENTATIVE")
        # A place on a waitlist should not mark the person busy.
        event.add("transp", "TRANSPARENT")
        events.append(event)
    return _serialize(group, events, words.waitlisted_calendar % {"title": group.title})


def registration_feed(
    registration: Registration, join_url: str, words: FeedWords = ENGLISH, now: datetime | None = None
) -> bytes:
    """What one registration is for, each entry with the person's join link: the series, or one session.

    A waitlisted person's feed says so, with the session they wait for, rather than every session.
    """
    now = now or utcnow()
    group = db.session.get(Group, registration.group_id)
    if registration.status == "waitlisted":
        return _waitlisted_feed(registration, group, join_url, now, words)
    if registration.session_id is None:
        return _serialize(group, _series_events(group, now, join_url, words))
    session = db.session.get(CircleSession, registration.session_id)
    event = _event(group, _session_uid(session), session.starts_at, session.ends_at, now, join_url, words)
    if session.status == "cancelled":
        event.add("status", "CANCELLED")
    return _serialize(group, [event])
