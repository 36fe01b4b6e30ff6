"""Rounds and quieter voices in the room store, in memory and in Redis alike."""

from __future__ import annotations

import pytest

from service.rooms.errors import NotFloorHolder, NotYourTurn, RoundUnderWay
from service.rooms.state import Room
from service.rooms.store import RoomStore
from tests.rooms.conftest import ROOM, FakeClock, state


@pytest.fixture
def circle(store: RoomStore) -> RoomStore:
    """An open room: a facilitator, three speakers and a listener, in this seat order."""
    store.ensure_room(ROOM)
    store.change(ROOM, Room.set_phase, "open")
    store.change(ROOM, Room.add_seat, "fac", "Fran", "facilitator", "speak", where="room")
    for seat_id, mode in [("ann", "speak"), ("bo", "camera_off"), ("lee", "listen_only"), ("cy", "speak")]:
        store.change(ROOM, Room.add_seat, seat_id, seat_id.title(), "participant", mode, where="room")
    return store


def test_a_round_goes_around_in_seat_order_and_ends_by_itself(circle: RoomStore, clock: FakeClock) -> None:
    assert circle.change_now(ROOM, Room.start_round, "check_in") == "ann"
    assert state(circle)["floor"] == "ann" and state(circle)["round_left"] == ["bo", "lee", "cy"]
    clock.now += 40
    circle.change_now(ROOM, Room.release_floor, "ann")
    # Bo passes with one action; the floor goes on to the listener's turn, which holds no floor.
    assert circle.change_now(ROOM, Room.end_turn, "bo", shared=False) == "lee"
    assert state(circle)["floor"] is None and state(circle)["round_turn"] == "lee"
    assert circle.change_now(ROOM, Room.end_turn, "lee", shared=True) == "cy"
    clock.now += 20
    circle.change_now(ROOM, Room.release_floor, "cy")
    room = state(circle)
    assert room["round_kind"] is None and room["round_turn"] is None and room["floor"] is None
    assert room["spoken"] == {"ann": 40.0, "lee": 0.0, "cy": 20.0}


def test_only_the_person_whose_turn_it_is_may_pass(circle: RoomStore) -> None:
    circle.change_now(ROOM, Room.start_round, "check_out")
    with pytest.raises(NotYourTurn):
        circle.change_now(ROOM, Room.end_turn, "cy", shared=False)
    with pytest.raises(NotFloorHolder):
        circle.change_now(ROOM, Room.release_floor, "cy")
    assert state(circle)["round_turn"] == "ann"


def test_a_round_cannot_be_overtaken_by_passing_the_floor(circle: RoomStore) -> None:
    circle.change_now(ROOM, Room.start_round, "check_in")
    with pytest.raises(RoundUnderWay):
        circle.pass_floor(ROOM, "ann", "cy")
    with pytest.raises(RoundUnderWay):
        circle.change_now(ROOM, Room.start_round, "check_in")
    assert state(circle)["floor"] == "ann"


def test_whoever_leaves_is_skipped_and_stepping_away_keeps_one_out(circle: RoomStore) -> None:
    circle.change(ROOM, Room.set_away, "bo", True)
    circle.change_now(ROOM, Room.start_round, "check_in")
    assert "bo" not in state(circle)["round_left"]
    circle.change_now(ROOM, Room.remove_seat, "lee")
    # Ann leaves while she holds the floor: the turn goes straight to the next one still here.
    circle.change_now(ROOM, Room.remove_seat, "ann")
    assert state(circle)["round_turn"] == "cy" and state(circle)["floor"] == "cy"


def test_stopping_a_round_frees_the_floor(circle: RoomStore) -> None:
    circle.change_now(ROOM, Room.start_round, "check_in")
    circle.change_now(ROOM, Room.stop_round)
    room = state(circle)
    assert room["round_kind"] is None and room["floor"] is None and room["round_left"] == []
    with pytest.raises(NotYourTurn):
        circle.change_now(ROOM, Room.stop_round)


def test_least_spoken_first_orders_the_queue_by_speaking_time(circle: RoomStore, clock: FakeClock) -> None:
    for seat_id, seconds in [("ann", 90), ("cy", 10)]:
        circle.pass_floor(ROOM, state(circle)["floor"], seat_id)
        clock.now += seconds
    circle.change_now(ROOM, Room.release_floor, "cy")
    for seat_id in ("ann", "cy", "bo"):
        circle.change(ROOM, Room.raise_hand, seat_id)
    assert state(circle)["hands"] == ["ann", "cy", "bo"]
    circle.change(ROOM, Room.set_queue_order, "least_spoken")
    assert state(circle)["hands"] == ["bo", "cy", "ann"]
    circle.change(ROOM, Room.set_queue_order, "raised")
    circle.change(ROOM, Room.lower_all_hands)
    circle.change(ROOM, Room.set_queue_order, "least_spoken")
    # A hand raised later still goes before anyone who has spoken more.
    circle.change(ROOM, Room.raise_hand, "ann")
    circle.change(ROOM, Room.raise_hand, "bo")
    assert state(circle)["hands"] == ["bo", "ann"]


def test_the_end_of_the_session_forgets_who_spoke_for_how_long(circle: RoomStore, clock: FakeClock) -> None:
    circle.change_now(ROOM, Room.start_round, "check_in")
    clock.now += 30
    circle.change_now(ROOM, Room.release_floor, "ann")
    circle.change(ROOM, Room.set_phase, "ended")
    room = state(circle)
    assert room["spoken"] == {} and room["round_kind"] is None and room["round_left"] == []
