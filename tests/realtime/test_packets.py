"""What Hearth's Socket.IO packets put on the wire: the default encoding, without the binary search."""

from __future__ import annotations

import pytest
from socketio import packet

from service.extensions import socketio
from service.realtime.packets import TextPacket
from tests.realtime.conftest import last_state


def test_the_server_sends_text_packets(app) -> None:
    assert socketio.server.packet_class is TextPacket


def test_a_room_state_is_encoded_as_the_default_packet_encodes_it(circle) -> None:
    host = circle.host()
    assert host.emit("room:open", callback=True) == {"ok": True}
    circle.admitted("Ana", host)
    circle.admitted("Bo", host)
    state = last_state(host)
    assert len(state["seats"]) == 3
    for kind in (packet.EVENT, packet.ACK):
        data = ["room:state", state] if kind == packet.EVENT else [{"ok": True, "state": state}]
        ours = TextPacket(kind, data=data, namespace="/", id=7 if kind == packet.ACK else None)
        default = packet.Packet(kind, data=data, namespace="/", id=7 if kind == packet.ACK else None)
        assert ours.encode() == default.encode()
        assert ours.packet_type == kind


def test_bytes_given_by_mistake_fail_at_the_encode() -> None:
    with pytest.raises(TypeError):
        TextPacket(packet.EVENT, data=["chat:message", {"text": b"\x00"}]).encode()


def test_incoming_packets_decode_as_before() -> None:
    wire = '2["chat:send",{"text":"same here"}]'
    ours, default = TextPacket(encoded_packet=wire), packet.Packet(encoded_packet=wire)
    assert (ours.packet_type, ours.data) == (default.packet_type, default.data)
