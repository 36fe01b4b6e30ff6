"""What each seat is shown of the room: never registration ids, references or emails."""

from __future__ import annotations

from typing import Any

from service.live.access import Member


def _may_publish(room: dict[str, Any], seat_id: str, seat: dict[str, Any]) -> tuple[bool, bool]:
    """Whether a seat may send audio and video right now."""
    if seat["where"] != "room" or room["phase"] != "open" or seat_id in room["muted"]:
        return False, False
    audio = seat["mode"] != "listen_only"
    # While someone holds the talking piece, only they and the facilitators are heard.
    if room["floor"] is not None and seat_id != room["floor"] and seat["role"] != "facilitator":
        audio = False
    return audio, audio and seat["mode"] == "speak"


def _seat_view(room: dict[str, Any], seat_id: str, seat: dict[str, Any]) -> dict[str, Any]:
    audio, video = _may_publish(room, seat_id, seat)
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
    }


def state_for(
    room: dict[str, Any], context: Member, seat_id: str | None, alerts: list[dict[str, Any]]
) -> dict[str, Any]:
    """The room as `seat_id` (None before agreeing) may see it; `context` is any member of the session.

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
        "ends_at": context.ends_at.isoformat(),
        "you": _seat_view(room, seat_id, me) if me is not None else None,
        "seats": [_seat_view(room, s, seats[s]) for s in visible],
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
    }
    if facilitates:
        state["alerts"] = alerts
    return state
