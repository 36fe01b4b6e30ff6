"""The baseline: a bare python-socketio server doing only what a room needs to be measured against.

Served by the same gunicorn worker as Hearth (`gunicorn -c bench/load/gunicorn_bench.py
bench.load.bare_server:app`). A connection names its room; agreeing joins it and tells the
room who is there; a chat message is broadcast to the room with Hearth's message shape.
With BENCH_REDIS_URL several processes share rooms through Redis, as Hearth's do.
"""

from __future__ import annotations

import os
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import redis
import socketio

redis_url = os.environ.get("BENCH_REDIS_URL")
manager = socketio.RedisManager(redis_url) if redis_url else None
sio = socketio.Server(async_mode="eventlet", client_manager=manager, cors_allowed_origins="*")
app = socketio.WSGIApp(sio)


class Members:
    """Who is in each room: in this process, or in Redis when processes share rooms."""

    def __init__(self) -> None:
        self.local: dict[str, dict[str, str]] = defaultdict(dict)
        self.redis = None
        if redis_url:
            # A bounded pool, as Hearth's (HEARTH_REDIS_MAX_CONNECTIONS): not one connection per greenlet.
            pool = redis.BlockingConnectionPool.from_url(redis_url, max_connections=50, decode_responses=True)
            self.redis = redis.Redis(connection_pool=pool)

    def add(self, room: str, sid: str, name: str) -> dict[str, str]:
        """Seat `sid` in `room`; everyone in it now."""
        if self.redis is None:
            self.local[room][sid] = name
            return self.local[room]
        key = f"bare:room:{room}"
        pipe = self.redis.pipeline()
        pipe.hset(key, sid, name)
        pipe.hgetall(key)
        return pipe.execute()[1]

    def remove(self, room: str, sid: str) -> None:
        if self.redis is None:
            self.local[room].pop(sid, None)
        else:
            self.redis.hdel(f"bare:room:{room}", sid)


members = Members()


@sio.event
def connect(sid: str, environ: dict[str, Any], auth: dict[str, Any] | None = None) -> None:
    """Remember which room the connection belongs to."""
    sio.save_session(sid, {"room": (auth or {}).get("room", "lobby"), "name": ""})


@sio.on("room:agree")
def agree(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    """Join the room and tell everyone in it who is there."""
    session = sio.get_session(sid)
    session["name"] = data.get("display_name", "")
    sio.save_session(sid, session)
    sio.enter_room(sid, session["room"])
    everyone = members.add(session["room"], sid, session["name"])
    seats = [{"seat_id": seat, "display_name": name, "where": "room"} for seat, name in everyone.items()]
    sio.emit("room:state", {"seats": seats}, to=session["room"])
    return {"ok": True}


@sio.on("chat:send")
def chat(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    """Broadcast a chat message to the sender's room."""
    session = sio.get_session(sid)
    message = {
        "id": uuid.uuid4().hex,
        "seat_id": sid,
        "display_name": session["name"],
        "text": data.get("text", ""),
        "sent_at": datetime.now(UTC).isoformat(),
    }
    sio.emit("chat:message", message, to=session["room"])
    return {"ok": True, "id": message["id"]}


@sio.event
def disconnect(sid: str, reason: Any = None) -> None:
    """Forget the connection."""
    members.remove(sio.get_session(sid)["room"], sid)
