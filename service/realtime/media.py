"""Socket.IO adapters of `service.live.media`: WebRTC signals and ICE servers."""

from __future__ import annotations

import time
from typing import Any

from flask import current_app

from service.live import media
from service.live.access import Member
from service.live.runtime import room_store
from service.realtime import schemas
from service.realtime.adapter import Events
from service.rooms.ice import ice_servers

events = Events()


@events.on("rtc:signal", schemas.SignalSchema)
def on_signal(member: Member, to: str, kind: str, data: dict[str, Any]) -> None:
    """Relay a WebRTC signal to one seat."""
    media.signal(room_store(), member, to, kind, data)


@events.on("rtc:config")
def on_rtc_config(member: Member) -> dict[str, Any]:
    """Hand a seated member the ICE servers, with short-lived TURN credentials."""
    identity = media.ice_identity(room_store(), member)
    config = current_app.config
    servers = ice_servers(
        config["HEARTH_STUN_URLS"],
        config["HEARTH_TURN_URLS"],
        config["HEARTH_TURN_SECRET"],
        config["HEARTH_TURN_TTL_SECONDS"],
        identity,
        time.time(),
    )
    return {"ice_servers": servers}
