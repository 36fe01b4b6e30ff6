"""Who may connect to a room, and what they see first."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from service.extensions import db, socketio
from service.web.signin import remember_sign_in
from tests.api.helpers import make_group
from tests.realtime.conftest import add_facilitator, add_registration, add_session, last_state, refusal


def test_a_participant_connects_with_a_join_token_and_sees_the_lobby(circle):
    circle.host()
    _, token = add_registration(circle.group)
    client = circle.join(token)
    assert client.is_connected()
    state = last_state(client)
    assert state["phase"] == "lobby"
    assert state["you"] is None
    assert state["starts_at"] == circle.session.starts_at.isoformat()
    assert [(s["display_name"], s["role"]) for s in state["seats"]] == [("Robin", "facilitator")]


def test_people_in_the_lobby_see_the_facilitators_but_not_each_other(circle):
    host = circle.host()
    _first, first_seat = circle.participant("Sam")
    second, second_seat = circle.participant("Ash")
    mine, hosts = last_state(second), last_state(host)
    assert {s["seat_id"] for s in mine["seats"]} == {second_seat, hosts["you"]["seat_id"]}
    assert mine["you"]["where"] == "lobby"
    assert first_seat not in json.dumps(mine)
    assert {s["seat_id"] for s in hosts["seats"]} >= {first_seat, second_seat}


def test_no_state_carries_registration_ids_references_or_emails(circle):
    host = circle.host()
    registration, token = add_registration(circle.group)
    client = circle.join(token)
    client.emit("room:agree", {"display_name": "Sam", "mode": "speak"}, callback=True)
    for state in (last_state(client), last_state(host)):
        text = json.dumps(state)
        assert str(registration.id) not in text
        assert "person-4711" not in text
        assert "@example.org" not in text
        assert str(circle.facilitator.id) not in text


def test_an_unknown_token_is_refused(app, circle):
    assert refusal(app, {"token": "not-a-real-token"})["code"] == "invalid_token"


def test_a_revoked_token_is_refused(app, circle):
    registration, token = add_registration(circle.group)
    registration.token_revoked_at = datetime.now(UTC)
    db.session.commit()
    assert refusal(app, {"token": token})["code"] == "invalid_token"


def test_a_removed_or_waitlisted_registration_is_refused(app, circle):
    _, removed = add_registration(circle.group, status="removed")
    _, waiting = add_registration(circle.group, status="waitlisted")
    assert refusal(app, {"token": removed})["code"] == "invalid_token"
    assert refusal(app, {"token": waiting})["code"] == "invalid_token"


def test_a_token_opens_only_its_own_groups_session(app, org, circle):
    other_group = make_group(org.id)
    other_session = add_session(other_group, timedelta(minutes=5))
    _, token = add_registration(circle.group)
    refused = refusal(app, {"token": token, "session_id": str(other_session.id)})
    assert refused["code"] == "wrong_session"


def test_a_session_token_opens_only_that_session(app, circle):
    later = add_session(circle.group, timedelta(minutes=7))
    _, token = add_registration(circle.group, circle.session)
    assert refusal(app, {"token": token, "session_id": str(later.id)})["code"] == "wrong_session"


def test_a_group_link_opens_the_groups_earliest_session_still_reachable(app, org):
    group = make_group(org.id, lobby_opens_minutes=10)
    cancelled = add_session(group, timedelta(minutes=2))
    cancelled.status = "cancelled"
    long_over = add_session(group, -timedelta(minutes=100))
    just_over = add_session(group, -timedelta(minutes=65))
    add_session(group, timedelta(minutes=5))
    db.session.commit()
    _, token = add_registration(group)
    # Sessions last an hour: the one that ended five minutes ago is still reachable (its room
    # closes ten minutes after its end), the one that ended forty minutes ago is not.
    assert long_over.ends_at < datetime.now(UTC) - timedelta(minutes=10) < just_over.ends_at
    client = socketio.test_client(app, flask_test_client=app.test_client(), auth={"token": token})
    assert client.is_connected()
    assert last_state(client)["session_id"] == str(just_over.id)


def test_a_group_link_without_a_reachable_session_is_refused(app, org):
    group = make_group(org.id, lobby_opens_minutes=10)
    add_session(group, -timedelta(minutes=100))
    _, token = add_registration(group)
    assert refusal(app, {"token": token})["code"] == "outside_window"


def test_a_malformed_session_id_is_refused_after_the_link(app, circle):
    _, token = add_registration(circle.group)
    assert refusal(app, {"token": token, "session_id": "not-a-session"})["code"] == "invalid"
    unknown = {"token": "not-a-real-token", "session_id": "not-a-session"}
    assert refusal(app, unknown)["code"] == "invalid_token"


def test_a_session_outside_its_window_is_refused(app, org):
    group = make_group(org.id, lobby_opens_minutes=10)
    session = add_session(group, timedelta(minutes=30))
    _, token = add_registration(group, session)
    assert refusal(app, {"token": token})["code"] == "outside_window"
    session.starts_at = datetime.now(UTC) - timedelta(minutes=90)
    session.ends_at = session.starts_at + timedelta(minutes=60)
    db.session.commit()
    assert refusal(app, {"token": token})["code"] == "outside_window"


def test_cancelled_and_ended_sessions_are_refused(app, circle):
    _, token = add_registration(circle.group, circle.session)
    circle.session.status = "cancelled"
    db.session.commit()
    assert refusal(app, {"token": token})["code"] == "session_cancelled"
    circle.session.status = "ended"
    db.session.commit()
    assert refusal(app, {"token": token})["code"] == "session_ended"


def test_a_facilitator_must_be_signed_in_and_assigned(app, org, circle):
    assert refusal(app, {"session_id": str(circle.session.id)})["code"] == "not_signed_in"
    stranger = add_facilitator(make_group(org.id), name="Kit")
    flask_client = app.test_client()
    with flask_client.session_transaction() as cookie:
        remember_sign_in(cookie, stranger)
    refused = refusal(app, {"session_id": str(circle.session.id)}, flask_test_client=flask_client)
    assert refused["code"] == "not_facilitator"


def test_a_facilitator_signed_in_before_a_password_change_is_refused(app, circle):
    flask_client = app.test_client()
    with flask_client.session_transaction() as cookie:
        remember_sign_in(cookie, circle.facilitator)
    circle.facilitator.session_version += 1  # as a new password does
    db.session.commit()
    refused = refusal(app, {"session_id": str(circle.session.id)}, flask_test_client=flask_client)
    assert refused["code"] == "not_signed_in"


def test_a_facilitator_is_seated_in_the_room_on_connect(circle):
    host = circle.host()
    you = last_state(host)["you"]
    assert (you["role"], you["where"], you["display_name"]) == ("facilitator", "room", "Robin")
