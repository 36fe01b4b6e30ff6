"""The crisis path against a real server process: on-call routes, e-mail over a real SMTP server.

From "I need support" with no facilitator connected to the first on-call route attempted within
2 seconds; a failing route escalating to the next; the e-mail's link acknowledging once; and an
escalation with no route shown as not delivered, with the emergency number to call.
"""

from __future__ import annotations

import re
import time

import pytest
import requests

from tests.live_server import live_server
from tests.realtime_e2e.helpers import Api, Peer, cookie_header, signed_in

pytestmark = pytest.mark.slow

PASSWORD = "a long enough password"
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/on-call/acknowledge/[\w-]+)")


def wait_until(check, within: float = 15.0, step: float = 0.02):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(step)
    raise AssertionError("not within the time")


def put_policy(server, api: Api, steps: list[dict]) -> dict:
    response = api.http.put(f"{server.url}/api/v1/on-call-policy", json={"steps": steps}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def alone_in_the_lobby(server, api: Api) -> tuple[Peer, dict]:
    """A participant seated in a circle whose facilitator is not connected; the session."""
    robin = api.facilitator("Robin", PASSWORD)
    group, session = api.group_open_now([robin["id"]], region="GB")
    sam = Peer().connect(server.url, {"token": api.join_token(group["id"])})
    assert sam.emit("room:agree", {"display_name": "Sam", "mode": "listen_only"}) == {"ok": True}
    return sam, session


def test_on_call_routes_end_to_end(tmp_path, smtp, receiver):
    database_url = f"sqlite:///{tmp_path / 'oncall.db'}"
    smtp_env = {f"HEARTH_SMTP_{k}": str(v) for k, v in {"HOST": "127.0.0.1", "PORT": smtp.port}.items()}
    with live_server(database_url, HEARTH_SMTP_FROM="hearth@example.org", **smtp_env) as server:
        api = Api(server)
        assert api.get("/on-call-policy")["readiness"]["problem"] == "no_route"
        # The first route answers 500 (twice): the next one, an e-mail, is tried then at once.
        receiver.status = 500
        endpoint = api.post("/webhooks", {"url": receiver.url, "event_types": ["session.started"]})
        steps = [
            {"kind": "webhook", "endpoint_id": endpoint["id"], "ack_seconds": 60},
            {"kind": "email", "email": "on-call@example.org", "ack_seconds": 60},
        ]
        assert put_policy(server, api, steps)["readiness"]["ready"] is True
        sam, session = alone_in_the_lobby(server, api)

        # Nobody facilitating is connected.
        asked = time.monotonic()
        ack = sam.emit("support:request")
        wait_until(lambda: receiver.received)
        first_route = time.monotonic() - asked
        assert first_route <= 2.0, first_route
        assert (ack["reached"], ack["emergency_number"]) == ("on_call", "999")

        mail = wait_until(lambda: smtp.mailbox.messages)[0]
        [incident] = api.get(f"/incidents?session_id={session['id']}")["items"]
        told = wait_until(
            lambda: (
                (n := api.get(f"/incidents/{incident['id']}")["notification"])["status"] == "delivered" and n
            )
        )
        # The failed route was tried once more, 5 seconds later, before the next step.
        assert [(a["step"], a["kind"], a["status"]) for a in told["attempts"]] == [
            (1, "webhook", "failed"),
            (1, "webhook", "failed"),
            (2, "email", "delivered"),
        ]

        link = LINK.search(mail.get_content()).group(1)
        assert requests.get(link, timeout=10).status_code == 200
        assert api.get(f"/incidents/{incident['id']}")["status"] == "open"
        assert requests.post(link, timeout=10).status_code == 200
        read = api.get(f"/incidents/{incident['id']}")
        assert read["status"] == "acknowledged"
        assert read["notification"]["acknowledged_by"]["via"] == "email"
        assert requests.post(link, timeout=10).status_code == 404
        sam.close()

        # Another organization, with no route: the facilitator escalates and is told the truth.
        other = Api(server)
        kim = other.facilitator("Kim", PASSWORD)
        group, session = other.group_open_now([kim["id"]], region="US")
        http = signed_in(server, kim["email"], PASSWORD)
        host = Peer().connect(server.url, {"session_id": session["id"]}, {"Cookie": cookie_header(http)})
        assert host.emit("room:open") == {"ok": True}
        console = http.get(f"{server.url}/facilitator/sessions/{session['id']}", timeout=10).text
        assert 'id="on-call-readiness"' in console and "(911)" in console
        ash = Peer().connect(server.url, {"token": other.join_token(group["id"])})
        assert ash.emit("room:agree", {"display_name": "Ash", "mode": "speak"}) == {"ok": True}
        seat = ash.state(lambda s: s["you"] is not None)["you"]["seat_id"]
        assert ash.emit("support:request")["reached"] == "facilitator"
        escalated = host.emit(
            "incident:escalate", {"seat_id": seat, "severity": "critical", "observed": "A plan."}
        )
        assert escalated["notification"]["status"] == "no_route"
        assert "call 911 (US) yourself" in escalated["notification"]["emergency"]["instruction"]
        [made] = other.get("/incidents")["items"]
        assert made["notification_status"] == "no_route"
        host.close()
        ash.close()


def test_a_step_due_when_the_process_stopped_is_tried_by_the_next_one(tmp_path, receiver):
    database_url = f"sqlite:///{tmp_path / 'restart.db'}"
    # This process pages nobody: the step stays due in the database.
    with live_server(database_url, HEARTH_ON_CALL_POLL_SECONDS="0") as server:
        api = Api(server)
        endpoint = api.post("/webhooks", {"url": receiver.url, "event_types": ["session.started"]})
        put_policy(server, api, [{"kind": "webhook", "endpoint_id": endpoint["id"], "ack_seconds": 60}])
        sam, session = alone_in_the_lobby(server, api)
        assert sam.emit("support:request")["reached"] == "on_call"
        sam.close()
        key = api.http.headers["Authorization"].removeprefix("Bearer ")
    assert receiver.received == []
    with live_server(database_url, migrate=False) as server:
        api = Api(server, key)
        wait_until(lambda: receiver.received)
        [incident] = api.get(f"/incidents?session_id={session['id']}")["items"]
        told = wait_until(
            lambda: (
                (n := api.get(f"/incidents/{incident['id']}")["notification"])["status"] == "delivered" and n
            )
        )
        assert [(a["step"], a["status"]) for a in told["attempts"]] == [(1, "delivered")]
