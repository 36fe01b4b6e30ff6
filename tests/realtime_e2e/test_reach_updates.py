"""Against a real server and SMTP server: the person is told when whom their request reached changes.

A route that fails (a webhook answering 500, an SMTP server refusing the message) and then
nobody left: the person's page is told "nobody", with their region's emergency number. A route
that works, then the e-mail's link pressed: told "sent", then "acting on it".
"""

from __future__ import annotations

import re

import pytest
import requests

from tests.live_server import live_server
from tests.oncall.smtp import SmtpServer
from tests.realtime_e2e.helpers import Api
from tests.realtime_e2e.test_on_call import alone_in_the_lobby, put_policy, wait_until

pytestmark = pytest.mark.slow

LINK = re.compile(r"(http://127\.0\.0\.1:\d+/on-call/acknowledge/[\w-]+)")


def serve(tmp_path, smtp: SmtpServer):
    env = {key: str(value) for key, value in smtp.config.items()}
    return live_server(f"sqlite:///{tmp_path / 'reach.db'}", **env)


def test_when_every_route_fails_the_persons_page_is_told_nobody_and_whom_to_call(tmp_path, smtp, receiver):
    receiver.status = 500
    smtp.mailbox.refuse = True
    with serve(tmp_path, smtp) as server:
        api = Api(server)
        endpoint = api.post("/webhooks", {"url": receiver.url, "event_types": ["session.started"]})
        put_policy(
            server,
            api,
            [
                {"kind": "webhook", "endpoint_id": endpoint["id"], "ack_seconds": 60},
                {"kind": "email", "email": "on-call@example.org", "ack_seconds": 60},
            ],
        )
        sam, session = alone_in_the_lobby(server, api)
        ack = sam.emit("support:request")
        assert ack["reached"] == "on_call"
        # Each route is tried twice, 5 seconds apart.
        update = sam.wait_for("support:update", within=30)
        assert update == {"alert_id": ack["alert_id"], "reached": "nobody", "emergency_number": "999"}
        [incident] = api.get(f"/incidents?session_id={session['id']}")["items"]
        told = api.get(f"/incidents/{incident['id']}")["notification"]
        assert told["status"] == "unreached"
        assert [(a["kind"], a["status"], a["error"]) for a in told["attempts"]] == [
            ("webhook", "failed", "http_status"),
            ("webhook", "failed", "http_status"),
            ("email", "failed", "smtp_refused"),
            ("email", "failed", "smtp_refused"),
        ]
        # Asking again answers the same truth, and nothing more is sent.
        assert sam.emit("support:request")["reached"] == "nobody"
        sam.close()


def test_the_persons_page_is_told_when_the_request_is_sent_and_when_someone_acts_on_it(tmp_path, smtp):
    with serve(tmp_path, smtp) as server:
        api = Api(server)
        put_policy(server, api, [{"kind": "email", "email": "on-call@example.org", "ack_seconds": 60}])
        sam, _ = alone_in_the_lobby(server, api)
        alert_id = sam.emit("support:request")["alert_id"]
        sent = sam.wait_for("support:update")
        assert (sent["alert_id"], sent["reached"]) == (alert_id, "on_call_delivered")
        mail = wait_until(lambda: smtp.mailbox.messages)[0]
        link = LINK.search(mail.get_content()).group(1)
        assert requests.post(link, timeout=10).status_code == 200
        acting = sam.wait_for("support:update")
        assert (acting["alert_id"], acting["reached"]) == (alert_id, "on_call_acknowledged")
        sam.close()
