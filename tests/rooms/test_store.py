"""The live room store: every operation, in memory and in Redis alike."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import redis
from conftest import REDIS_URL

from service.rooms import MemoryRoomStore, RedisRoomStore, RoomStore, store_from_url
from service.rooms.errors import (
    BadValue,
    FloorChanged,
    ModeRefuses,
    NoSuchMessage,
    NoSuchRoom,
    NoSuchSeat,
    NotFloorHolder,
    NotInRoom,
    RoomLocked,
    SeatExists,
    SeatExpired,
)
from service.rooms.state import Room
from service.rooms.store import ROOM_TTL_SECONDS
from tests.rooms.conftest import ROOM, FakeClock, state


@pytest.fixture
def room(store: RoomStore) -> RoomStore:
    """A store holding ROOM with a facilitator in the room and ann, bo and cy in the lobby."""
    store.ensure_room(ROOM)
    store.change(ROOM, Room.add_seat, "fac", "Fran", "facilitator", "speak", where="room")
    for seat_id, name in [("ann", "Ann"), ("bo", "Bo"), ("cy", "Cy")]:
        store.change(ROOM, Room.add_seat, seat_id, name, "participant", "speak")
    return store


@pytest.fixture
def seated(room: RoomStore) -> RoomStore:
    """The same room with everyone admitted."""
    room.change(ROOM, Room.admit_all)
    return room


# Rooms and their settings.


def test_ensure_room_starts_in_the_lobby_and_is_idempotent(store: RoomStore) -> None:
    assert store.snapshot(ROOM) is None
    first = store.ensure_room(ROOM)
    store.change(ROOM, Room.set_locked, True)
    again = store.ensure_room(ROOM)
    assert first["phase"] == "lobby" and first["floor_mode"] == "facilitated"
    assert first["seats"] == {} and first["hands"] == [] and first["floor"] is None
    assert again["locked"] is True


def test_changes_to_a_missing_room_are_refused(store: RoomStore) -> None:
    with pytest.raises(NoSuchRoom):
        store.change(ROOM, Room.raise_hand, "ann")
    assert store.snapshot(ROOM) is None


def test_room_settings(room: RoomStore) -> None:
    room.change(ROOM, Room.set_phase, "open")
    room.change(ROOM, Room.set_locked, True)
    room.change(ROOM, Room.set_floor_mode, "round_robin")
    room.change(ROOM, Room.set_share_timer, 180)
    room.change(ROOM, Room.set_chat_paused, True)
    room.change(ROOM, Room.set_muted, "ann", True)
    room.change(ROOM, Room.set_muted, "ann", True)
    room.change(ROOM, Room.set_muted, "bo", True)
    room.change(ROOM, Room.set_muted, "bo", False)
    snap = state(room)
    assert snap["phase"] == "open" and snap["locked"] is True
    assert snap["floor_mode"] == "round_robin" and snap["share_seconds"] == 180
    assert snap["chat_paused"] is True and snap["muted"] == ["ann"]
    room.change(ROOM, Room.set_share_timer, None)
    assert state(room)["share_seconds"] is None


@pytest.mark.parametrize(
    "action",
    [
        lambda s: s.change(ROOM, Room.set_phase, "paused"),
        lambda s: s.change(ROOM, Room.set_floor_mode, "free_for_all"),
        lambda s: s.change(ROOM, Room.set_share_timer, 0),
        lambda s: s.change(ROOM, Room.add_seat, "dee", "Dee", "host", "speak"),
        lambda s: s.change_now(ROOM, Room.update_seat, "ann", mode="loud"),
    ],
)
def test_bad_values_are_refused_and_change_nothing(room: RoomStore, action: Callable) -> None:
    before = state(room)
    with pytest.raises(BadValue):
        action(room)
    assert state(room) == before


def test_delete_room(room: RoomStore) -> None:
    room.delete_room(ROOM)
    assert room.snapshot(ROOM) is None


# Seats and admission.


def test_add_update_and_remove_seat(room: RoomStore) -> None:
    with pytest.raises(SeatExists):
        room.change(ROOM, Room.add_seat, "ann", "Another Ann", "participant", "speak")
    room.change_now(ROOM, Room.update_seat, "ann", display_name="Annie", mode="listen_only")
    ann = state(room)["seats"]["ann"]
    assert ann == {
        "display_name": "Annie",
        "role": "participant",
        "mode": "listen_only",
        "where": "lobby",
        "away": False,
        "connected": True,
        "reconnect_deadline": None,
        "relayed": None,
    }
    room.change_now(ROOM, Room.remove_seat, "ann")
    assert "ann" not in state(room)["seats"]
    with pytest.raises(NoSuchSeat):
        room.change_now(ROOM, Room.remove_seat, "ann")


def test_removing_a_seat_takes_its_hand_and_floor_but_keeps_its_mute(seated: RoomStore) -> None:
    seated.change(ROOM, Room.raise_hand, "ann")
    seated.change(ROOM, Room.raise_hand, "bo")
    seated.pass_floor(ROOM, None, to="bo")
    seated.change(ROOM, Room.set_muted, "ann", True)
    seated.change_now(ROOM, Room.remove_seat, "ann")
    seated.change_now(ROOM, Room.remove_seat, "bo")
    snap = state(seated)
    assert snap["hands"] == [] and snap["muted"] == ["ann"]
    assert snap["floor"] is None and snap["response"] is None


def test_admit_one_and_all(room: RoomStore) -> None:
    assert room.change(ROOM, Room.admit, "bo") is True
    assert room.change(ROOM, Room.admit, "bo") is False
    assert room.change(ROOM, Room.admit_all) == ["ann", "cy"]
    assert all(seat["where"] == "room" for seat in state(room)["seats"].values())
    assert room.change(ROOM, Room.admit_all) == []


def test_a_locked_room_admits_nobody(room: RoomStore) -> None:
    room.change(ROOM, Room.set_locked, True)
    with pytest.raises(RoomLocked):
        room.change(ROOM, Room.admit, "ann")
    with pytest.raises(RoomLocked):
        room.change(ROOM, Room.admit_all)
    assert {seat["where"] for seat_id, seat in state(room)["seats"].items() if seat_id != "fac"} == {"lobby"}
    room.change(ROOM, Room.set_locked, False)
    assert room.change(ROOM, Room.admit, "ann") is True


# The talking piece.


def test_raise_hand_is_idempotent_and_keeps_order(seated: RoomStore) -> None:
    assert seated.change(ROOM, Room.raise_hand, "bo") == 0
    assert seated.change(ROOM, Room.raise_hand, "ann") == 1
    assert seated.change(ROOM, Room.raise_hand, "bo") == 0
    assert seated.change(ROOM, Room.raise_hand, "cy") == 2
    assert state(seated)["hands"] == ["bo", "ann", "cy"]


def test_raising_a_hand_needs_a_seat_in_the_room(room: RoomStore) -> None:
    with pytest.raises(NotInRoom):
        room.change(ROOM, Room.raise_hand, "ann")
    with pytest.raises(NoSuchSeat):
        room.change(ROOM, Room.raise_hand, "nobody")


def test_lower_hand(seated: RoomStore) -> None:
    seated.change(ROOM, Room.raise_hand, "ann")
    seated.change(ROOM, Room.raise_hand, "bo")
    assert seated.change(ROOM, Room.lower_hand, "ann") is True
    assert seated.change(ROOM, Room.lower_hand, "ann") is False
    assert state(seated)["hands"] == ["bo"]


def test_pass_floor_to_the_next_hand(seated: RoomStore, clock: FakeClock) -> None:
    seated.change(ROOM, Room.raise_hand, "bo")
    seated.change(ROOM, Room.raise_hand, "ann")
    assert seated.pass_floor(ROOM, None) == "bo"
    snap = state(seated)
    assert snap["floor"] == "bo" and snap["hands"] == ["ann"]
    assert snap["response"] == "welcome_responses" and snap["share_started_at"] == clock.now
    assert seated.pass_floor(ROOM, "bo") == "ann"
    assert seated.pass_floor(ROOM, "ann") is None
    snap = state(seated)
    assert snap["floor"] is None and snap["share_started_at"] is None


def test_pass_floor_to_anyone_takes_them_out_of_the_queue(seated: RoomStore) -> None:
    seated.change(ROOM, Room.raise_hand, "ann")
    seated.change(ROOM, Room.raise_hand, "cy")
    assert seated.pass_floor(ROOM, None, to="cy") == "cy"
    assert state(seated)["hands"] == ["ann"]
    assert seated.pass_floor(ROOM, "cy", to="bo") == "bo"
    assert state(seated)["hands"] == ["ann"]


def test_pass_floor_refuses_a_stale_holder_and_seats_in_the_lobby(room: RoomStore) -> None:
    room.change(ROOM, Room.admit, "ann")
    room.pass_floor(ROOM, None, to="ann")
    with pytest.raises(FloorChanged):
        room.pass_floor(ROOM, None, to="fac")
    with pytest.raises(NotInRoom):
        room.pass_floor(ROOM, "ann", to="bo")
    assert state(room)["floor"] == "ann"


def test_release_floor_and_response_preference(seated: RoomStore) -> None:
    seated.pass_floor(ROOM, None, to="ann")
    with pytest.raises(NotFloorHolder):
        seated.change(ROOM, Room.set_response, "bo", "just_listening")
    seated.change(ROOM, Room.set_response, "ann", "just_listening")
    assert state(seated)["response"] == "just_listening"
    with pytest.raises(BadValue):
        seated.change(ROOM, Room.set_response, "ann", "advice_please")
    with pytest.raises(NotFloorHolder):
        seated.change_now(ROOM, Room.release_floor, "bo")
    seated.change_now(ROOM, Room.release_floor, "ann")
    snap = state(seated)
    assert snap["floor"] is None and snap["response"] is None


# Presence and reconnection.


def test_step_away_and_back_keeps_the_seat_and_hand(seated: RoomStore) -> None:
    seated.change(ROOM, Room.raise_hand, "ann")
    seated.change(ROOM, Room.set_away, "ann", True)
    snap = state(seated)
    assert snap["seats"]["ann"]["away"] is True and snap["hands"] == ["ann"]
    seated.change(ROOM, Room.set_away, "ann", False)
    assert state(seated)["seats"]["ann"]["away"] is False


def test_reconnect_keeps_seat_and_hand_position(seated: RoomStore, clock: FakeClock) -> None:
    seated.change_now(ROOM, Room.update_seat, "bo", mode="camera_off")
    for seat_id in ["ann", "bo", "cy"]:
        seated.change(ROOM, Room.raise_hand, seat_id)
    deadline = seated.disconnect(ROOM, "bo", grace_seconds=120)
    assert deadline == clock.now + 120
    bo = state(seated)["seats"]["bo"]
    assert bo["connected"] is False and bo["reconnect_deadline"] == deadline
    clock.now += 119
    seat = seated.reconnect(ROOM, "bo")
    assert (seat.display_name, seat.mode, seat.connected) == ("Bo", "camera_off", True)
    snap = state(seated)
    assert snap["hands"] == ["ann", "bo", "cy"]
    assert snap["seats"]["bo"]["connected"] is True and snap["seats"]["bo"]["reconnect_deadline"] is None


def test_reconnect_after_the_deadline_is_refused_and_the_seat_expires(
    seated: RoomStore, clock: FakeClock
) -> None:
    seated.change(ROOM, Room.raise_hand, "ann")
    seated.disconnect(ROOM, "ann", grace_seconds=60)
    seated.disconnect(ROOM, "bo", grace_seconds=600)
    clock.now += 61
    with pytest.raises(SeatExpired):
        seated.reconnect(ROOM, "ann")
    assert seated.expire_seats(ROOM) == ["ann"]
    snap = state(seated)
    assert set(snap["seats"]) == {"fac", "bo", "cy"} and snap["hands"] == []


# Rate limiting.


def test_rate_limit_is_a_sliding_window_per_seat_and_action(store: RoomStore, clock: FakeClock) -> None:
    assert [store.allow(ROOM, "ann", "react", 3, 10) for _ in range(2)] == [True, True]
    clock.now += 5
    assert [store.allow(ROOM, "ann", "react", 3, 10) for _ in range(2)] == [True, False]
    assert store.allow(ROOM, "bo", "react", 3, 10) is True
    assert store.allow(ROOM, "ann", "chat", 3, 10) is True
    # The two attempts at t=0 leave the window at t=10; the one at t=5 still counts.
    clock.now += 5
    assert [store.allow(ROOM, "ann", "react", 3, 10) for _ in range(3)] == [True, True, False]


# Two people acting at once.


def run_together(count: int, action: Callable[[int], object]) -> list[object]:
    """Run `action(i)` on `count` threads released at the same moment; results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = action(i)
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_many_hands_raised_at_once_queue_each_seat_once(store: RoomStore) -> None:
    store.ensure_room(ROOM)
    seats = [f"seat-{i}" for i in range(12)]
    for seat_id in seats:
        store.change(ROOM, Room.add_seat, seat_id, seat_id, "participant", "speak", where="room")
    # Every seat raises twice, concurrently with everyone else.
    results = run_together(24, lambda i: store.change(ROOM, Room.raise_hand, seats[i % 12]))
    assert not [r for r in results if isinstance(r, Exception)]
    hands = state(store)["hands"]
    assert sorted(hands) == sorted(seats)


