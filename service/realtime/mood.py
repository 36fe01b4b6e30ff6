"""Socket.IO adapters of `service.live.mood`: check-in and check-out, private to the person."""

from __future__ import annotations

from service.live import mood
from service.live.access import Member
from service.live.runtime import room_store
from service.realtime import schemas
from service.realtime.adapter import Events

events = Events()


@events.on("mood:check_in", schemas.RatingSchema)
def on_check_in(member: Member, rating: int) -> None:
    """Note how the participant is arriving."""
    mood.check_in(room_store(), member, rating)


@events.on("mood:check_out", schemas.RatingSchema)
def on_check_out(member: Member, rating: int) -> None:
    """Note how the participant is leaving."""
    mood.check_out(room_store(), member, rating)
