"""Every door to the same change has the same live effect: socket, console and REST alike.

Each test takes an admitted person (or a live room) and makes one change through one door;
the room must see exactly what the other doors cause.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.extensions import db
from service.models import Attendance, AuditEntry, CircleSession
from tests.realtime.acks import emit, error_code
from tests.realtime.conftest import add_registration, last_state, peek_state, received
from tests.realtime.ticks import clock_tick


@pytest.fixture
def host(circle):
    client = circle.host()
    assert emit(client, "room:open") == {"ok": True}
    return client


@pytest.fixture
def sam(circle, host):
    """An admitted participant: client, registration and seat id."""
    registration, token = add_registration(circle.group)
    client = circle.join(token)
    assert emit(client, "room:agree", {"display_name": "Sam", "mode": "speak"}) == {"ok": True}
    seat_id = last_state(client)["you"]["seat_id"]
    assert emit(host, "lobby:admit", {"seat_id": seat_id}) == {"ok": True}
    received(client, "room:state")
    received(host, "room:state")
    return client, registration, seat_id


def told(client, name: str) -> list:
    """The payloads of every `name` event the client got, leaving its inbox as it is."""
    return [event["args"][0] for event in client.queue if event["name"] == name]


def _delete_registration(org, circle, host, registration, seat_id):
    response = org.delete(f"/api/v1/registrations/{registration.id}")
    assert response.status_code == 200, response.json
    return "removed"


def _new_join_link(org, circle, host, registration, seat_id):
    response = org.post(f"/api/v1/registrations/{registration.id}/join-link")
    assert response.status_code == 201, response.json
    return "removed"


def _rest_remove(org, circle, host, registration, seat_id):
    url = f"/api/v1/sessions/{circle.session.id}/participants/{registration.id}/remove"
    assert org.post(url).status_code == 200
    return "removed"


def _rest_bar(org, circle, host, registration, seat_id):
    url = f"/api/v1/sessions/{circle.session.id}/participants/{registration.id}/bar"
    assert org.post(url).status_code == 200
    return "barred"


def _socket_remove(org, circle, host, registration, seat_id):
    assert emit(host, "seat:remove", {"seat_id": seat_id}) == {"ok": True}
    return "removed"


def _socket_bar(org, circle, host, registration, seat_id):
    assert emit(host, "seat:bar", {"seat_id": seat_id}) == {"ok": True}
    return "barred"


@pytest.mark.parametrize(
    "door",
    [_delete_registration, _new_join_link, _rest_remove, _rest_bar, _socket_remove, _socket_bar],
    ids=["rest-delete", "rest-new-link", "rest-remove", "rest-bar", "socket-remove", "socket-bar"],
)
def test_taking_a_person_out_has_the_same_live_effect_through_every_door(org, circle, host, sam, door):
    client, registration, seat_id = sam
    reason = door(org, circle, host, registration, seat_id)
    assert told(client, "room:removed") == [{"reason": reason}]
    assert not client.is_connected()
    assert seat_id not in {seat["seat_id"] for seat in peek_state(host)["seats"]}
    db.session.expire_all()
    entry = db.session.execute(
        db.select(AuditEntry).where(AuditEntry.target_seat_id == seat_id, AuditEntry.action.like("seat:%"))
    ).scalar_one()
    assert entry.action in ("seat:remove", "seat:bar")
    attendance = db.session.execute(
        db.select(Attendance).where(Attendance.registration_id == registration.id)
    ).scalar_one()
    assert attendance.left_at is not None


def test_a_connection_missed_by_a_new_join_link_can_do_nothing_more(org, circle, host, sam, app):
    client, registration, seat_id = sam
    members = app.extensions["hearth_members"]
    # As if the connection were held by another server process: it is not dropped here.
    kept = {sid: member for sid, member in members.items() if member.seat_id == seat_id}
    for sid in kept:
        del members[sid]
    assert org.post(f"/api/v1/registrations/{registration.id}/join-link").status_code == 201
    members.update(kept)
    assert error_code(emit(client, "room:agree", {"display_name": "Sam", "mode": "speak"})) == "invalid_token"
    assert error_code(emit(client, "chat:send", {"text": "still here?"})) in ("forbidden", "no_such_seat")
    assert error_code(emit(client, "hand:raise")) in ("forbidden", "no_such_seat", "not_in_room")


def _socket_end(org, circle, host):
    assert emit(host, "room:end", {"notice": False}) == {"ok": True}


def _rest_end(org, circle, host):
    assert org.post(f"/api/v1/sessions/{circle.session.id}/end").status_code == 200


def _rest_cancel(org, circle, host):
    response = org.post(f"/api/v1/sessions/{circle.session.id}/cancel", json={"reason": "Unwell"})
    assert response.status_code == 200, response.json
    assert response.json["status"] == "cancelled"


def _clock_end(org, circle, host):
    circle.session.ends_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    assert clock_tick().ended == [str(circle.session.id)]


@pytest.mark.parametrize(
    "door",
    [_socket_end, _rest_end, _rest_cancel, _clock_end],
    ids=["socket-end", "rest-end", "rest-cancel-live", "clock"],
)
def test_ending_a_live_session_has_the_same_live_effect_through_every_door(org, circle, host, sam, door):
    client = sam[0]
    door(org, circle, host)
    ended = {"session_id": str(circle.session.id)}
    assert told(client, "room:ended") == [ended]
    assert told(host, "room:ended") == [ended]
    assert peek_state(host)["phase"] == "ended"
    db.session.expire_all()
    assert db.session.get(CircleSession, circle.session.id).status in ("ended", "cancelled")
    assert all(row.left_at is not None for row in db.session.execute(db.select(Attendance)).scalars())
    assert error_code(emit(client, "hand:raise")) == "room_not_open"
    # However it ended, it cannot end twice.
    assert org.post(f"/api/v1/sessions/{circle.session.id}/end").status_code == 409
