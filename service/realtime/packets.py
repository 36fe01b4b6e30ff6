"""The Socket.IO packet Hearth sends: JSON text only, so never searched for binary parts."""

from __future__ import annotations

from socketio.packet import Packet


class TextPacket(Packet):
    """A Socket.IO packet whose outgoing data is never searched for bytes.

    python-socketio's default packet walks every list and dict of each emit looking for binary
    attachments: for a room's state sent to each of its seats, a few thousand calls a change.
    Hearth sends JSON only (its payloads are shaped by schemas and views, never bytes), so the
    encoding is the default's, byte for byte; bytes given by mistake fail at the encode.
    Incoming packets are decoded as before.
    """

    uses_binary_events = False
