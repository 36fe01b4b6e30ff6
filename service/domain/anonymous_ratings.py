"""Setting aside a leaving person's ratings, so that months already shown read the same afterwards.

If the aggregates of a month lost one person's ratings, comparing them before and after would
show exactly those ratings. So ratings of settled months (see check_ins) that the organization's
check-in retention still keeps are copied, with only the group and month, before their
attendance rows go. Ratings of months not yet settled were never shown, and simply go.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from service.domain.check_ins import Month, first_kept_month, last_complete_month
from service.extensions import db
from service.models import AnonymousRating, Attendance, Organization


def set_aside(rows: Iterable[Attendance], organization: Organization, now: datetime) -> int:
    """Keep the ratings of these rows anonymously where aggregates count them; how many (no commit).

    `rows` must hold every attendance of each of its people in each of its months, so that one
    person is one contributor in a month, as the aggregates count them.
    """
    oldest = first_kept_month(organization.retain_check_ins_days, now)
    settled = last_complete_month(now)
    contributors: dict[tuple[uuid.UUID, Month], uuid.UUID] = {}
    kept = 0
    for row in rows:
        if row.registration_id is None or row.session.status != "ended":
            continue
        if row.check_in_rating is None and row.check_out_rating is None:
            continue
        month = Month.of(row.session.starts_at)
        if not oldest <= month <= settled:
            continue
        contributor = contributors.setdefault((row.registration_id, month), uuid.uuid4())
        db.session.add(
            AnonymousRating(
                organization_id=row.organization_id,
                group_id=row.session.group_id,
                month=month.start().date(),
                contributor=contributor,
                check_in_rating=row.check_in_rating,
                check_out_rating=row.check_out_rating,
            )
        )
        kept += 1
    return kept
