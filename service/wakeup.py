"""Waking a background loop as soon as work for it is committed, rather than at its next look."""

from __future__ import annotations

import threading
from typing import Any

from service.after_commit import on_commit

# The loop that follows the on-call policy (service/background.py).
ON_CALL = "on-call"
# One per loop and process; eventlet and gevent patch threading, so waiting on one yields.
_EVENTS: dict[str, threading.Event] = {}
_lock = threading.Lock()


def event(name: str) -> threading.Event:
    """The event the loop `name` waits on between passes."""
    with _lock:
        return _EVENTS.setdefault(name, threading.Event())


def after_commit(session: Any, name: str) -> None:
    """Wake this process's loop `name` once the session's transaction commits (a rollback wakes nobody)."""
    on_commit(session, ("wake", name), event(name).set)
