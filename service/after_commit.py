"""Work that runs only once the database transaction it belongs to has committed.

Events to live rooms are such work: told before the commit, a room could show a change
that a failure then rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from flask_sqlalchemy.session import Session

PENDING = "hearth_after_commit"


class CommittingSession(Session):
    """`db.session`'s class: runs the callbacks registered for a transaction right after it commits."""

    def commit(self) -> None:
        # Nothing begun (a chat line reads and writes no table; adding a row begins one): nothing
        # to commit but what waits for the commit, so no empty transaction is made to commit it.
        if self.in_transaction():
            super().commit()
        pending: dict[Hashable, Callable[[], None]] = self.info.pop(PENDING, {})
        # After the commit, so each callback may read (in a new transaction) what was committed.
        for callback in pending.values():
            callback()

    def rollback(self) -> None:
        self.info.pop(PENDING, None)
        super().rollback()

    def close(self) -> None:
        self.info.pop(PENDING, None)
        super().close()


def on_commit(session: Any, key: Hashable, callback: Callable[[], None]) -> None:
    """Run `callback` after the session's current transaction commits; one callback per `key`.

    A second callback with a key already waiting is dropped: the first one, running after the
    commit, sees everything the transaction did.
    """
    session.info.setdefault(PENDING, {}).setdefault(key, callback)
