"""Socket.IO adapter of `service.live.private`: private messages with a facilitator."""

from __future__ import annotations

from typing import Any

from service.live import private
from service.live.access import Member
from service.live.runtime import room_store
from service.realtime import schemas
from service.realtime.adapter import Events, utc_now

events = Events()


@events.on("private:send", schemas.PrivateSchema)
def on_private(member: Member, to: str, text: str) -> dict[str, Any]:
    """Write privately between a facilitator and one person; delivered to both ends, never stored."""
    return {"id": private.send(room_store(), member, to, text, utc_now())["id"]}