@pytest.mark.parametrize("attempt", range(5))
def test_two_passes_with_the_same_holder_only_one_wins(seated: RoomStore, attempt: int) -> None:
    seated.pass_floor(ROOM, None, to="ann")
    targets = ["bo", "cy"]
    results = run_together(2, lambda i: seated.pass_floor(ROOM, "ann", to=targets[i]))
    winners = [r for r in results if isinstance(r, str)]
    assert len(winners) == 1
    assert [type(r) for r in results if not isinstance(r, str)] == [FloorChanged]
    assert state(seated)["floor"] == winners[0]


# Redis specifics.


def test_two_redis_stores_share_one_room(redis_client: redis.Redis, key_prefix: str) -> None:
    first = RedisRoomStore(redis_client, key_prefix=key_prefix)
    other_client = redis.Redis.from_url(REDIS_URL)
    second = RedisRoomStore(other_client, key_prefix=key_prefix)
    first.ensure_room(ROOM)
    first.change(ROOM, Room.add_seat, "ann", "Ann", "participant", "speak", where="room")
    second.change(ROOM, Room.raise_hand, "ann")
    assert first.pass_floor(ROOM, None) == "ann"
    assert second.snapshot(ROOM)["floor"] == "ann"
    other_client.close()


def test_redis_keys_expire_and_writes_refresh_them(redis_client: redis.Redis, key_prefix: str) -> None:
    store = RedisRoomStore(redis_client, key_prefix=key_prefix)
    store.ensure_room(ROOM)
    key = store.room_key(ROOM)
    redis_client.expire(key, 60)
    store.change(ROOM, Room.set_locked, True)
    assert ROOM_TTL_SECONDS - 5 < redis_client.ttl(key) <= ROOM_TTL_SECONDS
    store.allow(ROOM, "ann", "react", 3, 10)
    assert 0 < redis_client.pttl(store.rate_key(ROOM, "ann", "react")) <= 10_000


