"""Every client event, its acknowledgement, what others see, and each refusal."""

from __future__ import annotations

import pytest

from service.extensions import db
from service.models import Attendance, CircleSession
from tests.realtime.acks import emit, error_code
from tests.realtime.conftest import add_facilitator, add_registration, last_state, received

FACILITATOR_EVENTS = [
    ("room:open", None),
    ("room:end", None),
    ("room:lock", {"locked": True}),
    ("lobby:admit", {"seat_id": "p-anyone"}),
    ("lobby:admit_all", None),
    ("floor:pass", {}),
    ("floor:mode", {"mode": "round_robin"}),
    ("floor:timer", {"seconds": 120}),
    ("seat:mute", {"seat_id": "p-anyone", "muted": True}),
    ("chat:pause", {"paused": True}),
]


@pytest.fixture
def host(circle):
    client = circle.host()
    assert emit(client, "room:open") == {"ok": True}
    return client


def seat(state: dict, seat_id: str) -> dict:
    return next(s for s in state["seats"] if s["seat_id"] == seat_id)


def test_agreeing_takes_a_seat_in_the_lobby_and_records_attendance(circle):
    client, _seat_id = circle.participant("Sam", mode="camera_off")
    you = last_state(client)["you"]
    assert (you["display_name"], you["mode"], you["where"], you["role"]) == (
        "Sam",
        "camera_off",
        "lobby",
        "participant",
    )
    attendance = db.session.execute(db.select(Attendance)).scalar_one()
    assert attendance.mode == "camera_off"
    assert attendance.agreement_accepted_at is not None
    assert attendance.left_at is None
    assert attendance.session_id == circle.session.id


def test_agreeing_with_a_mode_the_group_does_not_allow_is_refused(circle):
    circle.group.allowed_modes = ["camera_off", "listen_only"]
    db.session.commit()
    _, token = add_registration(circle.group)
    client = circle.join(token)
    ack = emit(client, "room:agree", {"display_name": "Sam", "mode": "speak"})
    assert error_code(ack) == "invalid"
    assert last_state(client)["you"] is None


def test_opening_the_room_makes_the_session_live(circle):
    host = circle.host()
    assert emit(host, "room:open") == {"ok": True}
    assert db.session.get(CircleSession, circle.session.id).status == "live"
    assert last_state(host)["phase"] == "open"


@pytest.mark.both_stores
def test_admitting_one_and_all(circle, host):
    sam, sam_seat = circle.participant("Sam")
    _ash, ash_seat = circle.participant("Ash")
    _kit, kit_seat = circle.participant("Kit")
    assert emit(host, "lobby:admit", {"seat_id": sam_seat}) == {"ok": True}
    assert last_state(sam)["you"]["where"] == "room"
    assert emit(host, "lobby:admit_all") == {"ok": True, "admitted": [ash_seat, kit_seat]}
    state = last_state(sam)
    assert {s["display_name"] for s in state["seats"]} == {"Robin", "Sam", "Ash", "Kit"}


def test_admitting_before_the_room_is_open_is_refused(circle):
    host = circle.host()
    _, seat_id = circle.participant("Sam")
    assert error_code(emit(host, "lobby:admit", {"seat_id": seat_id})) == "room_not_open"


@pytest.mark.both_stores
def test_a_locked_room_admits_nobody_new(circle, host):
    _, seat_id = circle.participant("Sam")
    assert emit(host, "room:lock", {"locked": True}) == {"ok": True}
    assert last_state(host)["locked"] is True
    assert error_code(emit(host, "lobby:admit", {"seat_id": seat_id})) == "room_locked"
    assert error_code(emit(host, "lobby:admit_all")) == "room_locked"
    assert emit(host, "room:lock", {"locked": False}) == {"ok": True}
    assert emit(host, "lobby:admit", {"seat_id": seat_id}) == {"ok": True}


@pytest.mark.parametrize(("event", "payload"), FACILITATOR_EVENTS)
def test_a_participant_cannot_send_a_facilitators_event(circle, host, event, payload):
    client, _ = circle.admitted("Sam", host)
    last_state(host)
    assert error_code(emit(client, event, payload)) == "forbidden"
    assert received(host, "room:state") == []


