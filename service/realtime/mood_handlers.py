"""Socket.IO adapters for check-in and check-out: private, so nothing is sent to the room."""

from __future__ import annotations

from service.live import mood
from service.live.access import Member
from service.realtime import schemas
from service.realtime.handlers import event, room_store


@event("mood:check_in", schemas.RatingSchema)
def on_check_in(member: Member, rating: int) -> None:
    """Note how the participant is arriving."""
    mood.check_in(room_store(), member, rating)


@event("mood:check_out", schemas.RatingSchema)
def on_check_out(member: Member, rating: int) -> None:
    """Note how the participant is leaving."""
    mood.check_out(room_store(), member, rating)
