"""Socket.IO adapters of `service.live.moderation`: mutes, norm reminders, breathing pauses."""

from __future__ import annotations

from service.live import moderation
from service.live.access import Member
from service.live.runtime import room_store
from service.realtime import schemas
from service.realtime.adapter import Events

events = Events()


@events.on("seat:mute", schemas.MuteSchema)
def on_mute(member: Member, seat_id: str, muted: bool) -> None:
    """Mute or unmute one seat."""
    moderation.set_muted(room_store(), member, seat_id, muted)


@events.on("seat:mute_all", schemas.MuteAllSchema)
def on_mute_all(member: Member, muted: bool) -> None:
    """Mute or unmute every participant."""
    moderation.mute_all(room_store(), member, muted)


@events.on("norm:remind", schemas.NormRemindSchema)
def on_remind(member: Member, norm: int, seat_id: str | None) -> None:
    """Remind the room, or one person privately, of a norm of the agreement."""
    moderation.remind_norm(room_store(), member, norm, seat_id)


@events.on("breath:start", schemas.BreathSchema)
def on_breath_start(member: Member, seconds: int) -> None:
    """Start a breathing pause: microphones are held until it is over (the room clock ends it)."""
    moderation.start_breathing(room_store(), member, seconds)


@events.on("breath:stop")
def on_breath_stop(member: Member) -> None:
    """End the breathing pause early."""
    moderation.stop_breathing(room_store(), member)
