"""A relayed room passes on relayed ICE candidates only, so no signal carries a participant's address."""

from __future__ import annotations

import pytest

from service.extensions import db
from service.live.runtime import room_store
from tests.realtime.conftest import add_registration, peek_state, received
from tests.realtime.test_seating_cost import statements

TURN = {"HEARTH_TURN_URLS": ["turn:turn.example.org:3478?transport=udp"], "HEARTH_TURN_SECRET": "shared"}

HOST = "candidate:2657864812 1 udp 2122260223 192.168.1.23 54121 typ host generation 0 ufrag EsAw"
SRFLX = "candidate:842163049 1 udp 1686052607 198.51.100.7 46154 typ srflx raddr 0.0.0.0 rport 0"
PRFLX = "candidate:3 1 udp 1845501695 198.51.100.7 46155 typ prflx raddr 0.0.0.0 rport 0"
MDNS = "candidate:1 1 udp 2122260223 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 54121 typ host"
IPV6 = "candidate:4 1 udp 2122187007 2001:db8::7 9 typ host tcptype active"
RELAY = "candidate:1410478436 1 udp 41885439 203.0.113.9 50000 typ relay raddr 0.0.0.0 rport 0 generation 0"


def candidate(text: str) -> dict:
    """A candidate signal's data, as RTCIceCandidate.toJSON() gives it."""
    return {"candidate": text, "sdpMid": "0", "sdpMLineIndex": 0, "usernameFragment": "EsAw"}


