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
from service.live.errors import CandidateNotRelayed, MediaNotAllowed
from service.live.guards import require_in_room
from service.live.runtime import IceSettings
from service.models import Organization
from service.rooms.candidates import RELAY, candidate_lines, parse_candidate
from service.rooms.errors import NoSuchSeat, NotInRoom
from service.rooms.ice import ice_servers
from service.rooms.sdp import sent_media
from service.rooms.state import Room
from service.rooms.store import RoomStore


def signal(
    store: RoomStore, member: Member, ice: IceSettings, to: str, kind: str, data: dict[str, Any]
) -> None:
    """Relay a WebRTC signal between two seats of the open room, carrying only media the sender may send.

    The floor and mutes are kept by the receivers, which follow `may_publish_audio` and
    `may_publish_video` in the room state. A seat told to relay may signal relayed candidates only.
    """
    room = require_in_room(store, member)
    if to == member.seat_id:
        raise Invalid("A signal goes to someone else.", fields={"to": ["Not your own seat."]})
    target = room["seats"].get(to)
    if target is None or target["where"] != "room" or not target["connected"]:
        raise NotInRoom("That seat is not in the room.")
    seat = room["seats"][member.seat_id]
    if kind in ("offer", "answer"):
        _check_media(data, seat["mode"])
    # What `rtc:config` told the seat is in the snapshot already: no database read per candidate.
    relayed = seat["relayed"] if seat["relayed"] is not None else _remember_relay(store, member, ice)
    if relayed:
        _check_relayed(kind, data)
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


def _check_relayed(kind: str, data: dict[str, Any]) -> None:
    """Refuse a candidate, or a description carrying candidates, that is not relayed through TURN.

    A description is refused whole rather than rewritten without those lines: a browser told to
    relay gathers relayed candidates alone, so only a page that ignores the policy sends others,
    and a refusal tells it so, where an edited description would pass on an offer it never made.
    """
    if kind == "candidate":
        field, text = "data.candidate", data.get("candidate", "")
        if not isinstance(text, str):
            raise Invalid("A candidate is text.", fields={field: ["Not a string."]})
        # An empty candidate says that gathering has ended: it carries no address.
        lines = [text] if text else []
    else:
        field, lines = "data.sdp", candidate_lines(data["sdp"])
    try:
        kinds = {parse_candidate(line).type for line in lines} - {RELAY}
    except ValueError as exc:
        raise Invalid("This signal carries a malformed ICE candidate.", fields={field: [str(exc)]}) from exc
    if kinds:
        raise CandidateNotRelayed(
            f"This circle relays its media: a {' or '.join(sorted(kinds))} candidate would show "
            "your network address, so only relayed candidates may be sent."
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
    relay = _remember_relay(store, member, ice)
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


def _remember_relay(store: RoomStore, member: Member, ice: IceSettings) -> bool:
    """Whether the group relays media now, remembered in the member's seat for its signals to come."""
    group = get_session(member.organization_id, uuid.UUID(member.session_id)).group
    relay = relays_media(
        group, db.session.get_one(Organization, member.organization_id), ice.relay_by_default
    )
    store.change(member.session_id, Room.set_relayed, member.seat_id, relay)
    return relay
