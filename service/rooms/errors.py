"""Refusals from the live room store, as domain errors so adapters translate them as usual."""

from __future__ import annotations

from service.domain.errors import Conflict, Forbidden, Invalid, NotFound


class NoSuchRoom(NotFound):
    """No live state exists for this session."""

    code = "no_such_room"


class NoSuchSeat(NotFound):
    """The room has no seat with this id."""

    code = "no_such_seat"


class SeatExists(Conflict):
    """A seat with this id is already in the room."""

    code = "seat_exists"


class RoomLocked(Conflict):
    """The room is locked: nobody new is admitted."""

    code = "room_locked"


class NotInRoom(Conflict):
    """The seat is still in the lobby."""

    code = "not_in_room"


class FloorChanged(Conflict):
    """The floor is no longer held by whom the caller expected."""

    code = "floor_changed"


class NotFloorHolder(Conflict):
    """Only the person with the floor may do this."""

    code = "not_floor_holder"


class RoundUnderWay(Conflict):
    """A round is going around: the floor follows it."""

    code = "round_under_way"


class NotYourTurn(Conflict):
    """It is not this seat's turn in a round, or no round is going around."""

    code = "not_your_turn"


class SeatExpired(Conflict):
    """The reconnect grace period has passed."""

    code = "seat_expired"


class BadValue(Invalid):
    """A value outside its fixed set."""

    code = "bad_value"


class NoSuchMessage(NotFound):
    """No recent chat message of this room has this id."""

    code = "no_such_message"


class ModeRefuses(Forbidden):
    """The seat's way of taking part does not allow this (a listen-only seat raising a hand)."""

    code = "forbidden"
