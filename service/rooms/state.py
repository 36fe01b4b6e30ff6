"""The live state of one room and the primitive changes to it, shared by every store.

Stores load a `Room` from plain dicts, apply one method, and save it back atomically;
a method that raises leaves the stored state untouched because nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.domain.modes import MODE_NAMES as MODES
from service.domain.modes import mode as mode_of
from service.rooms.errors import (
    BadValue,
    FloorChanged,
    ModeRefuses,
    NoSuchSeat,
    NotFloorHolder,
    NotInRoom,
    NotYourTurn,
    RoomLocked,
    RoundUnderWay,
    SeatExists,
    SeatExpired,
)

PHASES = ("lobby", "open", "ended")
ROLES = ("participant", "facilitator")
PLACES = ("lobby", "room")
RESPONSES = ("welcome_responses", "just_listening")
FLOOR_MODES = ("facilitated", "round_robin")
# Who is next in the queue: whoever raised a hand first, or whoever has spoken least this session.
QUEUE_ORDERS = ("raised", "least_spoken")
ROUND_KINDS = ("check_in", "check_out")
# The room's list fields: a loaded room gets its own copies, so a failed change leaves the stored ones.
_LISTS = ("hands", "muted", "private_channels", "round_left", "round_passed")
# Fields an earlier version stored and this one keeps elsewhere (recent chat: `RoomStore.note_chat`);
# a room stored before an upgrade still carries them for up to a day.
_RETIRED = ("recent_chat",)


def check(value: Any, allowed: tuple[str, ...], what: str) -> None:
    """Refuse a value outside its fixed set."""
    if value not in allowed:
        raise BadValue(f"{what} must be one of {', '.join(allowed)}")


@dataclass
class Seat:
    """One person's place in the room; it outlives a dropped connection."""

    display_name: str
    role: str
    mode: str
    where: str = "lobby"
    away: bool = False
    connected: bool = True
    reconnect_deadline: float | None = None
    # Whether `rtc:config` told this seat's latest connection to relay its media; None until it asked.
    relayed: bool | None = None


