"""The Socket.IO side of the live room: thin adapters from events to `service.live`, one module per topic."""

from __future__ import annotations

from flask import Flask, abort
from flask_socketio import SocketIO

from service.live import notify
from service.live.runtime import install_store
from service.realtime import chat, floor, media, moderation, mood, private, rounds, seats, session, support
from service.realtime.adapter import Connections, Event, adapt
from service.realtime.notifier import SocketNotifier

# Every topic's events, registered in this order: the one list of what the server handles.
EVENT_GROUPS = (
    session.events,
    seats.events,
    floor.events,
    rounds.events,
    chat.events,
    private.events,
    moderation.events,
    support.events,
    media.events,
    mood.events,
)


def all_events() -> list[Event]:
    """Every client → server event the server handles."""
    return [event for group in EVENT_GROUPS for event in group.events]


def _answered_by_socketio() -> None:
    abort(404)


def init_realtime(app: Flask, socketio: SocketIO) -> None:
    """Give the app its room store and notifier, and register every handler on `socketio`."""
    # Each event runs in a request context made from its connection's handshake, whose path is
    # /socket.io/ (a WebSocket upgrade or a long-polling request). Unrouted, Flask's matching
    # raises NotFound (or WebsocketMismatch) into every such context, and the exception's
    # traceback holds the context and its green thread's frames in a reference cycle: a hundred
    # objects and more an event for the garbage collector, whose young collections then took
    # tens of milliseconds. HTTP requests under /socket.io/ never reach these rules (the Socket.IO
    # middleware answers them before Flask); /socket.io without its slash does, and is 404.
    for websocket in (False, True):
        endpoint = "socketio_websocket" if websocket else "socketio"
        app.add_url_rule(
            "/socket.io/", endpoint, _answered_by_socketio, strict_slashes=False, websocket=websocket
        )
    install_store(app)
    # Connections live in one process, so which member a socket speaks for is kept here.
    app.extensions["hearth_members"] = Connections()
    app.extensions["hearth_departed"] = {}
    notifier = SocketNotifier(socketio)
    notify.install(app, notifier)
    socketio.on_event("connect", session.on_connect)
    socketio.on_event("disconnect", session.on_disconnect)
    for event in all_events():
        socketio.on_event(event.name, adapt(event))
