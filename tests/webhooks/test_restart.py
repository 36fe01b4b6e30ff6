"""What is owed when the server stops (a delivery, an e-mail about an endpoint) goes once a new one runs."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import requests
import sqlalchemy as sa

from tests.live_server import live_server
from tests.oncall.smtp import SmtpServer
from tests.webhooks.receiver import Receiver, verify

WORKER_ON = {"HEARTH_WEBHOOK_POLL_SECONDS": "0.2"}


def _wait_for(check: Callable[[], object], seconds: float) -> object:
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.1)
    return found


@pytest.mark.slow
def test_a_pending_delivery_survives_a_server_restart(tmp_path, receiver: Receiver):
    database = f"sqlite:///{tmp_path / 'restart.db'}"
    with live_server(database, **WORKER_ON) as server:
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {server.create_org()['api_key']}"
        endpoint = api.post(
            f"{server.url}/api/v1/webhooks",
            json={"url": receiver.url, "event_types": ["registration.promoted"]},
        ).json()
        group = api.post(
            f"{server.url}/api/v1/groups",
            json={
                "title": "Thursday circle",
                "timezone": "Europe/Dublin",
                "first_start": "2031-01-02T19:00:00",
                "recurrence": {"frequency": "weekly"},
                "capacity": 2,
                "waitlist_enabled": True,
            },
        ).json()
        seats = [
            api.post(f"{server.url}/api/v1/groups/{group['id']}/registrations", json={}).json()
            for _ in range(3)
        ]
        assert [s["status"] for s in seats] == ["active", "active", "waitlisted"]
        # The receiver is down while the promotion's event is first tried.
        assert api.delete(f"{server.url}/api/v1/registrations/{seats[0]['id']}").status_code == 200
        log_url = f"{server.url}/api/v1/webhooks/{endpoint['id']}/deliveries"
        tried = _wait_for(lambda: [d for d in api.get(log_url).json()["items"] if d["attempt_count"]], 10)
        assert tried[0]["status"] == "pending" and receiver.received == []

    receiver.start()
    with live_server(database, migrate=False, **WORKER_ON) as server:
        [arrived] = _wait_for(lambda: receiver.received, 20)
        assert verify(endpoint["secret"], arrived)
        body = json.loads(arrived.body)
        assert body["type"] == "registration.promoted"
        assert body["data"]["registration_id"] == seats[2]["id"]
        delivery = api.get(
            f"{server.url}/api/v1/webhooks/{endpoint['id']}/deliveries/{tried[0]['id']}"
        ).json()
        assert delivery["status"] == "delivered"
        # The first server may try again while it stops gracefully: refused until the receiver ran.
        errors = [a["error"] for a in delivery["attempts"]]
        assert errors[-1] is None and set(errors[:-1]) == {"connection_refused"}


def _notices(database: str) -> list[tuple[str, str, int, str | None]]:
    engine = sa.create_engine(database)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT kind, status, tries, try_error FROM endpoint_notices"))
            return [tuple(row) for row in rows]
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_down_notice_the_smtp_server_could_not_take_is_sent_once_after_a_server_restart(tmp_path):
    database = f"sqlite:///{tmp_path / 'notices.db'}"
    smtp = SmtpServer()  # its port refuses connections until it is started
    loop_on = {"HEARTH_ON_CALL_POLL_SECONDS": "0.2", **{k: str(v) for k, v in smtp.config.items()}}
    with live_server(database, **loop_on) as server:
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {server.create_org()['api_key']}"
        endpoint = api.post(
            f"{server.url}/api/v1/webhooks",
            json={"url": "http://127.0.0.1:9/hooks", "event_types": ["registration.promoted"]},
        ).json()
        steps = [{"kind": "email", "email": "duty@example.org", "ack_seconds": 300}]
        assert api.put(f"{server.url}/api/v1/on-call-policy", json={"steps": steps}).status_code == 200
        # As if every attempt had failed for an hour.
        engine = sa.create_engine(database)
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "UPDATE webhook_endpoints SET consecutive_failures = 3, failing_since = :since, "
                    "last_error = 'connection_refused'"
                ).bindparams(sa.bindparam("since", type_=sa.DateTime)),
                {"since": datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1)},
            )
        engine.dispose()
        [tried] = _wait_for(lambda: [n for n in _notices(database) if n[3]], 10)
        assert tried[:2] == ("down", "pending") and tried[3] == "connection_refused"

    smtp.start()
    try:
        with live_server(database, migrate=False, **loop_on) as server:
            [mail] = _wait_for(lambda: smtp.mailbox.messages, 20)
            assert mail["To"] == "duty@example.org" and "are failing" in mail["Subject"]
            health = api.get(f"{server.url}/api/v1/webhooks/{endpoint['id']}").json()["health"]
            assert health["status"] == "down" and health["organization_told_at"]
            time.sleep(2)  # passes enough to send it again, were it not recorded as sent
            assert len(smtp.mailbox.messages) == 1
            assert [n[:2] for n in _notices(database)] == [("down", "sent")]
    finally:
        smtp.stop()
