"""Rounds and quieter voices over Socket.IO: a round going around, who sees what, the refusals."""

from __future__ import annotations

import pytest

from service.extensions import db
from service.models import AuditEntry
from tests.realtime.acks import emit, error_code
from tests.realtime.conftest import last_state


@pytest.fixture
def host(circle):
    client = circle.host()
    assert emit(client, "room:open") == {"ok": True}
    return client


@pytest.mark.both_stores
def test_a_round_goes_around_four_people_with_one_pass_and_a_listeners_line(circle, host):
    ann, ann_seat = circle.admitted("Ann", host)
    bo, bo_seat = circle.admitted("Bo", host)
    lee, lee_seat = circle.admitted("Lee", host, mode="listen_only")
    cy, cy_seat = circle.admitted("Cy", host)
    assert emit(host, "round:start", {"kind": "check_in"}) == {"ok": True, "turn": ann_seat}
    state = last_state(cy)
    assert state["round"] == {"kind": "check_in", "turn": ann_seat, "to_come": [bo_seat, lee_seat, cy_seat]}
    assert state["floor"]["seat_id"] == ann_seat
    assert state["you"]["may_publish_audio"] is False
    assert error_code(emit(cy, "round:pass")) == "not_your_turn"
    assert emit(ann, "floor:release") == {"ok": True}
    assert emit(bo, "round:pass") == {"ok": True, "turn": lee_seat}
    # A listener's turn holds no floor, yet keeps the room listening.
    state = last_state(ann)
    assert state["floor"] is None and state["you"]["may_publish_audio"] is False
    assert emit(lee, "chat:send", {"text": "Glad to be here, just listening tonight."})["ok"] is True
    state = last_state(host)
    assert state["round"]["turn"] == cy_seat and state["round"]["passed"] == [bo_seat]
    assert emit(cy, "floor:release") == {"ok": True}
    state = last_state(ann)
    assert state["round"] is None and state["you"]["may_publish_audio"] is True
    shared = {row["seat_id"]: row["shared"] for row in last_state(host)["speaking"]}
    assert shared == {ann_seat: True, bo_seat: False, lee_seat: True, cy_seat: True}
    actions = [entry.action for entry in db.session.execute(db.select(AuditEntry)).scalars()]
    assert "round:start" in actions


def test_only_facilitators_see_speaking_times_and_who_passed(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    emit(host, "round:start", {"kind": "check_out"})
    emit(sam, "round:pass")
    emit(host, "round:start", {"kind": "check_out"})
    state = last_state(sam)
    assert "speaking" not in state and "passed" not in state["round"]
    state = last_state(host)
    assert state["round"]["passed"] == []
    # Sam passed the first round; the second has just given Sam the floor: a share under way.
    assert state["speaking"] == [{"seat_id": sam_seat, "seconds": 0, "shared": True}]


def test_participants_cannot_steer_a_round_and_the_floor_cannot_jump_it(circle, host):
    sam, _ = circle.admitted("Sam", host)
    _, ash_seat = circle.admitted("Ash", host)
    for event, payload in [
        ("round:start", {"kind": "check_in"}),
        ("round:skip", None),
        ("round:stop", None),
        ("queue:order", {"order": "least_spoken"}),
    ]:
        assert error_code(emit(sam, event, payload)) == "forbidden"
    assert error_code(emit(host, "round:start", {"kind": "go_around"})) == "invalid"
    emit(host, "round:start", {"kind": "check_in"})
    assert error_code(emit(host, "floor:pass", {"to": ash_seat})) == "round_under_way"
    assert emit(host, "round:skip") == {"ok": True, "turn": ash_seat}
    assert emit(host, "round:stop") == {"ok": True}
    state = last_state(sam)
    assert state["round"] is None and state["floor"] is None


def test_the_facilitator_may_order_the_queue_least_spoken_first(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    ash, ash_seat = circle.admitted("Ash", host)
    emit(host, "floor:pass", {"to": sam_seat})
    emit(sam, "floor:release")
    emit(sam, "hand:raise")
    emit(ash, "hand:raise")
    assert emit(host, "queue:order", {"order": "least_spoken"}) == {"ok": True}
    state = last_state(host)
    assert state["queue_order"] == "least_spoken" and state["hands"] == [ash_seat, sam_seat]
