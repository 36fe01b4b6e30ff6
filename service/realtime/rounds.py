"""Socket.IO adapters of `service.live.rounds`: rounds and the order of the queue."""

from __future__ import annotations

from typing import Any

from service.live import rounds
from service.live.access import Member
from service.live.runtime import room_store
from service.realtime import schemas
from service.realtime.adapter import Events

events = Events()


@events.on("round:start", schemas.RoundSchema)
def on_start(member: Member, kind: str) -> dict[str, Any]:
    """Start a check-in or check-out round."""
    return {"turn": rounds.start(room_store(), member, kind)}


@events.on("round:pass")
def on_pass(member: Member) -> dict[str, Any]:
    """Pass one's turn in the round."""
    return {"turn": rounds.pass_turn(room_store(), member)}


@events.on("round:skip")
def on_skip(member: Member) -> dict[str, Any]:
    """Move the round on past whoever's turn it is."""
    return {"turn": rounds.skip(room_store(), member)}


@events.on("round:stop")
def on_stop(member: Member) -> None:
    """End the round early."""
    rounds.stop(room_store(), member)


@events.on("queue:order", schemas.QueueOrderSchema)
def on_queue_order(member: Member, order: str) -> None:
    """Order the queue by raised hands or least spoken first."""
    rounds.set_queue_order(room_store(), member, order)
