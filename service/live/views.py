"""What each seat is shown of the room: never registration ids, references or emails."""

from __future__ import annotations

from typing import Any

from service.domain.modes import capabilities, mode, reachable_from
from service.live.access import Member


def breathing(room: dict[str, Any], now: float) -> dict[str, Any] | None:
    """The breathing pause under way at `now` (Unix seconds), or None once it is over."""
    started, seconds = room["breathing_started_at"], room["breathing_seconds"]
    if started is None or now >= started + seconds:
        return None
    return {"started_at": started, "seconds": seconds}


def _may_publish(room: dict[str, Any], seat_id: str, seat: dict[str, Any], now: float) -> tuple[bool, bool]:
    """Whether a seat may send audio and video right now."""
    if seat["where"] != "room" or room["phase"] != "open" or seat_id in room["muted"]:
        return False, False
    sends = mode(seat["mode"]).sends
    # While someone holds the talking piece or has their turn in a round, only they and the
    # facilitators are heard.
    quiet = room["floor"] is not None or room["round_turn"] is not None
    heard = not quiet or seat_id == room["floor"] or seat["role"] == "facilitator"
    # A breathing pause holds every microphone, the facilitators' too; cameras stay as they were.
    audio = heard and "audio" in sends and breathing(room, now) is None
    return audio, heard and "video" in sends


def seat_view(room: dict[str, Any], seat_id: str, seat: dict[str, Any], now: float) -> dict[str, Any]:
    """One seat as anyone who may see it is shown it at `now` (Unix seconds)."""
    audio, video = _may_publish(room, seat_id, seat, now)
    return {
        "seat_id": seat_id,
        "display_name": seat["display_name"],
        "role": seat["role"],
        "mode": seat["mode"],
        "where": seat["where"],
        "away": seat["away"],
        "presence": "connected" if seat["connected"] else "reconnecting",
        "hand": room["hands"].index(seat_id) if seat_id in room["hands"] else None,
        "has_floor": room["floor"] == seat_id,
        "muted": seat_id in room["muted"],
        "may_publish_audio": audio,
        "may_publish_video": video,
        **capabilities(seat["mode"]),
    }


def _own_view(
    room: dict[str, Any], seat_id: str, seat: dict[str, Any], context: Member, now: float
) -> dict[str, Any]:
    return {
        **seat_view(room, seat_id, seat, now),
        "may_switch_to": reachable_from(seat["mode"], context.allowed_modes),
    }


def state_for(
    room: dict[str, Any], context: Member, seat_id: str | None, now: float, alerts: list[dict[str, Any]]
) -> dict[str, Any]:
    """The room as `seat_id` (None before agreeing) may see it at `now` (Unix seconds).

    `context` is any member of the session, or the session's context without a seat;
    `alerts` are the session's support alerts, shown to facilitators only.
    """
    seats = room["seats"]
    me = seats.get(seat_id) if seat_id else None
    admitted = me is not None and me["where"] == "room"
    facilitates = me is not None and me["role"] == "facilitator"
    if facilitates:
        visible = list(seats)
    elif admitted:
        # People still waiting are nobody else's business.
        visible = [s for s, seat in seats.items() if seat["where"] == "room"]
    else:
        visible = [s for s, seat in seats.items() if seat["role"] == "facilitator" or s == seat_id]
    sees_room = facilitates or admitted
    state = {
        "session_id": context.session_id,
        "phase": room["phase"],
        "starts_at": context.starts_at.isoformat(),
        "ends_at": room["ends_at"] or context.ends_at.isoformat(),
        "you": _own_view(room, seat_id, me, context, now) if me is not None else None,
        "seats": [seat_view(room, s, seats[s], now) for s in visible],
        "locked": room["locked"],
        "chat_enabled": context.chat_enabled and not room["chat_paused"],
        "allowed_modes": list(context.allowed_modes),
        "hands": list(room["hands"]) if sees_room else [],
        "floor": (
            {
                "seat_id": room["floor"],
                "response": room["response"],
                "share_seconds": room["share_seconds"],
                "share_started_at": room["share_started_at"],
            }
            if sees_room and room["floor"] is not None
            else None
        ),
        "floor_mode": room["floor_mode"],
        "queue_order": room["queue_order"],
        "round": _round(room, facilitates) if sees_room else None,
        "norms": list(context.norms),
        "breathing": breathing(room, now),
        "unattended": room["unattended"],
    }
    if facilitates:
        state["alerts"] = alerts
        state["speaking"] = speaking(room, now)
    return state


def _round(room: dict[str, Any], facilitates: bool) -> dict[str, Any] | None:
    """The round going around: its kind, whose turn, who is still to come; who passed, to facilitators."""
    if room["round_kind"] is None or room["phase"] != "open":
        return None
    shown = {"kind": room["round_kind"], "turn": room["round_turn"], "to_come": list(room["round_left"])}
    if facilitates:
        shown["passed"] = list(room["round_passed"])
    return shown


def speaking(room: dict[str, Any], now: float) -> list[dict[str, Any]]:
    """Each participant in the room and their speaking time so far (the share under way included).

    For facilitators only: who has not shared yet is a quiet voice to invite, never a score.
    """
    spoken = dict(room["spoken"])
    if room["floor"] is not None and room["share_started_at"] is not None:
        spoken[room["floor"]] = spoken.get(room["floor"], 0.0) + max(0.0, now - room["share_started_at"])
    return [
        {"seat_id": seat_id, "seconds": round(spoken.get(seat_id, 0.0)), "shared": seat_id in spoken}
        for seat_id, seat in room["seats"].items()
        if seat["role"] == "participant" and seat["where"] == "room"
    ]
