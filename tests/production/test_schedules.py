"""Refreshing schedules twice at once on PostgreSQL (two connections, as two processes would be):
both succeed, and no occurrence is made twice.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from service import create_app
from service.config import Settings
from service.domain import sessions
from service.domain.organizations import create_organization
from service.extensions import db
from service.models import CircleSession
from tests.live_server import hearth_env, run_hearth

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

GROUPS = 12
WEEKS = 13
MORE_WEEKS = 26
EVERY_DAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def count_sessions() -> int:
    return db.session.execute(db.select(db.func.count(CircleSession.id))).scalar_one()


def test_two_refreshes_at_once_extend_every_group_exactly_once(postgres_database):
    env = hearth_env(postgres_database)
    run_hearth(["db", "upgrade"], env)
    app = create_app(Settings.from_environ(), SQLALCHEMY_DATABASE_URI=postgres_database)
    first = (datetime.now(UTC) + timedelta(days=1)).replace(tzinfo=None, second=0, microsecond=0)
    with app.app_context():
        auth = {"Authorization": f"Bearer {create_organization('Riverside Peer Support').secret}"}
        for index in range(GROUPS):
            body = {
                "title": f"Daily circle {index}",
                "timezone": "UTC",
                "first_start": (first + timedelta(minutes=index)).isoformat(),
                "recurrence": {"frequency": "weekly", "weekdays": EVERY_DAY},
            }
            assert app.test_client().post("/api/v1/groups", json=body, headers=auth).status_code == 201
        before = count_sessions()
        db.session.remove()

    # Both start the same work at the same moment, each on its own connection.
    start, now = threading.Barrier(2), datetime.now(UTC)
    extended: list[int] = []
    failures: list[BaseException] = []

    def refresh() -> None:
        with app.app_context():
            start.wait()
            try:
                extended.append(sessions.extend_horizons(now, WEEKS + MORE_WEEKS))
            except BaseException as error:
                failures.append(error)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=refresh) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert failures == []
    # Each group was extended by one of them; the other skipped it or found it done.
    assert sum(extended) == GROUPS

    with app.app_context():
        assert count_sessions() == before + GROUPS * MORE_WEEKS * 7
        db.engine.dispose()
    # The command does the same, and finds nothing left to do.
    longer = {**env, "HEARTH_SCHEDULE_HORIZON_WEEKS": str(WEEKS + MORE_WEEKS)}
    assert "schedule of 0 group(s)" in run_hearth(["refresh-schedules"], longer).stdout
