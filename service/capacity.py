"""A per-process cap on Socket.IO connections, refusing new ones with 503 instead of letting them hang."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from service.api.problems import problem_response

RETRY_AFTER_SECONDS = 10


class SocketCapacity:
    """WSGI middleware: once the process holds `limit` Engine.IO sockets, new handshakes get 503.

    Requests of sockets already open (they carry `sid`) always pass, so nobody in a room is cut off.
    Without the cap, connections past the server's greenlet pool wait unanswered.
    """

    def __init__(
        self, wsgi_app: Callable, open_sockets: Callable[[], int], limit: int, path: str = "/socket.io"
    ) -> None:
        self.wsgi_app = wsgi_app
        self.open_sockets = open_sockets
        self.limit = limit
        self.path = path.rstrip("/") + "/"

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if self._is_handshake(environ) and self.open_sockets() >= self.limit:
            full = problem_response(
                503,
                "This server is full just now. Try again in a few seconds.",
                code="server_full",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
            )
            return full(environ, start_response)
        return self.wsgi_app(environ, start_response)

    def _is_handshake(self, environ: dict[str, Any]) -> bool:
        path = environ.get("PATH_INFO", "")
        if not (path + "/").startswith(self.path):
            return False
        return "sid" not in parse_qs(environ.get("QUERY_STRING", ""))
