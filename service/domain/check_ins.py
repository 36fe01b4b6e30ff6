"""Anonymous check-in and check-out aggregates of a group, safe against differencing.

The rule: figures are built from whole UTC calendar months, each month counted only when at
least `MINIMUM_PEOPLE` distinct people contributed to that figure in it, and only once the month
has ended (so its figures can no longer change). Any range is then a union of such months, and
the difference between two answers is again a union of whole months of at least five people:
never a single session, a single day, or one person's ratings. Months are UTC rather than the
group's zone so that changing the zone cannot move a session from one month to the next.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from service.domain.lookup import get_group
from service.extensions import db
from service.models import AnonymousRating, Attendance, CircleSession

MINIMUM_PEOPLE = 5
RATINGS = (1, 2, 3, 4, 5)
# A session may run past midnight at the month's end: its ratings settle within a day.
MONTH_SETTLES = timedelta(days=1)
# Without `from`, a year up to `to`.
DEFAULT_SPAN_MONTHS = 12


@dataclass(frozen=True, order=True)
class Month:
    """A UTC calendar month."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        year, month = text.split("-")
        return cls(int(year), int(month))

    @classmethod
    def of(cls, instant: datetime) -> Month:
        instant = instant.astimezone(UTC)
        return cls(instant.year, instant.month)

    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def minus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 - months
        return Month(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass
class Figure:
    """One figure over the months that may be shown: a distribution and mean, or a mean change."""

    values: list[int] = field(default_factory=list)
    months: list[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return bool(self.months)

    @property
    def reason(self) -> str | None:
        return None if self.shown else "too_few_people"

    @property
    def minimum(self) -> int:
        return MINIMUM_PEOPLE

    @property
    def mean(self) -> float | None:
        return round(sum(self.values) / len(self.values), 2) if self.shown else None

    @property
    def distribution(self) -> dict[str, int] | None:
        return {str(r): self.values.count(r) for r in RATINGS} if self.shown else None


@dataclass(frozen=True)
class CheckIns:
    """The group's aggregates over the months `first` to `last`, each figure shown or withheld."""

    group_id: uuid.UUID
    first: Month
    last: Month
    arrival: Figure
    leaving: Figure
    change: Figure


def last_complete_month(now: datetime) -> Month:
    """The latest month whose figures have settled."""
    return Month.of(now - MONTH_SETTLES).minus(1)


def _figure(by_month: dict[Month, list[tuple[uuid.UUID, int]]]) -> Figure:
    figure = Figure()
    for month in sorted(by_month):
        contributions = by_month[month]
        if len({person for person, _ in contributions}) >= MINIMUM_PEOPLE:
            figure.values += [value for _, value in contributions]
            figure.months.append(str(month))
    return figure


def _rows(group_id: uuid.UUID, first: Month, last: Month, now: datetime) -> Iterator[tuple]:
    """(month, person, check-in, check-out) of every rating in range: attendance and anonymous ones."""
    until = min(last.next().start(), last_complete_month(now).next().start())
    attended = db.session.execute(
        db.select(
            CircleSession.starts_at,
            Attendance.registration_id,
            Attendance.check_in_rating,
            Attendance.check_out_rating,
        )
        .join(CircleSession, CircleSession.id == Attendance.session_id)
        .where(
            CircleSession.group_id == group_id,
            CircleSession.status == "ended",
            CircleSession.starts_at >= first.start(),
            CircleSession.starts_at < until,
            Attendance.registration_id.is_not(None),
        )
    )
    for starts_at, person, check_in, check_out in attended:
        yield Month.of(starts_at), person, check_in, check_out
    # Ratings of people since erased or purged, kept so that past months read as they did.
    anonymous = db.session.execute(
        db.select(
            AnonymousRating.month,
            AnonymousRating.contributor,
            AnonymousRating.check_in_rating,
            AnonymousRating.check_out_rating,
        ).where(
            AnonymousRating.group_id == group_id,
            AnonymousRating.month >= first.start().date(),
            AnonymousRating.month < until.date(),
        )
    )
    for month, person, check_in, check_out in anonymous:
        yield Month(month.year, month.month), person, check_in, check_out


def check_ins(group_id: uuid.UUID, first: Month, last: Month, now: datetime) -> CheckIns:
    """The group's arrival, leaving and change figures from the ended months `first` to `last`."""
    arrival: dict[Month, list] = defaultdict(list)
    leaving: dict[Month, list] = defaultdict(list)
    change: dict[Month, list] = defaultdict(list)
    for month, person, check_in, check_out in _rows(group_id, first, last, now):
        if check_in is not None:
            arrival[month].append((person, check_in))
        if check_out is not None:
            leaving[month].append((person, check_out))
        if check_in is not None and check_out is not None:
            change[month].append((person, check_out - check_in))
    return CheckIns(group_id, first, last, _figure(arrival), _figure(leaving), _figure(change))


def group_check_ins(
    organization_id: uuid.UUID, group_id: uuid.UUID, first: Month | None, last: Month | None, now: datetime
) -> CheckIns:
    """The aggregates of one of the organization's groups; by default the last twelve ended months."""
    get_group(organization_id, group_id)
    if last is None:
        last = max(last_complete_month(now), first) if first else last_complete_month(now)
    if first is None:
        first = last.minus(DEFAULT_SPAN_MONTHS - 1)
    return check_ins(group_id, first, last, now)


def first_kept_month(days: int, now: datetime) -> Month:
    """The oldest month whose ratings a retention of `days` still keeps: whole months go at once."""
    return Month.of(now - timedelta(days=days))
