"""The room clock starts with the server process, not with its first connection.

An alert nobody took, raised before a restart, still becomes an incident after the restart
although nobody connects again; a breathing pause ends by itself with a fresh room state.
"""

from __future__ import annotations

import time

import pytest

from tests.live_server import live_server
from tests.realtime_e2e.helpers import Api, Peer, cookie_header, signed_in

pytestmark = pytest.mark.slow

PASSWORD = "a long enough password"


def _seated_participant(server, api: Api) -> tuple[Peer, Peer, dict]:
    robin = api.facilitator("Robin", PASSWORD)
    group, session = api.group_open_now([robin["id"]])
    token = api.join_token(group["id"])
    http = signed_in(server, robin["email"], PASSWORD)
    host = Peer().connect(server.url, {"session_id": session["id"]}, {"Cookie": cookie_header(http)})
    assert host.emit("room:open") == {"ok": True}
    sam = Peer().connect(server.url, {"token": token})
    assert sam.emit("room:agree", {"display_name": "Sam", "mode": "speak"}) == {"ok": True}
    seat = sam.state(lambda s: s["you"] is not None)["you"]["seat_id"]
    assert host.emit("lobby:admit", {"seat_id": seat}) == {"ok": True}
    return host, sam, session


def test_an_untaken_alert_becomes_an_incident_after_a_restart_with_nobody_connected(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'clock.db'}"
    # Long enough that the first process does not escalate before it stops.
    with live_server(database_url, HEARTH_ALERT_TAKE_SECONDS="4") as server:
        api = Api(server)
        host, sam, session = _seated_participant(server, api)
        alert_id = sam.emit("support:request")["alert_id"]
        host.close()
        sam.close()
        key = api.http.headers["Authorization"]
    # A new process on the same database; nobody connects to it.
    with live_server(database_url, migrate=False, HEARTH_ALERT_TAKE_SECONDS="4") as server:
        api = Api(server, key.removeprefix("Bearer "))
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            incidents = api.get(f"/incidents?session_id={session['id']}")["items"]
            if incidents:
                break
            time.sleep(0.5)
        assert [(i["source_alert_id"], i["escalated_by"]) for i in incidents] == [(alert_id, "system")]


def test_a_breathing_pause_ends_by_itself_with_a_fresh_room_state(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'breath.db'}"
    with live_server(database_url) as server:
        api = Api(server)
        host, sam, _ = _seated_participant(server, api)
        try:
            assert host.emit("breath:start", {"seconds": 30}) == {"ok": True}
            held = sam.state(lambda s: s["breathing"] is not None)
            assert held["you"]["may_publish_audio"] is False
            started = time.monotonic()
            # The pause is over after 30 s; the clock (every second) shows the room again.
            free = sam.state(lambda s: s["breathing"] is None, within=45)
            assert 29 <= time.monotonic() - started <= 40
            assert free["you"]["may_publish_audio"] is True
        finally:
            host.close()
            sam.close()
