"""Reading attendance for the organization: who came, how, and to which agreement; never ratings."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from service.extensions import db
from service.models import Attendance, CircleSession

CSV_COLUMNS = (
    "session_id",
    "group_id",
    "session_starts_at",
    "registration_id",
    "external_ref",
    "facilitator_id",
    "mode",
    "joined_at",
    "left_at",
    "agreement_accepted",
    "agreement_accepted_at",
    "agreement_version",
)
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CSV_BATCH = 500


def attendance_select(
    organization_id: uuid.UUID,
    *,
    session_id: uuid.UUID | None = None,
    group_id: uuid.UUID | None = None,
    from_: datetime | None = None,
    to: datetime | None = None,
) -> sa.Select:
    """The organization's attendance rows, of sessions starting in [`from_`, `to`) if given."""
    select = (
        db.select(Attendance)
        .join(CircleSession, CircleSession.id == Attendance.session_id)
        .where(Attendance.organization_id == organization_id)
    )
    if session_id is not None:
        select = select.where(Attendance.session_id == session_id)
    if group_id is not None:
        select = select.where(CircleSession.group_id == group_id)
    if from_ is not None:
        select = select.where(CircleSession.starts_at >= from_)
    if to is not None:
        select = select.where(CircleSession.starts_at < to)
    return select


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    # The organization's own references are text; a leading quote keeps them from running as formulas.
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_row(attendance: Attendance) -> list[str]:
    """One attendance row as CSV cells, in the order of CSV_COLUMNS."""
    registration = attendance.registration
    values = (
        attendance.session_id,
        attendance.session.group_id,
        attendance.session.starts_at,
        attendance.registration_id,
        registration.external_ref if registration else None,
        attendance.facilitator_id,
        attendance.mode,
        attendance.joined_at,
        attendance.left_at,
        attendance.agreement_accepted_at is not None,
        attendance.agreement_accepted_at,
        attendance.agreement_version,
    )
    return [_cell(value) for value in values]


def csv_lines(select: sa.Select) -> Iterator[str]:
    """The header and every row of `select`, oldest session first, one CSV line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield line(list(CSV_COLUMNS))
    ordered = select.order_by(CircleSession.starts_at, Attendance.joined_at, Attendance.id)
    for attendance in db.session.execute(ordered.execution_options(yield_per=_CSV_BATCH)).scalars():
        yield line(csv_row(attendance))
