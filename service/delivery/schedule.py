"""When a failed delivery is tried again, and when it is given up on."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

# The first retries come quickly (a receiver restarting), then ever further apart.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
)
STEADY_DELAY = timedelta(hours=2)
# Retries go on until at least this long after the schedule started.
RETRY_WINDOW = timedelta(hours=24)
# Each delay is stretched or shrunk by up to this fraction, so receivers coming back
# after an outage are not met by every delivery at the same second.
JITTER = 0.2


def retry_delay(step: int, rand: Callable[[], float] = random.random) -> timedelta:
    """The wait before retry number `step` (0 for the first retry), with jitter."""
    base = RETRY_DELAYS[step] if step < len(RETRY_DELAYS) else STEADY_DELAY
    return base * (1 - JITTER + 2 * JITTER * rand())


def next_attempt(
    started_at: datetime, failed_at: datetime, step: int, rand: Callable[[], float] = random.random
) -> datetime | None:
    """When to try again after the failure at `failed_at`, or None once the window is over."""
    if failed_at - started_at >= RETRY_WINDOW:
        return None
    return failed_at + retry_delay(step, rand)
