"""What live rooms must be told of a change, recorded by the action and sent after its commit.

Actions call these functions; nothing is sent until the transaction commits (a rollback
forgets it). The socket layer implements `Notifier` and installs it on the app.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import count
from typing import Any, Protocol

from flask import Flask, current_app

from service.after_commit import on_commit
from service.extensions import db
from service.live.access import Member

_EXTENSION = "hearth_notifier"
_sequence = count()


class Notifier(Protocol):
    """How the live rooms are told; `service.realtime` sends these over Socket.IO."""

    def room_changed(self, context: Member, facilitators_only: bool) -> None:
        """Send everyone of the session (or only its facilitators) the room as they may see it."""

    def send(self, session_id: str, seat_ids: Iterable[str] | None, event: str, payload: dict) -> None:
        """Send one event to these seats, or with None to every connection of the session."""

    def seat_removed(self, session_id: str, seat_id: str, reason: str) -> None:
        """Tell a seat's connections they were taken out (`reason`), and drop them."""

    def seat_joined(self, member: Member) -> None:
        """Send the member's new lobby seat the room as it may see it, and the facilitators that seat."""


class _Nobody:
    """The notifier of an app without live rooms: nothing to tell."""

    def room_changed(self, context: Member, facilitators_only: bool) -> None:
        return None

    def send(self, session_id: str, seat_ids: Iterable[str] | None, event: str, payload: dict) -> None:
        return None

    def seat_removed(self, session_id: str, seat_id: str, reason: str) -> None:
        return None

    def seat_joined(self, member: Member) -> None:
        return None


def install(app: Flask, notifier: Notifier) -> None:
    """Make `notifier` the one the app's actions tell."""
    app.extensions[_EXTENSION] = notifier


def installed() -> Notifier:
    return current_app.extensions.get(_EXTENSION, _Nobody())


def room_changed(context: Member, *, facilitators_only: bool = False) -> None:
    """After the commit, show the session's room again (once, however many changes led to it)."""
    key = ("room", context.session_id, facilitators_only)
    on_commit(db.session, key, lambda: installed().room_changed(context, facilitators_only))


def send(session_id: str, seat_ids: Iterable[str] | None, event: str, payload: dict[str, Any]) -> None:
    """After the commit, send `event` to these seats (None: every connection of the session)."""
    seats = None if seat_ids is None else list(seat_ids)
    on_commit(db.session, next(_sequence), lambda: installed().send(session_id, seats, event, payload))


def seat_removed(session_id: str, seat_id: str, reason: str) -> None:
    """After the commit, take a seat's connections out of the room, telling them why."""
    key = ("removed", session_id, seat_id)
    on_commit(db.session, key, lambda: installed().seat_removed(session_id, seat_id, reason))


def seat_joined(member: Member) -> None:
    """After the commit, tell of a new seat in the lobby only those whose view of the room it changes."""
    key = ("joined", member.session_id, member.seat_id)
    on_commit(db.session, key, lambda: installed().seat_joined(member))


def commit() -> None:
    """Commit the action's changes; what it recorded for the rooms goes out right after."""
    db.session.commit()
