"""Events are recorded with the change that causes them, once per endpoint that wants them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from service.domain import groups, outbox, registrations, sessions, webhooks
from service.extensions import db
from service.live import clock
from service.models import CircleSession, WebhookDelivery, WebhookEvent
from service.rooms import MemoryRoomStore
from tests.api.helpers import make_group, make_session
from tests.webhooks.conftest import add_endpoint


def _events() -> list[WebhookEvent]:
    return list(db.session.execute(db.select(WebhookEvent).order_by(WebhookEvent.created_at)).scalars())


def _deliveries() -> list[WebhookDelivery]:
    return list(db.session.execute(db.select(WebhookDelivery)).scalars())


def _bodies(event_type: str) -> list[dict]:
    return [json.loads(e.body) for e in _events() if e.event_type == event_type]


def test_one_event_and_a_delivery_per_enabled_endpoint_that_wants_it(org, other_org):
    wants = add_endpoint(org.id, event_types=["session.started"])
    also_wants = add_endpoint(org.id)
    add_endpoint(org.id, event_types=["session.ended"])
    disabled = add_endpoint(org.id)
    webhooks.update_endpoint(org.id, disabled.id, allow_http=True, public_only=False, enabled=False)
    add_endpoint(other_org.id)

    outbox.enqueue(org.id, "session.started", {"session_id": "s1"})
    db.session.commit()

    [event] = _events()
    assert event.id.startswith("msg_") and len(event.id) == 36
    assert event.organization_id == org.id
    body = json.loads(event.body)
    assert set(body) == {"type", "timestamp", "data"}
    assert body["type"] == "session.started" and body["data"] == {"session_id": "s1"}
    assert datetime.fromisoformat(body["timestamp"]).tzinfo is not None
    deliveries = _deliveries()
    assert {d.endpoint_id for d in deliveries} == {wants.id, also_wants.id}
    assert all(d.status == "pending" and d.event_id == event.id for d in deliveries)


def test_enqueue_leaves_the_commit_to_the_caller(org):
    add_endpoint(org.id)
    outbox.enqueue(org.id, "session.started", {})
    db.session.rollback()
    assert _events() == [] and _deliveries() == []


def test_nothing_is_kept_when_no_endpoint_wants_the_event(org):
    add_endpoint(org.id, event_types=["incident.created"])
    outbox.enqueue(org.id, "session.started", {})
    db.session.commit()
    assert _events() == []


def test_unknown_event_types_and_unserializable_data_are_refused(org):
    add_endpoint(org.id)
    with pytest.raises(ValueError, match=r"room\.exploded"):
        outbox.enqueue(org.id, "room.exploded", {})
    with pytest.raises(TypeError):
        outbox.enqueue(org.id, "session.started", {"what": object()})


def test_event_ids_are_unique():
    assert len({outbox.new_event_id() for _ in range(1000)}) == 1000


def test_starting_and_ending_a_session_send_ids_and_times(org):
    add_endpoint(org.id)
    group = make_group(org.id)
    session = make_session(group)
    start = datetime.now(UTC).replace(microsecond=0)
    sessions.start_session(org.id, session.id, start)
    sessions.end_session(org.id, session.id, start + timedelta(minutes=60))

    [started] = _bodies("session.started")
    [ended] = _bodies("session.ended")
    assert started["data"] == {
        "session_id": str(session.id),
        "group_id": str(group.id),
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "started_at": start.isoformat(),
        "ended_at": None,
    }
    assert ended["data"]["ended_at"] == (start + timedelta(minutes=60)).isoformat()
    assert group.title not in json.dumps([started, ended])


def test_a_refused_start_records_nothing(org):
    add_endpoint(org.id)
    session = make_session(make_group(org.id), status="cancelled")
    with pytest.raises(Exception, match="Only a scheduled session"):
        sessions.start_session(org.id, session.id, datetime.now(UTC))
    assert _events() == []


def test_the_room_clock_ending_a_session_sends_session_ended(org):
    add_endpoint(org.id, event_types=["session.ended"])
    now = datetime.now(UTC)
    session = make_session(make_group(org.id), starts_in=timedelta(hours=-1), status="live", started_at=now)
    session.ends_at = now - timedelta(seconds=1)
    db.session.commit()

    clock.tick(MemoryRoomStore(), now, take_seconds=120, unattended_after=timedelta(minutes=5))
    clock.tick(
        MemoryRoomStore(),
        now + timedelta(seconds=30),
        take_seconds=120,
        unattended_after=timedelta(minutes=5),
    )

    [ended] = _bodies("session.ended")
    assert ended["data"]["session_id"] == str(session.id)
    assert ended["data"]["ended_at"] == now.isoformat()
    assert db.session.get(CircleSession, session.id).status == "ended"


def test_a_promotion_from_the_waitlist_is_sent_without_the_persons_reference(org):
    add_endpoint(org.id, event_types=["registration.promoted"])
    group = make_group(org.id, capacity=1, waitlist_enabled=True)
    make_session(group)
    seated = registrations.register_for_group(org.id, group.id, external_ref="person-1@example.org")
    waiting = registrations.register_for_group(org.id, group.id, external_ref="person-2@example.org")
    assert _events() == []

    registrations.remove_registration(org.id, seated.registration.id)

    [promoted] = _bodies("registration.promoted")
    assert promoted["data"] == {
        "registration_id": str(waiting.registration.id),
        "group_id": str(group.id),
        "session_id": None,
        "promoted_at": waiting.registration.promoted_at.isoformat(),
    }
    assert "person-2" not in json.dumps(promoted) and waiting.token not in json.dumps(promoted)


def test_a_new_group_announces_each_scheduled_session_and_a_schedule_change_moves_or_drops_them(org):
    add_endpoint(org.id, event_types=["session.scheduled", "session.rescheduled", "session.cancelled"])
    now = datetime.now(UTC)
    data = {
        "title": "Monday circle",
        "description": "",
        "topic": "",
        "language": "en",
        "timezone": "Europe/London",
        # At 10:00, so moving it an hour later keeps each occurrence on its day whenever this runs.
        "first_start": (now + timedelta(days=3)).replace(
            tzinfo=None, hour=10, minute=0, second=0, microsecond=0
        ),
        "duration_minutes": 60,
        "recurrence": {"frequency": "weekly", "count": 3},
        "capacity": 8,
        "waitlist_enabled": False,
        "allowed_modes": ["speak"],
        "chat_enabled": True,
        "agreement": ["Be kind."],
        "lobby_opens_minutes": 10,
        "region": None,
        "public": False,
        "registration_url": None,
        "facilitators": [],
    }
    group = groups.create_group(org.id, data, now, 12)
    scheduled = _bodies("session.scheduled")
    rows = {str(s.id): s for s in db.session.execute(db.select(CircleSession)).scalars()}
    assert sorted(b["data"]["session_id"] for b in scheduled) == sorted(rows) and len(rows) == 3
    assert scheduled[0]["data"].keys() == {
        "session_id",
        "group_id",
        "starts_at",
        "ends_at",
        "started_at",
        "ended_at",
    }
    assert "Monday circle" not in json.dumps(scheduled)

    # One hour later, and one occurrence fewer: two move, one is dropped.
    groups.update_group(
        org.id,
        group.id,
        {
            "first_start": data["first_start"] + timedelta(hours=1),
            "recurrence": {"frequency": "weekly", "count": 2},
        },
        now,
        12,
    )
    assert len(_bodies("session.rescheduled")) == 2
    [dropped] = _bodies("session.cancelled")
    assert dropped["data"]["session_id"] in rows and dropped["data"]["cancelled_at"] == now.isoformat()


def test_rescheduling_and_cancelling_one_session_are_sent_without_the_reason(org):
    add_endpoint(org.id)
    session = make_session(make_group(org.id))
    now = datetime.now(UTC)
    sessions.reschedule_session(org.id, session.id, session.starts_at + timedelta(days=1), 90, now)
    sessions.cancel_session(org.id, session.id, "Our facilitator Dana is ill", now)
    [moved] = _bodies("session.rescheduled")
    assert moved["data"]["starts_at"] == session.starts_at.isoformat()
    assert moved["data"]["ends_at"] == (session.starts_at + timedelta(minutes=90)).isoformat()
    [cancelled] = _bodies("session.cancelled")
    assert cancelled["data"]["cancelled_at"] == now.isoformat() and cancelled["data"]["session_id"] == str(
        session.id
    )
    assert "Dana" not in json.dumps(cancelled)


def test_a_registration_is_sent_as_created_or_waitlisted_without_the_persons_reference(org):
    add_endpoint(org.id, event_types=["registration.created", "registration.waitlisted"])
    group = make_group(org.id, capacity=1, waitlist_enabled=True)
    make_session(group)
    seated = registrations.register_for_group(org.id, group.id, external_ref="person-1@example.org")
    waiting = registrations.register_for_group(org.id, group.id, external_ref="person-2@example.org")

    [created] = _bodies("registration.created")
    [waitlisted] = _bodies("registration.waitlisted")
    assert created["data"] == {
        "registration_id": str(seated.registration.id),
        "group_id": str(group.id),
        "session_id": None,
        "created_at": seated.registration.created_at.isoformat(),
    }
    assert waitlisted["data"]["registration_id"] == str(waiting.registration.id)
    text = json.dumps([created, waitlisted])
    assert "person-" not in text and seated.token not in text and waiting.token not in text
