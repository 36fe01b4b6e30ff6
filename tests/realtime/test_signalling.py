"""WebRTC signals are relayed only between two seats in the same open room."""

from __future__ import annotations

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
