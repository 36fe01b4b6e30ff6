"""Looking at the room clock once from a test, as each server process does every second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app

from service.live import clock
from service.live.runtime import room_store


def clock_tick(now: datetime | None = None) -> clock.Tick:
    """One tick of the room clock at `now` (default: now)."""
    at = now or datetime.now(UTC)
    config = current_app.config
    after = timedelta(seconds=config["HEARTH_UNATTENDED_SECONDS"])
    return clock.tick(room_store(), at, config["HEARTH_ALERT_TAKE_SECONDS"], after)
