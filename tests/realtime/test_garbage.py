"""What a Socket.IO event leaves to the garbage collector: next to nothing, so collections stay short."""

from __future__ import annotations

import gc
from collections import Counter

import pytest
from flask import request
from werkzeug.test import EnvironBuilder

HANDSHAKES = {
    "long-polling": {},
    "websocket": {"Upgrade": "websocket", "Connection": "Upgrade"},
}


@pytest.mark.parametrize("headers", HANDSHAKES.values(), ids=HANDSHAKES.keys())
def test_an_events_request_context_finds_its_path_routed(app, headers):
    # Flask-SocketIO runs each event in a request context made from the handshake's environ.
    environ = EnvironBuilder(path="/socket.io/", query_string="EIO=4", headers=headers).get_environ()
    with app.request_context(environ):
        assert request.routing_exception is None


def test_the_socketio_path_over_plain_http_is_still_not_found(client):
    assert client.get("/socket.io").status_code == 404


def test_chat_messages_leave_almost_nothing_in_reference_cycles(circle, room_store, monkeypatch):
    moment = [room_store.clock()]
    monkeypatch.setattr(room_store, "clock", lambda: moment[0])
    host = circle.host()
    assert host.emit("room:open", callback=True) == {"ok": True}
    ana, _ = circle.admitted("Ana", host)
    messages = 100
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for number in range(messages):
            ack = ana.emit("chat:send", {"text": f"thank you all, number {number}"}, callback=True)
            assert ack["ok"] is True, ack
            if number % 4 == 3:
                moment[0] += 10  # past the chat's rate limit
        gc.collect()
        garbage = Counter(type(thing).__name__ for thing in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    # Before the /socket.io/ rules, each event left its whole request context in a cycle (61
    # objects in this harness); what is left is werkzeug's matcher, a closure of ten objects.
    assert garbage["RequestContext"] == 0 and garbage["traceback"] == 0
    assert garbage.total() < 15 * messages, garbage.most_common(8)
