"""The facilitator's moderation tools over Socket.IO: each action, each refusal, and its audit entry."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from service.extensions import db
from service.live.private import open_channel as open_private_channel
from service.models import Attendance, AuditEntry, CircleSession
from service.realtime.adapter import members as connected_members
from service.web.signin import remember_sign_in
from tests.api.helpers import make_group
from tests.realtime.acks import emit, error_code
from tests.realtime.conftest import (
    add_facilitator,
    add_registration,
    add_session,
    last_state,
    peek_state,
    received,
    refusal,
)
from tests.realtime.ticks import clock_tick

MODERATION_EVENTS = [
    ("seat:mute_all", {"muted": True}),
    ("hand:lower_all", None),
    ("norm:remind", {"norm": 0, "seat_id": None}),
    ("seat:remove", {"seat_id": "p-anyone"}),
    ("seat:bar", {"seat_id": "p-anyone"}),
    ("chat:delete", {"id": "0" * 32}),
    ("breath:start", {"seconds": 60}),
    ("breath:stop", None),
    ("room:end", {"notice": True}),
    ("room:end", None),
]


def seat_of(state: dict, seat_id: str) -> dict:
    return next(s for s in state["seats"] if s["seat_id"] == seat_id)


def told(client, name: str) -> list:
    """The payloads of every `name` event a client got, readable after it was disconnected."""
    return [event["args"][0] for event in client.queue if event["name"] == name]


def actions_logged() -> list[tuple[str, str | None, dict | None]]:
    """(action, target seat, detail) of every audit entry, oldest first."""
    entries = db.session.execute(db.select(AuditEntry).order_by(AuditEntry.created_at)).scalars()
    return [(entry.action, entry.target_seat_id, entry.detail) for entry in entries]


@pytest.fixture
def host(circle):
    client = circle.host()
    assert emit(client, "room:open") == {"ok": True}
    return client


@pytest.mark.parametrize(("event", "payload"), MODERATION_EVENTS)
def test_participants_are_refused_every_moderation_event(circle, host, event, payload):
    sam, _ = circle.admitted("Sam", host)
    before = actions_logged()
    assert error_code(emit(sam, event, payload)) == "forbidden"
    assert actions_logged() == before
    assert db.session.get(CircleSession, circle.session.id).status == "live"


def test_a_facilitator_of_another_group_or_organization_cannot_connect(app, org, other_org, circle):
    stranger = add_facilitator(make_group(org.id), name="Kit")
    elsewhere = add_facilitator(make_group(other_org.id), name="Lee")
    for person, code in ((stranger, "not_facilitator"), (elsewhere, "wrong_session")):
        flask_client = app.test_client()
        with flask_client.session_transaction() as cookie:
            remember_sign_in(cookie, person)
        auth = {"session_id": str(circle.session.id)}
        assert refusal(app, auth, flask_test_client=flask_client)["code"] == code


@pytest.mark.both_stores
def test_mute_all_mutes_participants_only_until_a_facilitator_unmutes(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    _, ash_seat = circle.admitted("Ash", host)
    assert emit(host, "seat:mute_all", {"muted": True}) == {"ok": True}
    state = last_state(host)
    for seat_id in (sam_seat, ash_seat):
        assert seat_of(state, seat_id)["muted"] is True
        assert seat_of(state, seat_id)["may_publish_audio"] is False
    assert state["you"]["muted"] is False and state["you"]["may_publish_audio"] is True
    # Nothing a muted person sends unmutes them.
    assert emit(sam, "mode:set", {"mode": "camera_off"}) == {"ok": True}
    assert emit(sam, "seat:mute", {"seat_id": sam_seat, "muted": False})["ok"] is False
    assert last_state(sam)["you"]["muted"] is True
    assert emit(host, "seat:mute_all", {"muted": False}) == {"ok": True}
    assert seat_of(last_state(host), ash_seat)["may_publish_audio"] is True
    assert ("seat:mute_all", None, {"muted": True}) in actions_logged()
    assert ("seat:mute_all", None, {"muted": False}) in actions_logged()


@pytest.mark.both_stores
def test_a_mute_outlives_leaving_and_agreeing_again(circle, host):
    _, token = add_registration(circle.group)
    sam = circle.join(token)
    emit(sam, "room:agree", {"display_name": "Sam", "mode": "speak"})
    sam_seat = last_state(sam)["you"]["seat_id"]
    assert emit(host, "seat:mute", {"seat_id": sam_seat, "muted": True}) == {"ok": True}
    assert emit(sam, "room:leave") == {"ok": True}
    sam = circle.join(token)
    assert emit(sam, "room:agree", {"display_name": "Sam", "mode": "speak"}) == {"ok": True}
    assert emit(host, "lobby:admit", {"seat_id": sam_seat}) == {"ok": True}
    you = last_state(sam)["you"]
    assert you["muted"] is True and you["may_publish_audio"] is False


@pytest.mark.both_stores
def test_lower_all_hands_empties_the_queue(circle, host):
    sam, _ = circle.admitted("Sam", host)
    ash, _ = circle.admitted("Ash", host)
    emit(sam, "hand:raise")
    emit(ash, "hand:raise")
    assert emit(host, "hand:lower_all") == {"ok": True}
    assert last_state(sam)["hands"] == []
    assert ("hand:lower_all", None, {"count": 2}) in actions_logged()


def test_the_room_state_lists_the_groups_norms(circle):
    circle.group.agreement = ["- Listen to understand.\n\n2. Pass is always an answer.", "• Be kind."]
    db.session.commit()
    host = circle.host()
    emit(host, "room:open")
    sam, _ = circle.admitted("Sam", host)
    assert last_state(sam)["norms"] == ["Listen to understand.", "Pass is always an answer.", "Be kind."]


def test_a_norm_reminder_reaches_the_room_or_one_person(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    ash, _ = circle.admitted("Ash", host)
    norms = last_state(sam)["norms"]
    assert emit(host, "norm:remind", {"norm": 1, "seat_id": None}) == {"ok": True}
    for client in (sam, ash, host):
        assert received(client, "norm:reminder") == [{"norm": norms[1], "private": False}]
    assert emit(host, "norm:remind", {"norm": 2, "seat_id": sam_seat}) == {"ok": True}
    assert received(sam, "norm:reminder") == [{"norm": norms[2], "private": True}]
    assert received(ash, "norm:reminder") == []
    assert error_code(emit(host, "norm:remind", {"norm": len(norms), "seat_id": None})) == "invalid"
    assert error_code(emit(host, "norm:remind", {"norm": 0, "seat_id": "p-nobody"})) == "no_such_seat"
    assert error_code(emit(host, "norm:remind", {"norm": "1"})) == "invalid"
    assert actions_logged()[-2:] == [
        ("norm:remind", None, {"norm": 1}),
        ("norm:remind", sam_seat, {"norm": 2}),
    ]


def test_a_removed_person_is_told_disconnected_and_cannot_come_back(app, circle, host):
    registration, token = add_registration(circle.group)
    sam = circle.join(token)
    emit(sam, "room:agree", {"display_name": "Sam", "mode": "speak"})
    sam_seat = last_state(sam)["you"]["seat_id"]
    emit(host, "lobby:admit", {"seat_id": sam_seat})
    ash, _ = circle.admitted("Ash", host)
    sam.get_received()

    assert emit(host, "seat:remove", {"seat_id": sam_seat}) == {"ok": True}
    assert told(sam, "room:removed") == [{"reason": "removed"}]
    assert not sam.is_connected()
    assert all(s["seat_id"] != sam_seat for s in last_state(ash)["seats"])
    assert refusal(app, {"token": token})["code"] == "removed"
    attendance = db.session.execute(
        db.select(Attendance).where(Attendance.registration_id.is_not(None), Attendance.left_at.is_not(None))
    ).scalar_one()
    assert attendance.mode == "speak"
    # Still registered: the person may come to the group's next session.
    db.session.refresh(registration)
    assert registration.status == "active" and registration.token_revoked_at is None
    later = add_session(circle.group, timedelta(days=7))
    assert refusal(app, {"token": token, "session_id": str(later.id)})["code"] == "outside_window"
    assert ("seat:remove", sam_seat, None) in actions_logged()


def test_a_removed_connection_that_was_missed_can_do_nothing(circle, host):
    _, token = add_registration(circle.group)
    sam = circle.join(token)
    emit(sam, "room:agree", {"display_name": "Sam", "mode": "speak"})
    sam_seat = last_state(sam)["you"]["seat_id"]
    # As if the connection were held by another server process: it is not dropped here.
    members = connected_members()
    kept = {sid: member for sid, member in members.items() if member.seat_id == sam_seat}
    for sid in kept:
        del members[sid]
    assert emit(host, "seat:remove", {"seat_id": sam_seat}) == {"ok": True}
    members.update(kept)
    assert sam.is_connected()
    assert error_code(emit(sam, "room:agree", {"display_name": "Sam", "mode": "speak"})) == "removed"
    assert error_code(emit(sam, "hand:raise")) in ("forbidden", "not_in_room", "no_such_seat")


def test_a_barred_person_cannot_come_back_by_any_path(app, client, circle, host):
    registration, token = add_registration(circle.group)
    sam = circle.join(token)
    emit(sam, "room:agree", {"display_name": "Sam", "mode": "speak"})
    sam_seat = last_state(sam)["you"]["seat_id"]
    emit(host, "lobby:admit", {"seat_id": sam_seat})

    assert emit(host, "seat:bar", {"seat_id": sam_seat}) == {"ok": True}
    assert told(sam, "room:removed") == [{"reason": "barred"}]
    assert not sam.is_connected()
    assert refusal(app, {"token": token})["code"] == "invalid_token"
    later = add_session(circle.group, timedelta(days=7))
    assert refusal(app, {"token": token, "session_id": str(later.id)})["code"] == "invalid_token"
    assert client.get(f"/join/{token}").status_code == 404
    assert client.get(f"/join/{token}/calendar.ics").status_code == 404
    db.session.refresh(registration)
    assert registration.status == "removed" and registration.token_revoked_at is not None
    assert ("seat:bar", sam_seat, None) in actions_logged()


def test_only_participants_who_took_part_can_be_removed(circle, host):
    other = circle.host(add_facilitator(circle.group, name="Kai"))
    kai_seat = last_state(other)["you"]["seat_id"]
    assert error_code(emit(host, "seat:remove", {"seat_id": kai_seat})) == "forbidden"
    assert error_code(emit(host, "seat:bar", {"seat_id": "p-nobody"})) == "no_such_seat"
    assert error_code(emit(host, "seat:remove", {})) == "invalid"
    assert all(action != "seat:remove" for action, _, _ in actions_logged())


@pytest.mark.both_stores
def test_a_deleted_message_is_gone_for_everyone(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    ash, _ = circle.admitted("Ash", host)
    text = "this is something I regret sharing"
    message_id = emit(sam, "chat:send", {"text": text})["id"]
    assert emit(host, "chat:delete", {"id": message_id}) == {"ok": True}
    for client in (sam, ash, host):
        assert received(client, "chat:deleted") == [{"id": message_id}]
    assert error_code(emit(host, "chat:delete", {"id": message_id})) == "no_such_message"
    assert error_code(emit(host, "chat:delete", {"id": "f" * 32})) == "no_such_message"
    assert ("chat:delete", sam_seat, None) in actions_logged()
    assert text not in json.dumps(actions_logged())


@pytest.mark.both_stores
def test_a_breathing_pause_holds_every_microphone_until_the_clock_ends_it(
    monkeypatch, room_store, circle, host
):
    sam, _ = circle.admitted("Sam", host)
    assert emit(host, "breath:start", {"seconds": 60}) == {"ok": True}
    state = last_state(sam)
    assert state["breathing"]["seconds"] == 60
    assert all(s["may_publish_audio"] is False for s in state["seats"])
    assert all(s["may_publish_video"] is True for s in state["seats"] if s["mode"] == "speak")

    clock_tick()
    assert received(sam, "room:state") == []  # not over yet: nothing to tell
    real_clock = room_store.clock
    monkeypatch.setattr(room_store, "clock", lambda: real_clock() + 61)
    assert clock_tick().breaths_over == [str(circle.session.id)]
    state = last_state(sam)
    assert state["breathing"] is None
    assert all(s["may_publish_audio"] is True for s in state["seats"])
    # Once: the next tick (of this process or any other) has nothing left to end.
    assert clock_tick().breaths_over == []
    assert ("breath:start", None, {"seconds": 60}) in actions_logged()


def test_a_breathing_pause_can_be_stopped_and_its_length_is_bounded(circle, host):
    sam, _ = circle.admitted("Sam", host)
    assert error_code(emit(host, "breath:start", {"seconds": 10})) == "invalid"
    assert error_code(emit(host, "breath:start", {"seconds": 301})) == "invalid"
    assert emit(host, "breath:start", {"seconds": 30}) == {"ok": True}
    assert emit(host, "breath:stop") == {"ok": True}
    state = last_state(sam)
    assert state["breathing"] is None and state["you"]["may_publish_audio"] is True
    assert ("breath:stop", None, None) in actions_logged()


@pytest.mark.both_stores
def test_ending_with_notice_gives_two_minutes_then_the_clock_ends_it(monkeypatch, circle, host):
    sam, _ = circle.admitted("Sam", host)
    before = datetime.now(UTC)
    assert emit(host, "room:end", {"notice": True}) == {"ok": True}
    session = db.session.get(CircleSession, circle.session.id)
    db.session.refresh(session)
    assert session.status == "live"
    assert before + timedelta(minutes=2) <= session.ends_at <= datetime.now(UTC) + timedelta(minutes=2)
    ending = {"session_id": str(session.id), "ends_at": session.ends_at.isoformat()}
    assert received(sam, "room:ending") == [ending]
    assert peek_state(host)["ends_at"] == session.ends_at.isoformat()

    clock_tick()
    assert received(sam, "room:ending") == []  # the notice was the warning
    clock_tick(datetime.now(UTC) + timedelta(minutes=2, seconds=1))
    assert received(sam, "room:ended") == [{"session_id": str(session.id)}]
    db.session.expire_all()
    assert db.session.get(CircleSession, circle.session.id).status == "ended"
    assert ("room:end", None, {"notice_seconds": 120}) in actions_logged()


@pytest.mark.both_stores
def test_a_notice_after_the_clocks_warning_keeps_the_earlier_end(circle, host):
    sam, _ = circle.admitted("Sam", host)
    circle.session.ends_at = datetime.now(UTC) + timedelta(minutes=1)
    db.session.commit()
    clock_tick()
    assert len(received(sam, "room:ending")) == 1
    ends_at = db.session.get(CircleSession, circle.session.id).ends_at
    assert emit(host, "room:end", {"notice": True}) == {"ok": True}
    db.session.expire_all()
    assert db.session.get(CircleSession, circle.session.id).ends_at == ends_at
    expected = {"session_id": str(circle.session.id), "ends_at": ends_at.isoformat()}
    assert received(sam, "room:ending") == [expected]


def test_ending_now_still_works_and_is_logged(circle, host):
    sam, _ = circle.admitted("Sam", host)
    assert emit(host, "room:end", {"notice": False}) == {"ok": True}
    assert received(sam, "room:ended") == [{"session_id": str(circle.session.id)}]
    assert ("room:end", None, None) in actions_logged()
    assert error_code(emit(host, "room:end", {"notice": "yes"})) == "invalid"


@pytest.mark.both_stores
def test_private_messages_follow_the_channel_rules(room_store, circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    ash, ash_seat = circle.admitted("Ash", host)
    host_seat = last_state(host)["you"]["seat_id"]
    # A participant cannot open a channel: not to a facilitator, not to another participant.
    assert error_code(emit(sam, "private:send", {"to": host_seat, "text": "hello"})) == "forbidden"
    assert error_code(emit(sam, "private:send", {"to": ash_seat, "text": "hello"})) == "forbidden"

    ack = emit(host, "private:send", {"to": sam_seat, "text": "How are you doing?"})
    assert ack["ok"] is True
    for client in (sam, host):
        (message,) = received(client, "private:message")
        assert message["id"] == ack["id"]
        assert (message["from"], message["to"]) == (host_seat, sam_seat)
        assert message["text"] == "How are you doing?"
    assert received(ash, "private:message") == []

    assert emit(sam, "private:send", {"to": host_seat, "text": "A bit shaky."})["ok"] is True
    assert [m["text"] for m in received(host, "private:message")] == ["A bit shaky."]
    assert error_code(emit(ash, "private:send", {"to": host_seat, "text": "me too"})) == "forbidden"
    assert error_code(emit(sam, "private:send", {"to": sam_seat, "text": "me"})) == "invalid"
    assert error_code(emit(sam, "private:send", {"to": host_seat, "text": "   "})) == "invalid"

    # A channel opened elsewhere (a facilitator taking a support alert) lets Ash write too.
    assert open_private_channel(room_store, str(circle.session.id), host_seat, ash_seat) is True
    assert emit(ash, "private:send", {"to": host_seat, "text": "thank you"})["ok"] is True

    logged = actions_logged()
    assert logged.count(("private:open", sam_seat, None)) == 1
    assert "shaky" not in json.dumps(logged) and "How are you" not in json.dumps(logged)


def test_existing_facilitator_actions_are_logged_with_who_did_them(circle):
    host = circle.host()
    emit(host, "room:open")
    sam, sam_seat = circle.admitted("Sam", host)
    emit(sam, "hand:raise")
    emit(host, "room:lock", {"locked": True})
    emit(host, "seat:mute", {"seat_id": sam_seat, "muted": True})
    emit(host, "floor:pass", {})
    emit(host, "floor:mode", {"mode": "round_robin"})
    emit(host, "floor:timer", {"seconds": 120})
    emit(host, "chat:pause", {"paused": True})
    emit(host, "lobby:admit_all")
    emit(host, "room:end")
    assert actions_logged() == [
        ("room:open", None, None),
        ("lobby:admit", sam_seat, None),
        ("room:lock", None, {"locked": True}),
        ("seat:mute", sam_seat, {"muted": True}),
        ("floor:pass", sam_seat, None),
        ("floor:mode", None, {"mode": "round_robin"}),
        ("floor:timer", None, {"seconds": 120}),
        ("chat:pause", None, {"paused": True}),
        ("lobby:admit_all", None, {"count": 0}),
        ("room:end", None, None),
    ]
    entries = db.session.execute(db.select(AuditEntry)).scalars().all()
    assert {(e.actor_kind, e.facilitator_id, e.api_key_id) for e in entries} == {
        ("facilitator", circle.facilitator.id, None)
    }
    assert {e.organization_id for e in entries} == {circle.group.organization_id}


def test_a_co_facilitator_has_the_same_powers_and_is_logged_as_themselves(circle, host):
    co = add_facilitator(circle.group, name="Kai")
    kai = circle.host(co)
    sam, sam_seat = circle.admitted("Sam", host)
    assert emit(kai, "seat:mute_all", {"muted": True}) == {"ok": True}
    assert emit(kai, "seat:remove", {"seat_id": sam_seat}) == {"ok": True}
    assert not sam.is_connected()
    entries = db.session.execute(
        db.select(AuditEntry).where(AuditEntry.facilitator_id == co.id).order_by(AuditEntry.created_at)
    ).scalars()
    assert [entry.action for entry in entries] == ["seat:mute_all", "seat:remove"]
