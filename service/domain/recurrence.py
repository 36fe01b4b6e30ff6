"""A group's schedule: one description, expanded into instants and written as an iCalendar RRULE.

Occurrences are computed on naive local wall-clock times and only then placed in the group's
zone, so a weekly 19:00 circle stays at 19:00 local on both sides of a daylight-saving change.

Local times are resolved as RFC 5545 (3.3.5) resolves them, which is also zoneinfo's `fold=0`:
a time in the spring-forward gap is read with the offset before the gap (02:30 on a
change-over night in New York becomes 03:30 EDT), and an ambiguous time in the autumn
overlap is its first occurrence (the daylight one). Calendar clients therefore show exactly
the instants that Hearth materializes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule

from service.domain.errors import Invalid

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQUENCIES = ("weekly", "monthly")
_RRULE_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`, or Invalid."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid("Unknown time zone.", fields={"timezone": ["Not a known IANA time zone."]}) from exc


def to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """The instant of the naive wall-clock time `local` in `tz` (fold=0, as RFC 5545 reads it)."""
    return local.replace(tzinfo=tz, fold=0).astimezone(UTC)


def week_of_month(day: date) -> int:
    """Which occurrence of its weekday in the month `day` is: 1-4, or -1 when it is the last."""
    if (day + timedelta(weeks=1)).month != day.month:
        return -1
    return (day.day - 1) // 7 + 1


def normalize(recurrence: dict[str, Any] | None, first_start: datetime) -> dict[str, Any] | None:
    """The rule with its defaults filled in from `first_start`, checked to include `first_start`."""
    if recurrence is None:
        return None
    rule: dict[str, Any] = {"frequency": recurrence["frequency"], "interval": recurrence.get("interval", 1)}
    start_day = WEEKDAYS[first_start.weekday()]
    if rule["frequency"] == "weekly":
        weekdays = recurrence.get("weekdays") or [start_day]
        rule["weekdays"] = [d for d in WEEKDAYS if d in weekdays]
        if start_day not in rule["weekdays"]:
            # RFC 5545 always counts DTSTART as an occurrence; dateutil does not. Requiring the
            # first start to fit the rule keeps the feed and the sessions identical.
            raise _mismatch("weekdays", f"Must include the weekday of first_start ({start_day}).")
    else:
        rule["weekday"] = recurrence.get("weekday") or start_day
        rule["week_of_month"] = recurrence.get("week_of_month") or week_of_month(first_start.date())
        if rule["weekday"] != start_day:
            raise _mismatch("weekday", f"Must be the weekday of first_start ({start_day}).")
        if rule["week_of_month"] not in _weeks_of(first_start.date()):
            raise _mismatch("week_of_month", "first_start is not in this week of its month.")
    until = recurrence.get("until")
    if until is not None:
        until = until if isinstance(until, date) else date.fromisoformat(until)
        if until < first_start.date():
            raise _mismatch("until", "Must not be before first_start.")
        rule["until"] = until.isoformat()
    if recurrence.get("count") is not None:
        rule["count"] = recurrence["count"]
    return rule


def _weeks_of(day: date) -> set[int]:
    weeks = {(day.day - 1) // 7 + 1}
    if (day + timedelta(weeks=1)).month != day.month:
        weeks.add(-1)
    return weeks


def _mismatch(field: str, message: str) -> Invalid:
    return Invalid("The recurrence does not fit first_start.", fields={f"recurrence.{field}": [message]})


def _until_local(rule: dict[str, Any]) -> datetime | None:
    # `until` is a local date, inclusive: the whole of that day counts.
    return datetime.combine(date.fromisoformat(rule["until"]), time(23, 59, 59)) if "until" in rule else None


def _byweekday(rule: dict[str, Any]) -> list[rrule.weekday]:
    if rule["frequency"] == "weekly":
        return [_RRULE_WEEKDAYS[WEEKDAYS.index(d)] for d in rule["weekdays"]]
    return [_RRULE_WEEKDAYS[WEEKDAYS.index(rule["weekday"])](rule["week_of_month"])]


def local_starts(first_start: datetime, rule: dict[str, Any] | None) -> Iterator[datetime]:
    """The naive local start of every occurrence, in order (possibly without end)."""
    if rule is None:
        yield first_start
        return
    yield from rrule.rrule(
        rrule.WEEKLY if rule["frequency"] == "weekly" else rrule.MONTHLY,
        dtstart=first_start,
        interval=rule["interval"],
        wkst=rrule.MO,
        byweekday=_byweekday(rule),
        until=_until_local(rule),
        count=rule.get("count"),
    )


@dataclass(frozen=True)
class Schedule:
    """What decides when a group meets."""

    timezone: str
    first_start: datetime
    duration_minutes: int
    recurrence: dict[str, Any] | None

    @classmethod
    def of(cls, group: Any) -> Schedule:
        """The schedule of a group (anything with the four fields)."""
        return cls(group.timezone, group.first_start, group.duration_minutes, group.recurrence)

    @property
    def duration(self) -> timedelta:
        """How long each occurrence lasts."""
        return timedelta(minutes=self.duration_minutes)

    def starts(self, until: datetime) -> Iterator[datetime]:
        """Every occurrence's start as an aware UTC instant, up to and including `until`."""
        tz = zone(self.timezone)
        for local in local_starts(self.first_start, self.recurrence):
            instant = to_utc(local, tz)
            if instant > until:
                return
            yield instant

    def first_instant(self) -> datetime:
        """The instant of the first occurrence."""
        return to_utc(self.first_start, zone(self.timezone))


def ical_rrule(rule: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    """The rule as iCalendar RRULE parts (for icalendar's vRecur)."""
    parts: dict[str, Any] = {"FREQ": rule["frequency"].upper(), "INTERVAL": rule["interval"], "WKST": "MO"}
    if rule["frequency"] == "weekly":
        parts["BYDAY"] = list(rule["weekdays"])
    else:
        parts["BYDAY"] = [f"{rule['week_of_month']:+d}{rule['weekday']}"]
    until = _until_local(rule)
    if until is not None:
        # RFC 5545: with a DTSTART in a zone, UNTIL is given in UTC.
        parts["UNTIL"] = to_utc(until, tz)
    if "count" in rule:
        parts["COUNT"] = rule["count"]
    return parts
