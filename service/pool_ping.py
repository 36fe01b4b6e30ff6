"""Checking a pooled database connection before use, only when it may have gone stale.

Pinging every checkout (SQLAlchemy's `pool_pre_ping`) costs a round trip for every handler,
three for each person arriving in a room. A connection given back moments ago is as good as
the last statement that used it; one that sat idle may have been closed by the server, a
restart or the network meanwhile, so only that one is pinged.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

# Longer than the gap between handlers under load, far shorter than any idle-connection timeout.
IDLE_PING_SECONDS = 10.0


def ping_when_idle(engine: sa.Engine, idle_seconds: float = IDLE_PING_SECONDS) -> None:
    """Ping a connection on checkout when it was last given back more than `idle_seconds` ago."""

    def fresh(dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    def check(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        if time.monotonic() - record.info.get("returned_at", 0.0) < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            # The pool discards this connection and checks out another (SQLAlchemy's own retry).
            raise sa.exc.DisconnectionError() from exc

    sa.event.listen(engine, "connect", fresh)
    sa.event.listen(engine, "checkin", fresh)
    sa.event.listen(engine, "checkout", check)