def test_only_a_facilitator_lowers_someone_elses_hand(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    ash, _ = circle.admitted("Ash", host)
    emit(sam, "hand:raise")
    assert error_code(emit(ash, "hand:lower", {"seat_id": sam_seat})) == "forbidden"
    assert emit(host, "hand:lower", {"seat_id": sam_seat}) == {"ok": True}
    assert last_state(sam)["hands"] == []


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("room:agree", {"display_name": "", "mode": "speak"}),
        ("room:agree", {"display_name": "Sam", "mode": "shout"}),
        ("room:agree", {"display_name": "Sam\x07", "mode": "speak"}),
        ("room:agree", {"display_name": "Sam", "mode": "speak", "email": "sam@example.org"}),
        ("room:agree", ["Sam", "speak"]),
        ("room:lock", {"locked": "yes"}),
        ("room:lock", {"locked": 1}),
        ("mode:set", {"mode": "loud"}),
        ("floor:response", {"preference": "whatever"}),
        ("reaction:send", {"kind": "thumbs_down"}),
        ("chat:send", {"text": "x" * 501}),
        ("chat:send", {"text": "   "}),
        ("hand:raise", {"extra": 1}),
        ("lobby:admit", {}),
        ("floor:mode", {"mode": "free_for_all"}),
        ("floor:timer", {"seconds": 10}),
        ("floor:timer", {"seconds": "120"}),
        ("seat:mute", {"muted": True}),
        ("chat:pause", {"paused": 1}),
    ],
)
def test_a_bad_payload_is_refused_and_changes_nothing(circle, host, event, payload):
    client, _ = circle.admitted("Sam", host)
    before = last_state(host)
    facilitators = ("room:lock", "lobby:admit", "floor:mode", "floor:timer", "seat:mute", "chat:pause")
    sender = host if event in facilitators else client
    ack = emit(sender, event, payload)
    assert error_code(ack) == "invalid"
    assert ack["error"]["message"]
    assert received(host, "room:state") == []
    assert emit(host, "room:lock", {"locked": False}) == {"ok": True}
    assert last_state(host) == before


