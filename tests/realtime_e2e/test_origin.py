"""A real server refuses a Socket.IO handshake from a foreign Origin and accepts its own.

Flask-SocketIO's test client skips the origin check, so this needs a `hearth serve` process.
"""

from __future__ import annotations

import pytest
import requests
import socketio

from tests import live_server as launcher
from tests.live_server import live_server
from tests.realtime_e2e.helpers import Api, Peer

pytestmark = pytest.mark.slow


def test_a_foreign_origin_is_refused_and_the_allowed_one_connects(tmp_path, monkeypatch):
    database_url = f"sqlite:///{tmp_path / 'origin.db'}"
    # The allowed origin is the server's own, so choose its port before it starts.
    port = launcher.free_port()
    monkeypatch.setattr(launcher, "free_port", lambda: port)
    own = f"http://127.0.0.1:{port}"
    with live_server(database_url, HEARTH_ALLOWED_ORIGINS=own) as server:
        assert server.url == own
        api = Api(server)
        group, session = api.group_open_now([])
        token = api.join_token(group["id"])
        auth = {"token": token, "session_id": session["id"]}

        foreign = Peer()
        with pytest.raises(socketio.exceptions.ConnectionError):
            foreign.connect(server.url, auth, headers={"Origin": "https://evil.example"})
        assert not foreign.sio.connected
        # It is the Engine.IO handshake itself that is refused, before any Socket.IO auth.
        handshake = f"{server.url}/socket.io/?EIO=4&transport=polling"
        assert (
            requests.get(handshake, headers={"Origin": "https://evil.example"}, timeout=10).status_code == 400
        )
        assert requests.get(handshake, headers={"Origin": own}, timeout=10).status_code == 200

        allowed = Peer().connect(server.url, auth, headers={"Origin": own})
        try:
            state = allowed.state()
            assert state["session_id"] == session["id"]
            assert state["you"] is None
        finally:
            allowed.close()
