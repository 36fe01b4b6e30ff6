"""Socket.IO adapters of `service.live.chat`: chat, reactions, deleting and pausing."""

from __future__ import annotations

from typing import Any

from service.live import chat
from service.live.access import Member
from service.live.runtime import room_store
from service.realtime import schemas
from service.realtime.adapter import Events, utc_now

events = Events()


@events.on("chat:send", schemas.ChatSchema)
def on_chat(member: Member, text: str) -> dict[str, Any]:
    """Send a chat message to the room (delivered, never stored)."""
    return {"id": chat.send(room_store(), member, text, utc_now())["id"]}


@events.on("reaction:send", schemas.ReactionSchema)
def on_reaction(member: Member, kind: str) -> None:
    """Send a reaction to the room."""
    chat.react(room_store(), member, kind)


@events.on("chat:delete", schemas.MessageIdSchema)
def on_chat_delete(member: Member, id: str) -> None:
    """Delete a chat message for everyone."""
    chat.delete(room_store(), member, id)


@events.on("chat:pause", schemas.ChatPauseSchema)
def on_chat_pause(member: Member, paused: bool) -> None:
    """Pause or resume the chat."""
    chat.pause(room_store(), member, paused)
