"""WebRTC between the seats of an open room: which signals may pass, and how media travels."""

from __future__ import annotations

import uuid
from typing import Any

from service.domain.errors import Invalid
from service.domain.lookup import get_session
from service.domain.modes import mode
from service.domain.relay import relays_media
from service.extensions import db
from service.live import notify
from service.live.access import Member
from service.live.errors import MediaNotAllowed
from service.live.guards import require_in_room
from service.live.runtime import IceSettings
from service.models import Organization
from service.rooms.errors import NoSuchSeat, NotInRoom
from service.rooms.ice import ice_servers
from service.rooms.sdp import sent_media
from service.rooms.store import RoomStore


def signal(store: RoomStore, member: Member, to: str, kind: str, data: dict[str, Any]) -> None:
    """Relay a WebRTC signal between two seats of the open room, carrying only media the sender may send.

    The floor and mutes are kept by the receivers, which follow `may_publish_audio` and
    `may_publish_video` in the room state.
    """
    room = require_in_room(store, member)
    if to == member.seat_id:
        raise Invalid("A signal goes to someone else.", fields={"to": ["Not your own seat."]})
    target = room["seats"].get(to)
    if target is None or target["where"] != "room" or not target["connected"]:
        raise NotInRoom("That seat is not in the room.")
    if kind in ("offer", "answer"):
        _check_media(data, room["seats"][member.seat_id]["mode"])
    notify.send(member.session_id, [to], "rtc:signal", {"from": member.seat_id, "kind": kind, "data": data})
    notify.commit()


def _check_media(description: dict, mode_name: str) -> None:
    sdp = description.get("sdp")
    if not isinstance(sdp, str):
        raise Invalid("An offer or answer carries its SDP text.", fields={"data.sdp": ["Required."]})
    try:
        sent = sent_media(sdp)
    except ValueError as exc:
        raise Invalid("This is not a session description.", fields={"data.sdp": [str(exc)]}) from exc
    refused = sent - mode(mode_name).sends
    if refused:
        raise MediaNotAllowed(
            f"Taking part as {mode_name.replace('_', ' ')} does not send {' or '.join(sorted(refused))}."
        )


# A relayed connection may last this long past the session's end before its credential lapses.
CREDENTIAL_GRACE_SECONDS = 15 * 60
# The longest a TURN credential ever lives: it cannot be revoked.
CREDENTIAL_MAX_SECONDS = 24 * 60 * 60


def credential_seconds(ttl_seconds: int, ends_at: float, now: float) -> int:
    """How long a TURN credential issued `now` lives: at least `ttl_seconds`, and to the session's end.

    coturn checks the credential again each time a browser refreshes its allocation, so one that
    lapsed mid-session would cut a relayed circle off; never longer than a day.
    """
    until_the_end = int(ends_at - now) + CREDENTIAL_GRACE_SECONDS
    return min(CREDENTIAL_MAX_SECONDS, max(ttl_seconds, until_the_end))


def rtc_config(store: RoomStore, member: Member, ice: IceSettings, now: float) -> dict[str, Any]:
    """A seated member's RTCPeerConnection settings: ICE servers, and whether only TURN may carry media.

    `relay` is "on" (TURN alone), "off" (direct where possible) or "unavailable": the group
    relays media but the deployment has no TURN server, so no media may flow at all.
    """
    room = store.snapshot(member.session_id)
    if room is None or member.seat_id not in room["seats"]:
        raise NoSuchSeat("Agree to the group's agreement first.")
    group = get_session(member.organization_id, uuid.UUID(member.session_id)).group
    relay = relays_media(
        group, db.session.get_one(Organization, member.organization_id), ice.relay_by_default
    )
    # TURN credentials are issued under the seat id, never a person's name.
    servers = ice_servers(
        () if relay else ice.stun_urls,
        ice.turn_urls,
        ice.turn_secret,
        credential_seconds(ice.ttl_seconds, member.ends_at.timestamp(), now),
        member.seat_id,
        now,
    )
    if not relay:
        return {"ice_servers": servers, "ice_transport_policy": "all", "relay": "off"}
    return {
        "ice_servers": servers,
        "ice_transport_policy": "relay",
        "relay": "on" if ice.turn_configured else "unavailable",
    }
