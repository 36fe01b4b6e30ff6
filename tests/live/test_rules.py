"""Room rules called directly, without a socket: what each action changes and what the room is told."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.domain.errors import Forbidden
from service.extensions import db
from service.live import floor, notify, rounds, seats, session


def seated_and_admitted(store, people, now, mode="speak"):
    session.connect(store, people.host, now)
    session.open_room(store, people.host, now)
    seats.agree(store, people.sam, "Sam", mode, now)
    session.admit(store, people.host, people.sam.seat_id)


def test_the_room_is_told_only_after_the_commit(store, people, told):
    notify.room_changed(people.host)
    notify.send(people.host.session_id, None, "room:ended", {})
    assert told == []
    notify.commit()
    assert told == [("room_changed", people.host.session_id, False), ("send", "room:ended", None)]


def test_an_action_tells_the_room_what_it_changed(store, people, told):
    session.connect(store, people.host, datetime.now(UTC))
    assert told == [("room_changed", people.host.session_id, False)]


def test_a_change_rolled_back_tells_nobody(store, people, told):
    notify.room_changed(people.host)
    db.session.rollback()
    db.session.commit()
    assert told == []


def test_many_changes_in_one_transaction_show_the_room_once(store, people, told):
    for _ in range(3):
        notify.room_changed(people.host)
    notify.commit()
    assert told == [("room_changed", people.host.session_id, False)]


def test_moving_to_listen_only_gives_up_the_hand_and_the_floor(store, people, told):
    now = datetime.now(UTC)
    seated_and_admitted(store, people, now)
    floor.raise_hand(store, people.sam)
    floor.pass_floor(store, people.host, people.sam.seat_id)
    assert store.snapshot(people.sam.session_id)["floor"] == people.sam.seat_id
    seats.set_mode(store, people.sam, "listen_only", now)
    room = store.snapshot(people.sam.session_id)
    assert room["floor"] is None and people.sam.seat_id not in room["hands"]


def test_a_way_of_taking_part_without_the_floor_cannot_raise_a_hand_or_be_given_the_floor(store, people):
    now = datetime.now(UTC)
    seated_and_admitted(store, people, now, mode="listen_only")
    with pytest.raises(Forbidden):
        floor.raise_hand(store, people.sam)
    with pytest.raises(Forbidden):
        floor.pass_floor(store, people.host, people.sam.seat_id)


def test_a_louder_way_needs_the_groups_consent_a_quieter_one_never(store, people, app):
    now = datetime.now(UTC)
    seated_and_admitted(store, people, now, mode="camera_off")
    quiet_only = people.sam.__class__(**{**people.sam.__dict__, "allowed_modes": ("listen_only",)})
    with pytest.raises(Forbidden):
        seats.set_mode(store, quiet_only, "speak", now)
    seats.set_mode(store, quiet_only, "listen_only", now)
    assert store.snapshot(people.sam.session_id)["seats"][people.sam.seat_id]["mode"] == "listen_only"


def test_a_listeners_line_sent_as_their_turn_moved_on_is_still_sent(store, people, told):
    now = datetime.now(UTC)
    seated_and_admitted(store, people, now, mode="listen_only")
    rounds.start(store, people.host, "check_in")
    snapshot = store.snapshot(people.sam.session_id)
    # The facilitator skips Sam's turn between the chat's snapshot and its round step.
    rounds.skip(store, people.host)
    rounds.after_line(store, people.sam, snapshot)
    assert store.snapshot(people.sam.session_id)["round_kind"] is None