def test_memory_rooms_expire_after_a_day(clock: FakeClock) -> None:
    store = MemoryRoomStore(clock=clock)
    store.ensure_room(ROOM)
    clock.now += ROOM_TTL_SECONDS + 1
    assert store.snapshot(ROOM) is None


def test_store_from_url(redis_client: redis.Redis) -> None:
    assert isinstance(store_from_url(None), MemoryRoomStore)
    assert isinstance(store_from_url(REDIS_URL), RedisRoomStore)


# Moderation.


def test_muting_every_participant_leaves_facilitators_alone(seated: RoomStore) -> None:
    assert seated.change(ROOM, Room.set_participants_muted, True) == ["ann", "bo", "cy"]
    assert state(seated)["muted"] == ["ann", "bo", "cy"]
    seated.change(ROOM, Room.set_participants_muted, False)
    assert state(seated)["muted"] == []


def test_lowering_every_hand(seated: RoomStore) -> None:
    seated.change(ROOM, Room.raise_hand, "bo")
    seated.change(ROOM, Room.raise_hand, "ann")
    assert seated.change(ROOM, Room.lower_all_hands) == ["bo", "ann"]
    assert state(seated)["hands"] == []


def test_a_breathing_pause_starts_now_and_stops(room: RoomStore, clock: FakeClock) -> None:
    assert room.start_breathing(ROOM, 60) == clock.now
    snap = state(room)
    assert (snap["breathing_started_at"], snap["breathing_seconds"]) == (clock.now, 60)
    with pytest.raises(BadValue):
        room.start_breathing(ROOM, 0)
    room.change(ROOM, Room.stop_breathing)
    assert state(room)["breathing_started_at"] is None


