"""Refusals specific to the live room."""

from __future__ import annotations

from service.domain.errors import Conflict, DomainError, Forbidden


class Refused(DomainError):
    """A connection is not let in; `code` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class RateLimited(Conflict):
    """Too many of one action in a short time."""

    code = "rate_limited"


class RoomNotOpen(Conflict):
    """The facilitator has not opened the room yet, or it has ended."""

    code = "room_not_open"


class ChatClosed(Forbidden):
    """The group has no chat, or a facilitator paused it."""

    code = "chat_closed"


class SessionOver(Conflict):
    """The session has ended or was cancelled: its room cannot open again."""

    code = "session_over"


class MediaNotAllowed(Forbidden):
    """A session description would send media the sender's way of taking part does not."""

    code = "media_not_allowed"


class CandidateNotRelayed(Forbidden):
    """A seat told to relay its media signalled an ICE candidate that would reveal a network address."""

    code = "candidate_not_relayed"
