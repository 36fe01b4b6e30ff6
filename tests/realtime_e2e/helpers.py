"""Drive a real `hearth serve` over HTTP and Socket.IO: requests, socketio and stdlib only.

Nothing here imports from `service`: these helpers talk to the server as any outside
client would, from the REST API and docs/realtime.md.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
import socketio

from tests.live_server import LiveServer

WAIT = 10.0  # seconds to wait for one expected server event


class Api:
    """The organization REST API with a Bearer key."""

    def __init__(self, server: LiveServer, key: str | None = None) -> None:
        self.base = server.url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {key or server.create_org()['api_key']}"

    def post(self, path: str, body: dict) -> dict:
        response = self.http.post(f"{self.base}/api/v1{path}", json=body, timeout=10)
        assert response.status_code == 201, (path, response.status_code, response.text)
        return response.json()

    def get(self, path: str) -> dict:
        response = self.http.get(f"{self.base}/api/v1{path}", timeout=10)
        assert response.status_code == 200, (path, response.status_code, response.text)
        return response.json()

    def facilitator(self, name: str, password: str) -> dict:
        """A facilitator whose password is set through their one-time link."""
        made = self.post(
            "/facilitators", {"name": name, "email": f"{name.lower()}-{uuid.uuid4().hex[:6]}@example.org"}
        )
        response = requests.post(
            made["password_setup_url"], data={"password": password, "confirm": password}, timeout=10
        )
        assert response.status_code == 200, response.text
        return made

    def group_open_now(self, facilitator_ids: list[str], **fields) -> tuple[dict, dict]:
        """A one-off UTC group starting in 3 minutes (lobby opens 10 before), and its session."""
        first_start = (datetime.now(UTC) + timedelta(minutes=3)).replace(tzinfo=None, second=0, microsecond=0)
        group = self.post(
            "/groups",
            {
                "title": "Tuesday evening circle",
                "timezone": "UTC",
                "first_start": first_start.isoformat(),
                "lobby_opens_minutes": 10,
                "facilitators": [{"facilitator_id": f, "role": "lead"} for f in facilitator_ids],
                **fields,
            },
        )
        session = self.get(f"/groups/{group['id']}/sessions?limit=1")["items"][0]
        return group, session

    def join_token(self, group_id: str) -> str:
        """A new registration's join token (the last path segment of its join_url)."""
        join_url = self.post(f"/groups/{group_id}/registrations", {})["join_url"]
        return join_url.rstrip("/").rsplit("/", 1)[1]


def signed_in(server: LiveServer, email: str, password: str) -> requests.Session:
    """An HTTP session signed in as a facilitator through the sign-in form."""
    http = requests.Session()
    page = http.get(f"{server.url}/facilitator/sign-in", timeout=10)
    match = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text) or re.search(
        r'value="([^"]+)"\s+name="csrf_token"', page.text
    )
    assert match, page.text
    response = http.post(
        f"{server.url}/facilitator/sign-in",
        data={"email": email, "password": password, "csrf_token": match.group(1)},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code in (302, 303), (response.status_code, response.text)
    return http


def cookie_header(http: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


class Peer:
    """One Socket.IO connection that records every event the server sends it."""

    def __init__(self, sio: socketio.Client | None = None) -> None:
        self.sio = sio or socketio.Client(reconnection=False)
        self.events: list[tuple[str, Any]] = []
        self.connect_error: Any = None
        self._changed = threading.Condition()
        self._cursor: dict[str, int] = {}  # per event name: where the next wait starts
        self.sio.on("*", self._record)
        self.sio.on("connect_error", self._refused)

    def _record(self, event: str, data: Any = None) -> None:
        with self._changed:
            self.events.append((event, data))
            self._changed.notify_all()

    def _refused(self, data: Any = None) -> None:
        self.connect_error = data

    def connect(self, url: str, auth: dict, headers: dict | None = None) -> Peer:
        self.sio.connect(
            url, auth=auth, headers=headers or {}, transports=["polling"], wait_timeout=10, retry=False
        )
        return self

    def emit(self, event: str, data: Any = None) -> dict:
        return self.sio.call(event, data, timeout=WAIT)

    def wait_for(
        self,
        event: str,
        test: Callable[[Any], bool] = lambda _: True,
        since: int | None = None,
        within: float = WAIT,
    ) -> Any:
        """The first `event` passing `test` after the last one a wait returned (or from `since`).

        Waits consume events of one name in order, so an old state cannot answer a new question.
        """
        start = self._cursor.get(event, 0) if since is None else since
        deadline = time.monotonic() + within
        with self._changed:
            while True:
                for index in range(start, len(self.events)):
                    name, data = self.events[index]
                    if name == event and test(data):
                        self._cursor[event] = index + 1
                        return data
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(n, d) for n, d in self.events if n == event][-3:]
                    raise AssertionError(f"no {event} passing the test within {within}s; last: {seen}")
                self._changed.wait(left)

    def state(self, test: Callable[[dict], bool] = lambda _: True, within: float = WAIT) -> dict:
        return self.wait_for("room:state", test, within=within)

    def joined(self, *seats: str) -> list[dict]:
        """The seats a facilitator was told of by seat:joined, one for each of `seats`, in that order."""
        return [
            self.wait_for(
                "seat:joined", lambda joined, seat=seat: joined["seat"]["seat_id"] == seat, since=0
            )["seat"]
            for seat in seats
        ]

    def mark(self) -> int:
        with self._changed:
            return len(self.events)

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()


def agree(peer: Peer, name: str, mode: str = "speak") -> str:
    """Accept the agreement as `name`; the seat id the server gives."""
    assert peer.emit("room:agree", {"display_name": name, "mode": mode}) == {"ok": True}
    return peer.state(lambda s: s["you"] is not None)["you"]["seat_id"]


def seat_ids(state: dict) -> list[str]:
    return [seat["seat_id"] for seat in state["seats"]]
