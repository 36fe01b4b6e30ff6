"""Socket.IO adapters of `service.live.media`: WebRTC signals and ICE servers."""

from __future__ import annotations

import time
from typing import Any

from service.live import media
from service.live.access import Member
from service.live.runtime import ice_settings, room_store
from service.realtime import schemas
from service.realtime.adapter import Events

events = Events()


@events.on("rtc:signal", schemas.SignalSchema)
def on_signal(member: Member, to: str, kind: str, data: dict[str, Any]) -> None:
    """Relay a WebRTC signal to one seat."""
    media.signal(room_store(), member, ice_settings(), to, kind, data)


@events.on("rtc:config")
def on_rtc_config(member: Member) -> dict[str, Any]:
    """Hand a seated member the ICE servers, with short-lived TURN credentials, and the relay policy."""
    return media.rtc_config(room_store(), member, ice_settings(), time.time())