@dataclass
class Room:
    """Everything a live session shares between server processes."""

    id: str
    phase: str = "lobby"
    locked: bool = False
    seats: dict[str, Seat] = field(default_factory=dict)
    hands: list[str] = field(default_factory=list)
    floor: str | None = None
    response: str | None = None
    floor_mode: str = "facilitated"
    share_seconds: int | None = None
    share_started_at: float | None = None
    chat_paused: bool = False
    muted: list[str] = field(default_factory=list)
    breathing_started_at: float | None = None
    breathing_seconds: int | None = None
    # The session's end when a facilitator moved it (ISO 8601), else None: the scheduled end.
    ends_at: str | None = None
    # [facilitator seat id, participant seat id] pairs that may write to each other privately.
    private_channels: list[list[str]] = field(default_factory=list)
    queue_order: str = "raised"
    # Seconds each seat has held the floor in earlier shares: the facilitator's quiet-voices view.
    spoken: dict[str, float] = field(default_factory=dict)
    # A round: its kind, whose turn it is, who is still to come (seat order) and who passed.
    round_kind: str | None = None
    round_turn: str | None = None
    round_left: list[str] = field(default_factory=list)
    round_passed: list[str] = field(default_factory=list)
    # Nobody opened the room in time: the people waiting are told so until a facilitator opens it.
    unattended: bool = False
    # Whether the session has support alerts: None until the server looked in the database. Set
    # before an alert's commit, so the facilitators' view reads alerts only in rooms that have any.
    has_alerts: bool | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Room:
        """Rebuild a room from its `to_dict` form, sharing nothing that a change mutates with `data`."""
        seats = {seat_id: Seat(**seat) for seat_id, seat in data["seats"].items()}
        # Changes append to and remove from these lists, never alter their items in place.
        lists = {name: list(data.get(name, ())) for name in _LISTS}
        fields = {name: value for name, value in data.items() if name not in _RETIRED}
        return cls(**{**fields, "seats": seats, **lists, "spoken": dict(data.get("spoken", {}))})

    def to_dict(self) -> dict[str, Any]:
        """The whole state as plain JSON-ready dicts and lists, sharing no list with the room."""
        # Written out rather than dataclasses.asdict, whose deep copies ran on every chat message.
        data = dict(vars(self))
        data["seats"] = {seat_id: dict(vars(seat)) for seat_id, seat in self.seats.items()}
        for name in _LISTS:
            data[name] = list(data[name])
        data["spoken"] = dict(self.spoken)
        return data

    def seat(self, seat_id: str) -> Seat:
        """The seat, or NoSuchSeat."""
        try:
            return self.seats[seat_id]
        except KeyError:
            raise NoSuchSeat(f"no seat {seat_id!r} in this room") from None

    def seated(self, seat_id: str) -> Seat:
        """The seat, refused while it waits in the lobby."""
        seat = self.seat(seat_id)
        if seat.where != "room":
            raise NotInRoom("this seat has not been admitted yet")
        return seat

    # Room settings.

    def set_phase(self, phase: str) -> None:
        """Move the room to lobby, open or ended."""
        check(phase, PHASES, "phase")
        self.phase = phase
        if phase != "lobby":
            self.unattended = False
        if phase == "ended":
            # Who spoke for how long is for the session's facilitators while it lasts, never after.
            self.spoken = {}
            self.round_kind = self.round_turn = None
            self.round_left, self.round_passed = [], []

    def set_unattended(self) -> None:
        """Nobody has opened the room in time; the flag lasts while the room waits in the lobby."""
        if self.phase == "lobby":
            self.unattended = True

    def note_alert(self) -> None:
        """The session has a support alert (from now on, its facilitators' view reads them)."""
        self.has_alerts = True

    def learn_alerts(self, found: bool) -> None:
        """What the database said about the session's alerts, unless an alert was noted meanwhile."""
        if self.has_alerts is None:
            self.has_alerts = found

    def set_locked(self, locked: bool) -> None:
        """Lock or unlock admission."""
        self.locked = locked

    def set_floor_mode(self, floor_mode: str) -> None:
        """Choose facilitated or round-robin passing."""
        check(floor_mode, FLOOR_MODES, "floor_mode")
        self.floor_mode = floor_mode

    def set_share_timer(self, seconds: int | None) -> None:
        """Set the gentle per-share timer, or None for no timer."""
        if seconds is not None and seconds <= 0:
            raise BadValue("share timer must be a positive number of seconds")
        self.share_seconds = seconds

    def set_chat_paused(self, paused: bool) -> None:
        """Pause or resume the chat."""
        self.chat_paused = paused

    def set_muted(self, seat_id: str, muted: bool) -> None:
        """Mute or unmute one seat."""
        self.seat(seat_id)
        if muted and seat_id not in self.muted:
            self.muted.append(seat_id)
        elif not muted and seat_id in self.muted:
            self.muted.remove(seat_id)

    def set_participants_muted(self, muted: bool) -> list[str]:
        """Mute or unmute every participant's seat (facilitators stay as they are); those seats."""
        participants = [seat_id for seat_id, seat in self.seats.items() if seat.role == "participant"]
        for seat_id in participants:
            self.set_muted(seat_id, muted)
        return participants

    def start_breathing(self, now: float, seconds: int) -> None:
        """Begin a breathing pause of `seconds`, replacing any under way."""
        if seconds <= 0:
            raise BadValue("a breathing pause lasts a positive number of seconds")
        self.breathing_started_at, self.breathing_seconds = now, seconds

    def stop_breathing(self) -> None:
        """End the breathing pause early."""
        self.breathing_started_at = self.breathing_seconds = None

    def set_ends_at(self, ends_at: str) -> None:
        """Note the session's moved end (ISO 8601)."""
        self.ends_at = ends_at

    def open_channel(self, facilitator_seat_id: str, participant_seat_id: str) -> bool:
        """Let a facilitator and a participant write to each other privately; False if already open."""
        if self.seat(facilitator_seat_id).role != "facilitator":
            raise BadValue("a private channel is opened by a facilitator")
        if self.seat(participant_seat_id).role != "participant":
            raise BadValue("a private channel is opened with a participant")
        pair = [facilitator_seat_id, participant_seat_id]
        if pair in self.private_channels:
            return False
        self.private_channels.append(pair)
        return True

    # Seats.

    def add_seat(self, seat_id: str, display_name: str, role: str, mode: str, where: str = "lobby") -> None:
        """Give a new person a seat."""
        if seat_id in self.seats:
            raise SeatExists(f"seat {seat_id!r} is already taken")
        check(role, ROLES, "role")
        check(mode, MODES, "mode")
        check(where, PLACES, "where")
        self.seats[seat_id] = Seat(display_name=display_name, role=role, mode=mode, where=where)

    def update_seat(
        self,
        seat_id: str,
        display_name: str | None = None,
        role: str | None = None,
        mode: str | None = None,
        *,
        now: float,
    ) -> None:
        """Change a seat's name, role or mode; None leaves a field as it is."""
        seat = self.seat(seat_id)
        if role is not None:
            check(role, ROLES, "role")
        if mode is not None:
            check(mode, MODES, "mode")
        seat.display_name = display_name if display_name is not None else seat.display_name
        seat.role = role if role is not None else seat.role
        seat.mode = mode if mode is not None else seat.mode
        # In the same change, so that no pass or raise decided a moment earlier can slip between.
        if not mode_of(seat.mode).may_raise_hand and seat_id in self.hands:
            self.hands.remove(seat_id)
        if not mode_of(seat.mode).may_hold_floor and self.floor == seat_id:
            self.release_floor(seat_id, now)

    def remove_seat(self, seat_id: str, now: float) -> None:
        """Take a seat away together with its hand, floor and private channels.

        A mute stays: leaving and agreeing again must not be a way around it.
        """
        self.seat(seat_id)
        del self.seats[seat_id]
        if seat_id in self.hands:
            self.hands.remove(seat_id)
        if seat_id in self.round_left:
            self.round_left.remove(seat_id)
        if self.round_turn == seat_id:
            self._next_turn(now)
        elif self.floor == seat_id:
            self.clear_floor(now)
        self.spoken.pop(seat_id, None)
        self.private_channels = [pair for pair in self.private_channels if seat_id not in pair]

    def admit(self, seat_id: str) -> bool:
        """Move one seat from the lobby into the room; False if it was already in."""
        seat = self.seat(seat_id)
        if seat.where == "room":
            return False
        if self.locked:
            raise RoomLocked("the room is locked")
        seat.where = "room"
        return True

    def admit_all(self) -> list[str]:
        """Move everyone waiting in the lobby into the room, in arrival order."""
        waiting = [seat_id for seat_id, seat in self.seats.items() if seat.where == "lobby"]
        if waiting and self.locked:
            raise RoomLocked("the room is locked")
        for seat_id in waiting:
            self.seats[seat_id].where = "room"
        return waiting

    # The talking piece.

    def raise_hand(self, seat_id: str) -> int:
        """Join the end of the queue once; the seat's 0-based position."""
        self._refuse_unless_mode_may(seat_id, "may_raise_hand", "raise a hand")
        self.seated(seat_id)
        if seat_id not in self.hands:
            self.hands.append(seat_id)
            self._order_queue()
        return self.hands.index(seat_id)

    def lower_hand(self, seat_id: str) -> bool:
        """Leave the queue; False if the hand was not raised."""
        self.seat(seat_id)
        if seat_id not in self.hands:
            return False
        self.hands.remove(seat_id)
        return True

    def lower_all_hands(self) -> list[str]:
        """Empty the queue; the seats whose hands were raised."""
        lowered, self.hands = self.hands, []
        return lowered

    def pass_floor(self, expected: str | None, to: str | None, now: float) -> str | None:
        """Give the floor to `to`, or to the head of the queue, if it is still held by `expected`."""
        if to is not None:
            self._refuse_unless_mode_may(to, "may_hold_floor", "take the floor")
        if self.floor != expected:
            raise FloorChanged("someone else has already passed the floor")
        if self.round_kind is not None:
            raise RoundUnderWay("a round is going around: skip a turn or stop the round instead")
        if to is None and not self.hands:
            self.clear_floor(now)
            return None
        holder = to if to is not None else self.hands[0]
        self._refuse_unless_mode_may(holder, "may_hold_floor", "take the floor")
        self.seated(holder)
        self.clear_floor(now)
        if holder in self.hands:
            self.hands.remove(holder)
        self._give_floor(holder, now)
        return holder

    def _refuse_unless_mode_may(self, seat_id: str, capability: str, what: str) -> None:
        """Checked inside each change: a mode switched a moment before a pass or a raise still counts."""
        seat = self.seat(seat_id)
        if not getattr(mode_of(seat.mode), capability):
            raise ModeRefuses(f"Taking part as {seat.mode.replace('_', ' ')} does not {what}.")

    def release_floor(self, seat_id: str, now: float) -> None:
        """The holder passes: the floor is free again, or goes on around a round."""
        if self.floor != seat_id:
            raise NotFloorHolder("only the person with the floor can pass it back")
        if self.round_turn == seat_id:
            self._next_turn(now)
        else:
            self.clear_floor(now)

    def clear_floor(self, now: float) -> None:
        """Nobody holds the floor; the holder's share counts towards their speaking time."""
        if self.floor is not None and self.share_started_at is not None:
            self.spoken[self.floor] = self.spoken.get(self.floor, 0.0) + max(0.0, now - self.share_started_at)
            self._order_queue()
        self.floor = None
        self.response = None
        self.share_started_at = None

    def _give_floor(self, holder: str, now: float) -> None:
        self.floor = holder
        self.response = "welcome_responses"
        self.share_started_at = now

    def set_queue_order(self, order: str) -> None:
        """Order the queue by who raised a hand first, or by who has spoken least."""
        check(order, QUEUE_ORDERS, "queue_order")
        self.queue_order = order
        self._order_queue()

    def _order_queue(self) -> None:
        if self.queue_order == "least_spoken":
            # A stable sort: among equals, whoever raised a hand first stays first.
            self.hands.sort(key=lambda seat_id: self.spoken.get(seat_id, 0.0))

    # Rounds: the floor goes around the circle once, each person sharing or passing.

    def start_round(self, kind: str, now: float) -> str | None:
        """Begin a round with every participant in the room, in seat order; whose turn it is first."""
        check(kind, ROUND_KINDS, "round")
        if self.round_kind is not None:
            raise RoundUnderWay("a round is already going around")
        self.clear_floor(now)
        self.round_kind = kind
        self.round_passed = []
        self.round_left = [
            seat_id
            for seat_id, seat in self.seats.items()
            if seat.role == "participant" and seat.where == "room" and not seat.away
        ]
        return self._next_turn(now)

    def end_turn(self, seat_id: str, shared: bool, now: float) -> str | None:
        """The person whose turn it is has shared (or written a line), or passes; whose turn is next."""
        if self.round_kind is None or self.round_turn != seat_id:
            raise NotYourTurn("it is not this seat's turn in a round")
        if not shared:
            self.round_passed.append(seat_id)
            # A pass is not a share: the moment the floor was held does not count as speaking.
            self.share_started_at = None
        elif self.floor != seat_id:
            # A listener's written line is their share.
            self.spoken.setdefault(seat_id, 0.0)
        return self._next_turn(now)

    def stop_round(self, now: float) -> None:
        """End the round before it has gone all the way around."""
        if self.round_kind is None:
            raise NotYourTurn("no round is going around")
        self.round_left = []
        self._next_turn(now)

    def _next_turn(self, now: float) -> str | None:
        """Hand the turn to the next person still in the room, or end the round."""
        self.clear_floor(now)
        while self.round_left:
            seat_id = self.round_left.pop(0)
            seat = self.seats.get(seat_id)
            if seat is None or seat.where != "room" or seat.away:
                continue
            self.round_turn = seat_id
            # A listener's turn is theirs to write a line or pass; only a speaker takes the floor.
            if mode_of(seat.mode).may_hold_floor:
                self._give_floor(seat_id, now)
            return seat_id
        self.round_kind = self.round_turn = None
        self.round_passed = []
        return None

    def set_response(self, seat_id: str, response: str) -> None:
        """The holder says whether they welcome responses or want people just listening."""
        check(response, RESPONSES, "response")
        if self.floor != seat_id:
            raise NotFloorHolder("only the person with the floor can say how to respond")
        self.response = response

    # Presence.

    def set_away(self, seat_id: str, away: bool) -> None:
        """Step away or come back, keeping the seat."""
        self.seat(seat_id).away = away

    def disconnect(self, seat_id: str, deadline: float) -> None:
        """Keep a dropped seat, hand and all, until the deadline."""
        seat = self.seat(seat_id)
        seat.connected = False
        seat.reconnect_deadline = deadline

    def reconnect(self, seat_id: str, now: float) -> Seat:
        """Take the same seat back within the grace period."""
        seat = self.seat(seat_id)
        if not seat.connected and seat.reconnect_deadline is not None and now > seat.reconnect_deadline:
            raise SeatExpired("the seat was not reclaimed in time")
        seat.connected = True
        seat.reconnect_deadline = None
        # A new connection asks for its settings again, and may be told otherwise.
        seat.relayed = None
        return seat

    def set_relayed(self, seat_id: str, relayed: bool) -> None:
        """Remember whether the seat was told to relay its media, so its signals are held to it."""
        self.seat(seat_id).relayed = relayed

    def expire_seats(self, now: float) -> list[str]:
        """Remove every dropped seat whose grace period has passed."""
        expired = [
            seat_id
            for seat_id, seat in self.seats.items()
            if not seat.connected and seat.reconnect_deadline is not None and now > seat.reconnect_deadline
        ]
        for seat_id in expired:
            self.remove_seat(seat_id, now)
        return expired
