"""The process's background work, started with the process: webhooks, the room clock, on-call, chores.

Each loop runs inside its own application context, survives a failed pass, and is safe
with several processes (claims, row locks and once-flags decide who does what).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy.exc import InterfaceError, OperationalError

from service import wakeup
from service.delivery import health_notices, oncall, worker
from service.domain.retention import purge
from service.domain.sessions import extend_horizons
from service.extensions import db
from service.live import clock
from service.live.runtime import room_store
from service.realtime.session import drop_signed_out

log = logging.getLogger("hearth.background")
_start_lock = threading.Lock()
# Chores need no haste: once an hour in each process is plenty.
CHORE_SECONDS = 3600
# A facilitator who signed out (or was deactivated) loses their open room connections this soon.
SIGN_OUT_SECONDS = 2


def _loop(app: Flask, name: str, interval: float, work: Callable[[], object]) -> None:
    """Run `work` every `interval` seconds, or when woken, in an application context, until the end."""
    wake = wakeup.event(name)
    while True:
        # Cooperative under eventlet and gevent (both patch threading), a plain wait otherwise.
        wake.wait(interval)
        wake.clear()
        with app.app_context():
            try:
                work()
            except (OperationalError, InterfaceError) as error:
                # The database is away (restarting, say): one line a pass, not a trace a second.
                db.session.rollback()
                log.warning("%s waits for the database: %s", name, type(error.orig).__name__)
            except Exception:
                # One failed pass must not stop the next one.
                db.session.rollback()
                log.exception("%s failed", name)
            finally:
                db.session.remove()


def _clock_tick(app: Flask) -> None:
    clock.tick(
        room_store(),
        datetime.now(UTC),
        app.config["HEARTH_ALERT_TAKE_SECONDS"],
        timedelta(seconds=app.config["HEARTH_UNATTENDED_SECONDS"]),
    )


def _chores(app: Flask) -> None:
    extend_horizons(datetime.now(UTC), app.config["HEARTH_SCHEDULE_HORIZON_WEEKS"])


def start(app: Flask) -> list[str]:
    """Start this process's background loops once; the names of those started (interval 0: not started)."""
    socketio = app.extensions["socketio"]
    loops = {
        "room clock": (app.config["HEARTH_ROOM_CLOCK_SECONDS"], lambda: _clock_tick(app)),
        wakeup.ON_CALL: (app.config["HEARTH_ON_CALL_POLL_SECONDS"], oncall.run_pass),
        # Through the on-call policy's e-mail steps: as often as the policy is looked at.
        "endpoint notices": (app.config["HEARTH_ON_CALL_POLL_SECONDS"], health_notices.send_due),
        "chores": (CHORE_SECONDS, lambda: _chores(app)),
        # Its own loop, so that a failing purge never holds up the schedule, nor the other way round.
        "retention purge": (CHORE_SECONDS, lambda: purge(datetime.now(UTC))),
        "signed-out connections": (SIGN_OUT_SECONDS, drop_signed_out),
    }
    started = []
    with _start_lock:
        if worker.start_worker(app):
            started.append("webhook delivery")
        for name, (interval, work) in loops.items():
            key = f"hearth_background:{name}"
            if interval and key not in app.extensions:
                app.extensions[key] = socketio.start_background_task(_loop, app, name, interval, work)
                started.append(name)
    return started
