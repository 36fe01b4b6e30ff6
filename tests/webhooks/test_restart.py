"""A delivery pending when the server stops arrives once a new server process runs."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
import requests

from tests.live_server import live_server
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
