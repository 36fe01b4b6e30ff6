"""A room nobody opened five minutes after its start: the organization told once, those waiting kindly."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from service.domain import unattended
from service.extensions import db
from service.models import CircleSession, WebhookEvent
from tests.realtime.conftest import add_registration, last_state, peek_state
from tests.realtime.ticks import clock_tick
from tests.webhooks.conftest import add_endpoint

# The flag people are shown lives in the room store, shared by every server process.
pytestmark = pytest.mark.both_stores

NOTICE = re.compile(r"<p [^>]*data-unattended[^>]*>")


def began(circle, ago: timedelta, made_ago: timedelta = timedelta(hours=1)) -> None:
    """The circle's session began `ago` and was scheduled `made_ago`."""
    now = datetime.now(UTC)
    circle.session.starts_at = circle.session.original_start = now - ago
    circle.session.ends_at = now - ago + timedelta(hours=1)
    circle.session.created_at = now - made_ago
    db.session.commit()


def unattended_events() -> list[dict]:
    rows = db.session.execute(db.select(WebhookEvent).where(WebhookEvent.event_type == "session.unattended"))
    return [json.loads(row.body)["data"] for row in rows.scalars()]


def notice_shown(page: str) -> bool:
    return "hidden" not in NOTICE.search(page).group(0)


def test_nobody_opened_the_room_people_waiting_are_told_and_the_organization_once(circle, org):
    add_endpoint(org.id, event_types=["session.unattended"])
    began(circle, timedelta(minutes=6))
    sam, _ = circle.participant("Sam")
    assert peek_state(sam)["unattended"] is False

    assert clock_tick().unattended == [str(circle.session.id)]
    # Another process's tick a second later finds it already told.
    assert clock_tick(datetime.now(UTC) + timedelta(seconds=1)).unattended == []
    assert last_state(sam)["unattended"] is True
    [data] = unattended_events()
    stored = db.session.get(CircleSession, circle.session.id)
    assert data["session_id"] == str(circle.session.id) and data["group_id"] == str(circle.group.id)
    assert data["unattended_at"] == stored.unattended_at.isoformat() and data["started_at"] is None
    assert "person-4711" not in json.dumps(data)

    # A facilitator who comes late opens the room: the notice goes, on the socket and on the page.
    host = circle.host()
    assert host.emit("room:open", callback=True) == {"ok": True}
    assert last_state(sam)["unattended"] is False
    assert peek_state(host)["unattended"] is False
    _, token = add_registration(circle.group)
    assert not notice_shown(circle.app.test_client().get(f"/join/{token}").text)
    assert len(unattended_events()) == 1


def test_the_join_page_says_so_on_load(circle):
    _, token = add_registration(circle.group)
    began(circle, timedelta(minutes=6))
    page = circle.app.test_client().get(f"/join/{token}").text
    assert not notice_shown(page)
    clock_tick()
    page = circle.app.test_client().get(f"/join/{token}").text
    assert notice_shown(page) and "has not arrived yet" in page
    assert peek_state(circle.join(token))["unattended"] is True


def test_a_room_store_that_never_saw_it_learns_it_from_the_record(circle):
    # As after a restart of a room store in memory: the record says so, the store has no room.
    began(circle, timedelta(minutes=6))
    circle.session.unattended_at = datetime.now(UTC)
    db.session.commit()
    _, token = add_registration(circle.group)
    assert peek_state(circle.join(token))["unattended"] is True


@pytest.mark.parametrize(
    ("ago", "made_ago"),
    [
        # Four minutes after the start: still in time.
        (timedelta(minutes=4), timedelta(hours=1)),
        # Scheduled two minutes ago for a start ten minutes ago: five minutes from its making.
        (timedelta(minutes=10), timedelta(minutes=2)),
    ],
)
def test_a_room_still_in_time_is_left_alone(circle, ago, made_ago):
    began(circle, ago, made_ago)
    sam, _ = circle.participant("Sam")
    sam.get_received()
    assert clock_tick().unattended == []
    assert db.session.get(CircleSession, circle.session.id).unattended_at is None
    assert unattended_events() == []


def test_an_open_room_or_a_cancelled_or_finished_session_is_not_reported(circle):
    began(circle, timedelta(minutes=6))
    host = circle.host()
    assert host.emit("room:open", callback=True) == {"ok": True}
    assert clock_tick().unattended == []
    other = circle.session
    other.status = "cancelled"
    db.session.commit()
    assert clock_tick().unattended == []
    other.status = "scheduled"
    other.ends_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    assert clock_tick().unattended == []


def test_the_clocks_look_for_unopened_sessions_reads_the_status_index(circle):
    # The clock asks every second; a group materializes months of scheduled sessions ahead.
    captured = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        captured.append((statement, parameters))

    engine = db.session.get_bind()
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's planner chooses by its statistics; the plan is checked on SQLite")
    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        unattended.due(datetime.now(UTC), timedelta(minutes=5))
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    ((statement, parameters),) = [(s, p) for s, p in captured if "FROM sessions" in s]
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    assert any("sessions USING INDEX ix_sessions_status_starts" in row[-1] for row in plan), plan
