"""Check-in aggregates: whole ended months of five or more people, and nothing an adversary can difference."""

from __future__ import annotations

import itertools
from datetime import timedelta

from service.domain.check_ins import Month, last_complete_month
from service.extensions import db
from service.models import Attendance, utcnow
from tests.api.attendance_rows import attend
from tests.api.helpers import make_group, make_session

WITHHELD = {"shown": False, "reason": "too_few_people", "minimum": 5, "mean": None, "months": []}


def _session(group, month: Month, day: int = 10, status: str = "ended"):
    return make_session(
        group, starts_in=month.start() + timedelta(days=day, hours=18) - utcnow(), status=status
    )


def _months(back: int) -> list[Month]:
    """The `back` latest ended months, oldest first."""
    last = last_complete_month(utcnow())
    return [last.minus(n) for n in reversed(range(back))]


def _get(org, group, query: str = "") -> dict:
    response = org.get(f"/api/v1/groups/{group.id}/check-ins{query}")
    assert response.status_code == 200, response.json
    return response.json


def test_a_month_of_five_people_shows_distributions_means_and_the_change(org):
    group = make_group(org.id)
    [month] = _months(1)
    session = _session(group, month)
    for check_in, check_out in ((1, 3), (2, 3), (2, 4), (3, 3), (4, 5)):
        attend(session, check_in=check_in, check_out=check_out)

    body = _get(org, group, f"?from={month}&to={month}")
    assert (body["from"], body["to"], body["group_id"]) == (str(month), str(month), str(group.id))
    assert body["arrival"] == {
        "shown": True,
        "reason": None,
        "minimum": 5,
        "mean": 2.4,
        "months": [str(month)],
        "distribution": {"1": 1, "2": 2, "3": 1, "4": 1, "5": 0},
    }
    assert body["leaving"]["distribution"] == {"1": 0, "2": 0, "3": 3, "4": 1, "5": 1}
    assert body["leaving"]["mean"] == 3.6
    assert body["change"] == {
        "shown": True,
        "reason": None,
        "minimum": 5,
        "mean": 1.2,
        "months": [str(month)],
    }
    # With no range, the last twelve ended months.
    assert _get(org, group)["arrival"]["months"] == [str(month)]


def test_four_people_show_no_number_at_all_and_each_figure_counts_its_own_people(org):
    group = make_group(org.id)
    [month] = _months(1)
    session = _session(group, month)
    for n in range(5):
        # Five arrive and rate; only four of them rate how they leave.
        attend(session, check_in=2, check_out=4 if n < 4 else None)

    body = _get(org, group, f"?from={month}&to={month}")
    assert body["arrival"]["shown"] is True
    assert body["leaving"] == {**WITHHELD, "distribution": None}
    assert body["change"] == WITHHELD
    assert 4 not in body["leaving"].values() and 4 not in body["change"].values()


def test_a_person_alone_in_thin_months_cannot_be_learned_by_any_range_or_difference(org):
    """Two worlds that differ only in one person's ratings give the same answer to every query."""
    group = make_group(org.id)
    busy, thin, busy_again = _months(3)
    for month in (busy, busy_again):
        for day in (3, 10):
            session = _session(group, month, day)
            for rating in (1, 2, 3, 4, 5):
                attend(session, check_in=rating, check_out=rating)
    # Sam comes to a session with nobody else, and one with three others: four people that month.
    sam = attend(_session(group, thin, 3), check_in=1, check_out=1)
    crowded = _session(group, thin, 17)
    attend(crowded, registration=sam.registration, check_in=1, check_out=1)
    for _ in range(3):
        attend(crowded, check_in=4, check_out=4)
    # And this month, which has not ended: its figures could still change, so it is never counted.
    this_month = _session(group, Month.of(utcnow()), day=0, status="ended")
    attend(this_month, registration=sam.registration, check_in=1, check_out=1)
    for _ in range(5):
        attend(this_month, check_in=3, check_out=3)

    window = [busy.minus(1), busy, thin, busy_again, Month.of(utcnow())]
    ranges = [(a, b) for a, b in itertools.product(window, repeat=2) if a <= b]

    def every_answer() -> list[dict]:
        return [_get(org, group, f"?from={a}&to={b}") for a, b in ranges]

    before = every_answer()
    # The other world: Sam felt the opposite, everywhere.
    for row in db.session.execute(
        db.select(Attendance).where(Attendance.registration_id == sam.registration_id)
    ).scalars():
        row.check_in_rating, row.check_out_rating = 5, 5
    db.session.commit()
    assert every_answer() == before

    # Narrow ranges are whole months: the thin month alone, or only today, is withheld.
    alone = _get(org, group, f"?from={thin}&to={thin}")
    assert alone["arrival"] == {**WITHHELD, "distribution": None} and alone["change"] == WITHHELD
    assert _get(org, group, f"?from={window[-1]}&to={window[-1]}")["arrival"]["shown"] is False
    # Differencing two overlapping ranges leaves whole busy months only, never Sam's.
    wide = _get(org, group, f"?from={busy}&to={busy_again}")["arrival"]
    one = _get(org, group, f"?from={busy}&to={busy}")["arrival"]
    assert wide["months"] == [str(busy), str(busy_again)] and one["months"] == [str(busy)]
    left_over = {r: wide["distribution"][r] - one["distribution"][r] for r in one["distribution"]}
    assert left_over == {"1": 2, "2": 2, "3": 2, "4": 2, "5": 2}, (
        "the difference is a whole month of ten ratings"
    )


def test_finer_than_a_month_is_refused_and_other_organizations_are_not_found(org, other_org):
    group = make_group(org.id)
    for query, fields in (
        ("?from=2030-01-15", {"from"}),
        ("?from=2030-01-01T00:00:00Z&to=2030-13", {"from", "to"}),
        ("?from=2030-03&to=2030-02", {"to"}),
        ("?from=0000-01&to=0001-01", {"from", "to"}),
    ):
        response = org.get(f"/api/v1/groups/{group.id}/check-ins{query}")
        assert response.status_code == 422 and response.content_type == "application/problem+json"
        assert set(response.json["errors"]) == fields, response.json
    assert other_org.get(f"/api/v1/groups/{group.id}/check-ins").status_code == 404