def test_recent_chat_keeps_ids_and_senders_only_and_forgets_on_deletion(seated: RoomStore) -> None:
    before = state(seated)
    seated.note_chat(ROOM, "m1", "ann")
    seated.note_chat(ROOM, "m2", "bo")
    # Kept beside the room: a chat line leaves the room's own state as it was.
    assert state(seated) == before
    assert seated.forget_chat(ROOM, "m1") == "ann"
    with pytest.raises(NoSuchMessage):
        seated.forget_chat(ROOM, "m1")
    assert seated.forget_chat(ROOM, "m2") == "bo"
    for number in range(250):
        seated.note_chat(ROOM, f"x{number}", "cy")
    # Only the last 200 are kept.
    with pytest.raises(NoSuchMessage):
        seated.forget_chat(ROOM, "x49")
    assert seated.forget_chat(ROOM, "x50") == "cy"
    assert seated.forget_chat(ROOM, "x249") == "cy"


def test_recent_chat_goes_with_its_room(seated: RoomStore) -> None:
    seated.note_chat(ROOM, "m1", "ann")
    seated.delete_room(ROOM)
    with pytest.raises(NoSuchMessage):
        seated.forget_chat(ROOM, "m1")


def test_a_room_stored_with_its_recent_chat_inside_still_loads() -> None:
    # As an earlier version stored it, for up to a day after an upgrade.
    room = Room.from_dict({**Room(id=ROOM).to_dict(), "recent_chat": [["m1", "ann"]]})
    assert room.to_dict() == Room(id=ROOM).to_dict()


