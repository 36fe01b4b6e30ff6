"""Clients that connect from a chosen loopback address, so nginx's address-hash routing can be steered."""

from __future__ import annotations

import requests
import socketio
from requests.adapters import HTTPAdapter

from tests.realtime_e2e.helpers import Peer


class SourceAddressAdapter(HTTPAdapter):
    """Opens every connection from `source` (any 127.x address works on Linux's loopback)."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def peer_from(source: str, *, reconnect: bool = False) -> Peer:
    """A Socket.IO peer whose long-polling requests come from `source`; optionally reconnecting."""
    http = requests.Session()
    http.mount("https://", SourceAddressAdapter(source))
    return Peer(
        socketio.Client(
            http_session=http,
            reconnection=reconnect,
            reconnection_delay=0.2,
            reconnection_delay_max=1,
            randomization_factor=0,
        )
    )
