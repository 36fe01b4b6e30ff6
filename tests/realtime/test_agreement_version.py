"""Accepting the agreement in the room keeps which text of it was accepted."""

from __future__ import annotations

from service.domain.groups import update_group
from service.extensions import db
from service.models import Attendance, utcnow


def _versions() -> list[int | None]:
    db.session.expire_all()
    rows = db.session.execute(
        db.select(Attendance).where(Attendance.registration_id.is_not(None)).order_by(Attendance.joined_at)
    ).scalars()
    return [row.agreement_version for row in rows]


def test_each_acceptance_records_the_agreement_text_in_force(circle):
    circle.participant("Sam")
    update_group(circle.group.organization_id, circle.group.id, {"agreement": ["Be gentle."]}, utcnow(), 4)
    circle.participant("Ari")
    assert _versions() == [1, 2]