def test_private_channels_open_once_and_close_with_a_seat(room: RoomStore) -> None:
    assert room.change(ROOM, Room.open_channel, "fac", "ann") is True
    assert room.change(ROOM, Room.open_channel, "fac", "ann") is False
    with pytest.raises(BadValue):
        room.change(ROOM, Room.open_channel, "ann", "fac")
    with pytest.raises(NoSuchSeat):
        room.change(ROOM, Room.open_channel, "fac", "nobody")
    room.change_now(ROOM, Room.remove_seat, "ann")
    assert state(room)["private_channels"] == []


def test_a_moved_end_is_kept(room: RoomStore) -> None:
    room.change(ROOM, Room.set_ends_at, "2030-01-08T23:02:00+00:00")
    assert state(room)["ends_at"] == "2030-01-08T23:02:00+00:00"


# A mode switched between another process's look at the room and its change still counts.


def test_a_pass_decided_before_the_holder_turned_listen_only_is_refused(seated: RoomStore) -> None:
    looked = state(seated)
    assert looked["seats"]["ann"]["mode"] == "speak"
    seated.change_now(ROOM, Room.update_seat, "ann", mode="listen_only")
    with pytest.raises(ModeRefuses):
        seated.pass_floor(ROOM, looked["floor"], to="ann")
    assert state(seated)["floor"] is None


def test_a_hand_raised_after_turning_listen_only_is_refused(seated: RoomStore) -> None:
    seated.change_now(ROOM, Room.update_seat, "bo", mode="listen_only")
    with pytest.raises(ModeRefuses):
        seated.change(ROOM, Room.raise_hand, "bo")
    assert state(seated)["hands"] == []


def test_turning_listen_only_lowers_the_hand_and_gives_back_the_floor_in_the_same_change(
    seated: RoomStore,
) -> None:
    seated.change(ROOM, Room.raise_hand, "bo")
    seated.change(ROOM, Room.raise_hand, "cy")
    seated.pass_floor(ROOM, None, to="ann")
    seated.change_now(ROOM, Room.update_seat, "bo", mode="listen_only")
    seated.change_now(ROOM, Room.update_seat, "ann", mode="listen_only")
    snap = state(seated)
    assert snap["hands"] == ["cy"] and snap["floor"] is None
    # The next pass goes to the queue's head, never to the quiet seat.
    assert seated.pass_floor(ROOM, None) == "cy"


def test_a_noted_alert_outlasts_a_lookup_that_found_none(room: RoomStore) -> None:
    assert state(room)["has_alerts"] is None
    # An alert noted while the database was being read: that read's "none" must not hide it.
    room.change(ROOM, Room.note_alert)
    room.change(ROOM, Room.learn_alerts, False)
    assert state(room)["has_alerts"] is True


def test_a_room_learns_once_whether_its_session_has_alerts(room: RoomStore) -> None:
    room.change(ROOM, Room.learn_alerts, False)
    room.change(ROOM, Room.learn_alerts, True)
    assert state(room)["has_alerts"] is False
    room.change(ROOM, Room.note_alert)
    assert state(room)["has_alerts"] is True