@pytest.mark.both_stores
def test_the_talking_piece(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    ash, ash_seat = circle.admitted("Ash", host)
    assert emit(sam, "hand:raise") == {"ok": True, "position": 0}
    assert emit(ash, "hand:raise") == {"ok": True, "position": 1}
    assert emit(sam, "hand:raise") == {"ok": True, "position": 0}
    assert last_state(ash)["hands"] == [sam_seat, ash_seat]

    assert emit(host, "floor:pass", {}) == {"ok": True, "floor": sam_seat}
    state = last_state(ash)
    assert state["floor"]["seat_id"] == sam_seat
    assert state["floor"]["response"] == "welcome_responses"
    assert state["hands"] == [ash_seat]
    assert seat(state, sam_seat)["may_publish_audio"] is True
    # While Sam holds the floor, only Sam and the facilitators are heard.
    assert seat(state, ash_seat)["may_publish_audio"] is False

    assert error_code(emit(ash, "floor:response", {"preference": "just_listening"})) == "not_floor_holder"
    assert emit(sam, "floor:response", {"preference": "just_listening"}) == {"ok": True}
    assert last_state(ash)["floor"]["response"] == "just_listening"

    assert error_code(emit(ash, "floor:release")) == "not_floor_holder"
    assert emit(sam, "floor:release") == {"ok": True}
    state = last_state(ash)
    assert state["floor"] is None
    assert seat(state, ash_seat)["may_publish_audio"] is True

    assert emit(ash, "hand:lower") == {"ok": True}
    assert last_state(sam)["hands"] == []
    assert emit(host, "floor:pass", {"to": ash_seat}) == {"ok": True, "floor": ash_seat}


def test_a_listen_only_seat_can_never_take_the_floor(circle, host):
    quiet, quiet_seat = circle.admitted("Quinn", host, mode="listen_only")
    assert error_code(emit(quiet, "hand:raise")) == "forbidden"
    assert error_code(emit(host, "floor:pass", {"to": quiet_seat})) == "forbidden"
    state = last_state(quiet)
    assert state["floor"] is None
    assert state["you"]["may_publish_audio"] is False
    assert state["you"]["may_publish_video"] is False


@pytest.mark.both_stores
def test_moving_to_listen_only_gives_up_hand_and_floor(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    emit(sam, "hand:raise")
    emit(host, "floor:pass", {})
    assert emit(sam, "mode:set", {"mode": "listen_only"}) == {"ok": True}
    state = last_state(host)
    assert state["floor"] is None
    assert seat(state, sam_seat)["mode"] == "listen_only"
    assert error_code(emit(sam, "hand:raise")) == "forbidden"


def test_quieter_is_always_allowed_and_louder_only_as_the_group_allows(circle, host):
    circle.group.allowed_modes = ["camera_off", "listen_only"]
    db.session.commit()
    sam, _ = circle.admitted("Sam", host, mode="camera_off")
    assert emit(sam, "mode:set", {"mode": "listen_only"}) == {"ok": True}
    assert last_state(sam)["you"]["mode"] == "listen_only"
    assert emit(sam, "mode:set", {"mode": "camera_off"}) == {"ok": True}
    assert error_code(emit(sam, "mode:set", {"mode": "speak"})) == "forbidden"
    assert last_state(sam)["you"]["mode"] == "camera_off"
    attendance = db.session.execute(
        db.select(Attendance).where(Attendance.registration_id.is_not(None))
    ).scalar_one()
    db.session.refresh(attendance)
    assert attendance.mode == "camera_off"


def test_reactions_reach_the_room_not_the_lobby(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    waiting, _ = circle.participant("Ash")
    received(waiting, "reaction")
    assert emit(sam, "reaction:send", {"kind": "i_hear_you"}) == {"ok": True}
    assert received(host, "reaction") == [{"seat_id": sam_seat, "kind": "i_hear_you"}]
    assert received(waiting, "reaction") == []
    assert error_code(emit(waiting, "reaction:send", {"kind": "me_too"})) == "forbidden"


@pytest.mark.both_stores
def test_reactions_are_rate_limited(circle, host):
    sam, _ = circle.admitted("Sam", host)
    acks = [emit(sam, "reaction:send", {"kind": "thank_you"}) for _ in range(11)]
    assert all(ack["ok"] for ack in acks[:10])
    assert error_code(acks[10]) == "rate_limited"


@pytest.mark.both_stores
def test_chat(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    ack = emit(sam, "chat:send", {"text": "  <b>thank you all</b>  "})
    assert ack["ok"] is True
    (message,) = received(host, "chat:message")
    assert message["id"] == ack["id"]
    # Plain text: delivered as written, for clients to show as text.
    assert (message["seat_id"], message["display_name"], message["text"]) == (
        sam_seat,
        "Sam",
        "<b>thank you all</b>",
    )
    acks = [emit(sam, "chat:send", {"text": "again"}) for _ in range(5)]
    assert error_code(acks[-1]) == "rate_limited"


def test_chat_is_closed_where_the_group_has_none(circle, host):
    circle.group.chat_enabled = False
    db.session.commit()
    sam, _ = circle.admitted("Sam", host)
    assert error_code(emit(sam, "chat:send", {"text": "hello"})) == "chat_closed"
    assert received(host, "chat:message") == []


@pytest.mark.both_stores
def test_stepping_away_and_back_keeps_the_seat(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    emit(sam, "hand:raise")
    assert emit(sam, "presence:away") == {"ok": True}
    state = last_state(host)
    assert seat(state, sam_seat)["away"] is True
    assert seat(state, sam_seat)["hand"] == 0
    assert emit(sam, "presence:back") == {"ok": True}
    assert seat(last_state(host), sam_seat)["away"] is False


def test_leaving_quietly(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    host.get_received()
    assert emit(sam, "room:leave") == {"ok": True}
    got = host.get_received()
    assert {event["name"] for event in got} == {"room:state"}
    assert all(s["seat_id"] != sam_seat for s in got[-1]["args"][0]["seats"])
    left = db.session.execute(db.select(Attendance.left_at).where(Attendance.registration_id.is_not(None)))
    assert left.scalar_one() is not None
    assert error_code(emit(sam, "hand:raise")) == "not_connected"


@pytest.mark.both_stores
def test_ending_the_session(circle, host):
    sam, _ = circle.admitted("Sam", host)
    assert emit(host, "room:end") == {"ok": True}
    session_id = str(circle.session.id)
    assert received(sam, "room:ended") == [{"session_id": session_id}]
    db.session.expire_all()
    assert db.session.get(CircleSession, circle.session.id).status == "ended"
    assert all(row.left_at is not None for row in db.session.execute(db.select(Attendance)).scalars())
    assert error_code(emit(sam, "hand:raise")) == "room_not_open"
    assert error_code(emit(host, "room:open")) == "session_over"
    assert last_state(host)["phase"] == "ended"


@pytest.mark.both_stores
def test_round_robin_passes_to_the_next_hand_when_the_holder_passes(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    ash, ash_seat = circle.admitted("Ash", host)
    assert emit(host, "floor:mode", {"mode": "round_robin"}) == {"ok": True}
    emit(sam, "hand:raise")
    emit(ash, "hand:raise")
    emit(host, "floor:pass", {})
    assert emit(sam, "floor:release") == {"ok": True}
    state = last_state(host)
    assert state["floor_mode"] == "round_robin"
    assert state["floor"]["seat_id"] == ash_seat
    assert state["hands"] == []
    assert sam_seat not in state["hands"]


@pytest.mark.both_stores
def test_the_share_timer_is_shown_with_the_floor(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    assert emit(host, "floor:timer", {"seconds": 120}) == {"ok": True}
    emit(host, "floor:pass", {"to": sam_seat})
    floor = last_state(sam)["floor"]
    assert floor["share_seconds"] == 120
    assert isinstance(floor["share_started_at"], float)
    assert emit(host, "floor:timer", {"seconds": None}) == {"ok": True}
    assert last_state(sam)["floor"]["share_seconds"] is None


def test_a_muted_seat_may_not_publish(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    assert emit(host, "seat:mute", {"seat_id": sam_seat, "muted": True}) == {"ok": True}
    you = last_state(sam)["you"]
    assert (you["muted"], you["may_publish_audio"], you["may_publish_video"]) == (True, False, False)
    assert emit(host, "seat:mute", {"seat_id": sam_seat, "muted": False}) == {"ok": True}
    assert last_state(sam)["you"]["may_publish_audio"] is True


def test_a_paused_chat_is_closed(circle, host):
    sam, _ = circle.admitted("Sam", host)
    assert emit(host, "chat:pause", {"paused": True}) == {"ok": True}
    assert last_state(sam)["chat_enabled"] is False
    assert error_code(emit(sam, "chat:send", {"text": "hello"})) == "chat_closed"
    assert emit(host, "chat:pause", {"paused": False}) == {"ok": True}
    assert emit(sam, "chat:send", {"text": "hello"})["ok"] is True


def test_a_server_failure_is_acknowledged_without_detail(circle, host, monkeypatch):
    sam, _ = circle.admitted("Sam", host)

    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("service.live.seats.step_away", broken)
    ack = emit(sam, "presence:away")
    assert ack == {
        "ok": False,
        "error": {"code": "internal", "message": "Something went wrong; please try again."},
    }


def test_a_co_facilitator_has_the_same_powers(circle, host):
    co = circle.host(add_facilitator(circle.group, name="Jo"))
    _, sam_seat = circle.participant("Sam")
    assert emit(co, "lobby:admit", {"seat_id": sam_seat}) == {"ok": True}
    state = last_state(host)
    assert {(s["display_name"], s["role"]) for s in state["seats"]} == {
        ("Robin", "facilitator"),
        ("Jo", "facilitator"),
        ("Sam", "participant"),
    }
    assert seat(state, sam_seat)["where"] == "room"
