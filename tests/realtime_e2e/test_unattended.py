"""A facilitator who does not come, against a real server process with a real SMTP server on loopback.

The room clock of the process notices that nobody opened the room, the organization hears it by
webhook and e-mail, the person waiting sees a kind message live and on the page, and it goes away
when the facilitator opens the room after all.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.live_server import live_server
from tests.realtime_e2e.helpers import Api, Peer, cookie_header, signed_in
from tests.realtime_e2e.test_on_call import put_policy, wait_until

pytestmark = pytest.mark.slow

PASSWORD = "a long enough password"
NOTICE = re.compile(r"<p [^>]*data-unattended[^>]*>")


def notice_shown(server, token: str) -> bool:
    page = requests.get(f"{server.url}/join/{token}", timeout=10).text
    return "hidden" not in NOTICE.search(page).group(0)


def test_a_facilitator_who_does_not_come(tmp_path, smtp, receiver):
    database_url = f"sqlite:///{tmp_path / 'unattended.db'}"
    env = {"HEARTH_SMTP_HOST": "127.0.0.1", "HEARTH_SMTP_PORT": str(smtp.port)}
    # Two seconds instead of five minutes, so the test need not wait.
    with live_server(
        database_url, HEARTH_SMTP_FROM="hearth@example.org", HEARTH_UNATTENDED_SECONDS="2", **env
    ) as server:
        api = Api(server)
        endpoint = api.post("/webhooks", {"url": receiver.url, "event_types": ["session.unattended"]})
        put_policy(server, api, [{"kind": "email", "email": "on-call@example.org", "ack_seconds": 60}])
        robin = api.facilitator("Robin", PASSWORD)
        # The circle began a minute ago: it still gets today's session.
        began = (datetime.now(UTC) - timedelta(minutes=1)).replace(tzinfo=None, second=0, microsecond=0)
        group = api.post(
            "/groups",
            {
                "title": "Tuesday evening circle",
                "timezone": "UTC",
                "first_start": began.isoformat(),
                "facilitators": [{"facilitator_id": robin["id"], "role": "lead"}],
            },
        )
        session = api.get(f"/groups/{group['id']}/sessions?limit=1")["items"][0]
        assert session["starts_at"] == began.replace(tzinfo=UTC).isoformat()
        token = api.join_token(group["id"])
        sam = Peer().connect(server.url, {"token": token})
        try:
            assert sam.emit("room:agree", {"display_name": "Sam", "mode": "listen_only"}) == {"ok": True}
            assert sam.state(lambda s: s["unattended"])["phase"] == "lobby"
            assert notice_shown(server, token)

            hook = wait_until(lambda: receiver.received)[0]
            body = json.loads(hook.body)
            assert body["type"] == "session.unattended" and body["data"]["session_id"] == session["id"]
            deliveries = f"/webhooks/{endpoint['id']}/deliveries"
            wait_until(lambda: api.get(deliveries)["items"][0]["status"] == "delivered")
            [mail] = wait_until(lambda: smtp.mailbox.messages)
            assert mail["To"] == "on-call@example.org" and "Tuesday evening circle" in mail["Subject"]
            assert session["id"] in mail.get_content() and "Sam" not in mail.get_content()

            # Robin arrives after all and opens the room: the message goes away.
            http = signed_in(server, robin["email"], PASSWORD)
            host = Peer().connect(server.url, {"session_id": session["id"]}, {"Cookie": cookie_header(http)})
            assert host.emit("room:open") == {"ok": True}
            assert sam.state(lambda s: not s["unattended"])["phase"] == "open"
            assert not notice_shown(server, token)
            host.close()
        finally:
            sam.close()
        # Told once: no second webhook or e-mail however many ticks went by.
        assert len(receiver.received) == 1 and len(smtp.mailbox.messages) == 1
