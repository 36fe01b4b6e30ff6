"""Recurrence rules: expanded on local wall-clock times, then placed in the zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import islice
from zoneinfo import ZoneInfo

import pytest

from service.domain.errors import Invalid
from service.domain.recurrence import Schedule, ical_rrule, normalize, to_utc

FAR = datetime(2030, 1, 1, tzinfo=UTC)


def _local_starts(zone: str, first_start: datetime, recurrence: dict | None, n: int = 100) -> list[datetime]:
    schedule = Schedule(zone, first_start, 60, normalize(recurrence, first_start))
    tz = ZoneInfo(zone)
    return [s.astimezone(tz).replace(tzinfo=None) for s in islice(schedule.starts(FAR), n)]


def test_one_off_is_a_single_occurrence():
    assert _local_starts("Europe/London", datetime(2027, 3, 1, 19), None) == [datetime(2027, 3, 1, 19)]


def test_weekly_defaults_to_the_weekday_of_first_start():
    starts = _local_starts("Europe/London", datetime(2027, 3, 1, 19), {"frequency": "weekly"}, 3)
    assert starts == [datetime(2027, 3, 1, 19), datetime(2027, 3, 8, 19), datetime(2027, 3, 15, 19)]


def test_every_other_week_on_two_days():
    rule = {"frequency": "weekly", "interval": 2, "weekdays": ["TH", "MO"]}
    starts = _local_starts("Europe/London", datetime(2027, 3, 1, 19), rule, 4)
    assert [s.date() for s in starts] == [
        date(2027, 3, 1),
        date(2027, 3, 4),
        date(2027, 3, 15),
        date(2027, 3, 18),
    ]
    assert normalize(rule, datetime(2027, 3, 1, 19))["weekdays"] == ["MO", "TH"]


def test_monthly_nth_weekday_defaults_from_first_start():
    # 2027-03-09 is the second Tuesday of March.
    rule = normalize({"frequency": "monthly"}, datetime(2027, 3, 9, 18))
    assert rule == {"frequency": "monthly", "interval": 1, "weekday": "TU", "week_of_month": 2}
    starts = _local_starts("America/New_York", datetime(2027, 3, 9, 18), {"frequency": "monthly"}, 3)
    assert [s.date() for s in starts] == [date(2027, 3, 9), date(2027, 4, 13), date(2027, 5, 11)]


def test_monthly_last_weekday():
    rule = {"frequency": "monthly", "week_of_month": -1, "weekday": "FR"}
    starts = _local_starts("Europe/London", datetime(2027, 1, 29, 12), rule, 4)
    assert [s.date() for s in starts] == [
        date(2027, 1, 29),
        date(2027, 2, 26),
        date(2027, 3, 26),
        date(2027, 4, 30),
    ]
    assert ical_rrule(normalize(rule, datetime(2027, 1, 29, 12)), ZoneInfo("Europe/London"))["BYDAY"] == [
        "-1FR"
    ]


def test_until_is_an_inclusive_local_date():
    rule = {"frequency": "weekly", "until": date(2027, 3, 15)}
    starts = _local_starts("Europe/London", datetime(2027, 3, 1, 19), rule)
    assert [s.date() for s in starts] == [date(2027, 3, 1), date(2027, 3, 8), date(2027, 3, 15)]
    parts = ical_rrule(normalize(rule, datetime(2027, 3, 1, 19)), ZoneInfo("Europe/London"))
    assert parts["UNTIL"] == datetime(2027, 3, 15, 23, 59, 59, tzinfo=UTC)


def test_count_limits_the_occurrences():
    starts = _local_starts("Europe/London", datetime(2027, 3, 1, 19), {"frequency": "weekly", "count": 5})
    assert len(starts) == 5 and starts[-1] == datetime(2027, 3, 29, 19)


@pytest.mark.parametrize(
    ("zone", "first_start", "offsets"),
    [
        # New York springs forward on 2027-03-14 and falls back on 2027-11-07.
        ("America/New_York", datetime(2027, 3, 7, 19), [-5, -4, -4]),
        ("America/New_York", datetime(2027, 10, 31, 19), [-4, -5, -5]),
        # London: 2027-03-28 and 2027-10-31.
        ("Europe/London", datetime(2027, 3, 21, 19), [0, 1, 1]),
        ("Europe/London", datetime(2027, 10, 24, 19), [1, 0, 0]),
    ],
)
def test_daylight_saving_changes_keep_the_local_time(zone, first_start, offsets):
    schedule = Schedule(zone, first_start, 60, normalize({"frequency": "weekly"}, first_start))
    starts = list(islice(schedule.starts(FAR), 3))
    local = [s.astimezone(ZoneInfo(zone)) for s in starts]
    assert all(t.hour == 19 and t.minute == 0 for t in local)
    assert [t.utcoffset().total_seconds() / 3600 for t in local] == offsets
    assert [(s.hour, s.minute) for s in starts] == [((19 - o) % 24, 0) for o in offsets]


def test_nonexistent_time_uses_the_offset_before_the_gap():
    # 02:30 does not exist in New York on 2027-03-14: read with EST it is 03:30 EDT (RFC 5545).
    assert to_utc(datetime(2027, 3, 14, 2, 30), ZoneInfo("America/New_York")) == datetime(
        2027, 3, 14, 7, 30, tzinfo=UTC
    )


def test_ambiguous_time_is_its_first_occurrence():
    assert to_utc(datetime(2027, 11, 7, 1, 30), ZoneInfo("America/New_York")) == datetime(
        2027, 11, 7, 5, 30, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"frequency": "weekly", "weekdays": ["TU"]}, "recurrence.weekdays"),
        ({"frequency": "monthly", "weekday": "TU"}, "recurrence.weekday"),
        ({"frequency": "monthly", "week_of_month": 3}, "recurrence.week_of_month"),
        ({"frequency": "weekly", "until": date(2027, 2, 1)}, "recurrence.until"),
    ],
)
def test_rules_that_do_not_fit_first_start_are_refused(rule, field):
    with pytest.raises(Invalid) as caught:
        normalize(rule, datetime(2027, 3, 1, 19))
    assert field in caught.value.fields