def description(*candidates: str) -> dict:
    """An offer that sends nothing, carrying these candidates as its a=candidate lines."""
    lines = ["v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "m=audio 9 UDP/TLS/RTP/SAVPF 111"]
    lines += ["c=IN IP4 0.0.0.0", "a=mid:0", "a=recvonly", *(f"a={text}" for text in candidates), ""]
    return {"type": "offer", "sdp": "\r\n".join(lines)}


@pytest.fixture
def pair(circle):
    """Sam and Ash in the open room (TURN configured): the host's, Sam's and Ash's clients, Ash's seat."""
    circle.app.config.update(TURN)
    host = circle.host()
    assert host.emit("room:open", callback=True) == {"ok": True}
    sam, _ = circle.admitted("Sam", host)
    ash, ash_seat = circle.admitted("Ash", host)
    return host, sam, ash, ash_seat


def relay(circle, relayed: bool | None) -> None:
    circle.group.relay_media = relayed
    db.session.commit()


def code(client, to: str, kind: str, data: dict) -> str:
    """The code of the signal's acknowledgement: "ok" when it was relayed."""
    ack = client.emit("rtc:signal", {"to": to, "kind": kind, "data": data}, callback=True)
    return "ok" if ack == {"ok": True} else ack["error"]["code"]


@pytest.mark.both_stores
def test_a_relayed_room_refuses_every_candidate_but_a_relayed_one(circle, pair):
    _, sam, ash, ash_seat = pair
    relay(circle, True)
    assert sam.emit("rtc:config", callback=True)["ice_transport_policy"] == "relay"

    for text in (HOST, SRFLX, PRFLX, MDNS, IPV6, "a=" + HOST):
        assert code(sam, ash_seat, "candidate", candidate(text)) == "candidate_not_relayed", text
    assert code(sam, ash_seat, "candidate", candidate(RELAY)) == "ok"
    # End of candidates: an empty candidate, or none at all, carries no address.
    assert code(sam, ash_seat, "candidate", candidate("")) == "ok"
    assert code(sam, ash_seat, "candidate", {"sdpMid": "0"}) == "ok"
    assert code(sam, ash_seat, "candidate", candidate("candidate:1 1 udp 1 192.0.2.1 typ relay")) == "invalid"
    assert code(sam, ash_seat, "candidate", {"candidate": 7}) == "invalid"

    relayed = [signal["data"].get("candidate") for signal in received(ash, "rtc:signal")]
    assert relayed == [RELAY, "", None]


def test_a_relayed_room_refuses_a_description_carrying_an_unrelayed_candidate(circle, pair):
    _, sam, ash, ash_seat = pair
    relay(circle, True)
    sam.emit("rtc:config", callback=True)

    assert code(sam, ash_seat, "offer", description(RELAY, HOST)) == "candidate_not_relayed"
    assert code(sam, ash_seat, "offer", description(MDNS)) == "candidate_not_relayed"
    assert code(sam, ash_seat, "answer", {**description(SRFLX), "type": "answer"}) == "candidate_not_relayed"
    assert code(sam, ash_seat, "offer", description(RELAY[:40])) == "invalid"
    assert code(sam, ash_seat, "offer", description(RELAY)) == "ok"
    assert code(sam, ash_seat, "offer", description()) == "ok"

    assert [signal["data"]["sdp"].count("a=candidate") for signal in received(ash, "rtc:signal")] == [1, 0]


def test_a_room_that_does_not_relay_passes_every_candidate_as_before(circle, pair):
    _, sam, ash, ash_seat = pair
    relay(circle, False)
    assert sam.emit("rtc:config", callback=True)["ice_transport_policy"] == "all"

    for text in (HOST, SRFLX, MDNS, IPV6, RELAY, "not a candidate"):
        assert code(sam, ash_seat, "candidate", candidate(text)) == "ok", text
    assert code(sam, ash_seat, "offer", description(HOST, SRFLX)) == "ok"
    assert len(received(ash, "rtc:signal")) == 7


def test_a_seat_that_never_asked_for_its_settings_is_held_to_the_groups_choice(circle, pair):
    _, sam, _, ash_seat = pair
    relay(circle, True)

    assert code(sam, ash_seat, "candidate", candidate(HOST)) == "candidate_not_relayed"
    # Now remembered in the seat, as `rtc:config` would have.
    relay(circle, False)
    assert code(sam, ash_seat, "candidate", candidate(HOST)) == "candidate_not_relayed"
    assert sam.emit("rtc:config", callback=True)["ice_transport_policy"] == "all"
    assert code(sam, ash_seat, "candidate", candidate(HOST)) == "ok"


def test_a_connection_is_held_to_what_it_was_told_and_a_new_one_to_the_choice_of_now(circle, pair):
    host, _, _, ash_seat = pair
    _, token = add_registration(circle.group)
    kit = circle.join(token)
    kit.emit("room:agree", {"display_name": "Kit", "mode": "speak"}, callback=True)
    assert host.emit("lobby:admit", {"seat_id": peek_state(kit)["you"]["seat_id"]}, callback=True)["ok"]
    relay(circle, False)
    kit.emit("rtc:config", callback=True)
    # The group turned relaying on meanwhile: this connection was told otherwise, and keeps to it.
    relay(circle, True)
    assert code(kit, ash_seat, "candidate", candidate(HOST)) == "ok"

    kit.disconnect()
    back = circle.join(token)

    assert code(back, ash_seat, "candidate", candidate(HOST)) == "candidate_not_relayed"
    assert back.emit("rtc:config", callback=True)["ice_transport_policy"] == "relay"


@pytest.mark.both_stores
def test_a_relayed_seats_candidates_cost_no_database_read(circle, pair):
    _, sam, _, ash_seat = pair
    relay(circle, True)
    sam.emit("rtc:config", callback=True)
    sam_seat = peek_state(sam)["you"]["seat_id"]
    assert room_store().snapshot(str(circle.session.id))["seats"][sam_seat]["relayed"] is True

    with statements() as signalling:
        for _ in range(20):
            assert code(sam, ash_seat, "candidate", candidate(RELAY)) == "ok"
        assert code(sam, ash_seat, "offer", description(RELAY)) == "ok"

    assert signalling["SELECT"] == 0
