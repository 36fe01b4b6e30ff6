"""docs/realtime.md names exactly the events the server handles and sends."""

from __future__ import annotations

import re
from pathlib import Path

from service.realtime import all_events

DOC = (Path(__file__).resolve().parents[1] / "docs" / "realtime.md").read_text()
SERVER_EVENTS = {
    "room:state",
    "seat:joined",
    "reaction",
    "chat:message",
    "chat:deleted",
    "norm:reminder",
    "private:message",
    "room:removed",
    "rtc:signal",
    "room:ending",
    "room:ended",
    "alert:new",
    "support:resources",
    "support:update",
}


def _section(title: str) -> str:
    return DOC.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def test_every_client_event_is_documented_and_nothing_else():
    table = _section("Client → server events")
    documented = set(re.findall(r"^\| `([a-z_]+:[a-z_]+)` \|", table, flags=re.MULTILINE))
    assert documented == {event.name for event in all_events()}


def test_every_server_event_is_documented():
    headings = set(re.findall(r"^### `([a-z_:]+)`", _section("Server → client events"), flags=re.MULTILINE))
    assert headings == SERVER_EVENTS


def test_every_server_event_is_emitted_somewhere():
    service = Path(__file__).resolve().parents[1] / "service"
    source = "".join(
        path.read_text() for folder in ("live", "realtime") for path in (service / folder).glob("*.py")
    )
    for name in SERVER_EVENTS:
        assert f'"{name}"' in source
