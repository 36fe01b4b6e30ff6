"""WebRTC signals are relayed only between two seats in the same open room."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import timedelta

from tests.realtime.conftest import add_registration, add_session, received

OFFER = {"type": "offer", "sdp": "v=0\r\n"}


def test_a_signal_reaches_only_its_recipient(circle):
    host = circle.host()
    host.emit("room:open", callback=True)
    sam, sam_seat = circle.admitted("Sam", host)
    ash, ash_seat = circle.admitted("Ash", host)
    ack = sam.emit("rtc:signal", {"to": ash_seat, "kind": "offer", "data": OFFER}, callback=True)
    assert ack == {"ok": True}
    assert received(ash, "rtc:signal") == [{"from": sam_seat, "kind": "offer", "data": OFFER}]
    assert received(host, "rtc:signal") == []
    answer = {"type": "answer", "sdp": "v=0\r\n"}
    assert ash.emit("rtc:signal", {"to": sam_seat, "kind": "answer", "data": answer}, callback=True)["ok"]
    assert received(sam, "rtc:signal") == [{"from": ash_seat, "kind": "answer", "data": answer}]


def test_no_signal_to_or_from_the_lobby_another_room_or_oneself(circle):
    host = circle.host()
    host.emit("room:open", callback=True)
    sam, sam_seat = circle.admitted("Sam", host)
    waiting, waiting_seat = circle.participant("Ash")
    candidate = {"candidate": "candidate:1 1 udp 1 192.0.2.1 5000 typ host"}

    def code(client, to):
        ack = client.emit("rtc:signal", {"to": to, "kind": "candidate", "data": candidate}, callback=True)
        return ack["error"]["code"]

    assert code(sam, waiting_seat) == "not_in_room"
    assert code(waiting, sam_seat) == "forbidden"
    assert code(sam, sam_seat) == "invalid"

    other = add_session(circle.group, timedelta(minutes=6))
    _, token = add_registration(circle.group, other)
    stranger = circle.join(token)
    stranger.emit("room:agree", {"display_name": "Kit", "mode": "speak"}, callback=True)
    assert code(stranger, sam_seat) == "room_not_open"
    assert received(sam, "rtc:signal") == []


def test_an_oversized_signal_is_refused(circle):
    host = circle.host()
    host.emit("room:open", callback=True)
    sam, _ = circle.admitted("Sam", host)
    host_seat = host.get_received()[-1]["args"][0]["you"]["seat_id"]
    big = {"type": "offer", "sdp": "a" * 40_000}
    ack = sam.emit("rtc:signal", {"to": host_seat, "kind": "offer", "data": big}, callback=True)
    assert ack["error"]["code"] == "invalid"
    assert received(host, "rtc:signal") == []


def _description(kind: str, audio: str, video: str) -> dict:
    """A browser-like session description with one audio and one video section."""
    sdp = "\r\n".join(
        [
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0 1",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 0.0.0.0",
            "a=mid:0",
            f"a={audio}",
            "a=rtpmap:111 opus/48000/2",
            "m=video 9 UDP/TLS/RTP/SAVPF 96",
            "c=IN IP4 0.0.0.0",
            "a=mid:1",
            f"a={video}",
            "a=rtpmap:96 VP8/90000",
            "",
        ]
    )
    return {"type": kind, "sdp": sdp}


def test_a_description_may_only_send_what_the_way_of_taking_part_sends(circle):
    host = circle.host()
    host.emit("room:open", callback=True)
    speaker, speaker_seat = circle.admitted("Sam", host)
    quiet, _ = circle.admitted("Ash", host, mode="camera_off")
    listener, _ = circle.admitted("Kit", host, mode="listen_only")

    def ack(client, description):
        payload = {"to": speaker_seat, "kind": description["type"], "data": description}
        return client.emit("rtc:signal", payload, callback=True)

    assert ack(listener, _description("offer", "recvonly", "recvonly")) == {"ok": True}
    refused = ack(listener, _description("offer", "sendrecv", "recvonly"))
    assert refused["ok"] is False and refused["error"]["code"] == "media_not_allowed"
    assert ack(listener, _description("answer", "recvonly", "sendonly"))["error"]["code"] == (
        "media_not_allowed"
    )
    assert ack(quiet, _description("offer", "sendrecv", "recvonly")) == {"ok": True}
    assert ack(quiet, _description("offer", "sendrecv", "sendrecv"))["error"]["code"] == "media_not_allowed"
    not_sdp = {"type": "offer", "sdp": "hello"}
    assert ack(quiet, not_sdp)["error"]["code"] == "invalid"
    kinds = [s["data"]["sdp"].count("a=sendrecv") for s in received(speaker, "rtc:signal")]
    assert kinds == [0, 1], "only the two allowed descriptions were relayed"


def test_ice_servers_with_short_lived_turn_credentials_only_after_agreeing(circle):
    circle.app.config.update(
        HEARTH_STUN_URLS=["stun:turn.example.org:3478"],
        HEARTH_TURN_URLS=["turn:turn.example.org:3478?transport=udp"],
        HEARTH_TURN_SECRET="coturn-shared-secret",
        HEARTH_TURN_TTL_SECONDS=600,
    )
    _, token = add_registration(circle.group)
    newcomer = circle.join(token)
    early = newcomer.emit("rtc:config", callback=True)
    assert early["ok"] is False and early["error"]["code"] == "no_such_seat"
    newcomer.emit("room:agree", {"display_name": "Sam", "mode": "listen_only"}, callback=True)
    seat_id = newcomer.get_received()[-1]["args"][0]["you"]["seat_id"]
    config = newcomer.emit("rtc:config", callback=True)
    assert config["ok"] is True
    stun, turn = config["ice_servers"]
    assert stun == {"urls": ["stun:turn.example.org:3478"]}
    expiry, identity = turn["username"].split(":", 1)
    assert identity == seat_id
    # The TTL, or to the session's end and a little after when that is later; never past a day.
    lasts = max(600, circle.session.ends_at.timestamp() - time.time() + 15 * 60)
    assert 0 < int(expiry) - time.time() <= min(lasts + 1, 86400)
    expected = base64.b64encode(
        hmac.new(b"coturn-shared-secret", turn["username"].encode(), hashlib.sha1).digest()
    ).decode()
    assert turn["credential"] == expected
