"""Helpers for the participant's browser tests: a facilitator driving RoomClient, and the way in."""

from __future__ import annotations

from typing import Any

WAIT_MS = 15000

# Counts the person's device requests: a listen-only person must never be asked.
COUNT_DEVICE_REQUESTS = """
window.deviceRequests = 0;
const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = (constraints) => {
    window.deviceRequests += 1;
    return original(constraints);
};
"""

# Whether the page plays a seat's sound: its audio element runs and is not muted.
PLAYED = """(seat) => {
    const audio = document.querySelector(`[data-seat='${seat}'] audio`);
    return !audio.paused && !audio.muted;
}"""

# The page's own senders that carry a track, with the track's kind and whether it is enabled.
SENDERS = """async () => {
    const { connections } = await import('/static/js/room/media.js');
    return [...connections().values()].flatMap((pc) => pc.getSenders())
        .filter((s) => s.track).map((s) => ({ kind: s.track.kind, enabled: s.track.enabled }));
}"""


class Host:
    """A signed-in facilitator's page holding a RoomClient, used to open the room and admit people."""

    def __init__(self, page, session_id: str) -> None:
        self.page = page
        page.evaluate(
            """async (sessionId) => {
                const { RoomClient } = await import('/static/js/room/client.js');
                const { RoomStore } = await import('/static/js/shared/room-store.js');
                window.host = new RoomClient({ session_id: sessionId });
                window.hostStore = new RoomStore(window.host);
                const first = new Promise((resolve) => window.host.on('room:state', resolve));
                window.host.connect();
                await first;
            }""",
            session_id,
        )

    def send(self, event: str, payload: Any = None) -> dict:
        ack = self.page.evaluate("([e, p]) => p === null ? host.send(e) : host.send(e, p)", [event, payload])
        return ack

    def state(self) -> dict:
        return self.page.evaluate("() => hostStore.state")

    def lobby(self) -> list[dict]:
        return [s for s in self.state()["seats"] if s["where"] == "lobby"]

    def admit_all(self) -> list[str]:
        ack = self.send("lobby:admit_all")
        assert ack["ok"], ack
        return ack["admitted"]


def get_ready(page, link: str, name: str, mode: str = "speak", check_in: int | None = None) -> None:
    """Go from the join link to the lobby with the mouse-free defaults of each step."""
    page.goto(link)
    page.get_by_label("I have read the agreement and I accept it").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("The name others will see").fill(name)
    page.locator(f"input[name=mode][value={mode}]").check()
    if mode != "listen_only":
        page.locator("[data-mic-status]").filter(has_text="level below").wait_for(timeout=WAIT_MS)
    page.locator("[data-device-form] button[type=submit]").click()
    page.locator('[data-step="checkin"]').wait_for(timeout=WAIT_MS)
    if check_in is None:
        page.get_by_role("button", name="Skip").click()
    else:
        page.locator(f"input[name=arriving][value='{check_in}']").check()
        page.locator("[data-checkin-form] button[type=submit]").click()
    page.locator('[data-step="lobby"]').wait_for(timeout=WAIT_MS)


def in_room(page) -> None:
    page.locator('[data-step="room"]').wait_for(timeout=WAIT_MS)


def seat_named(host: Host, name: str) -> dict:
    """The seat with this display name, as the facilitator sees it."""
    return next(s for s in host.state()["seats"] if s["display_name"] == name)


def stats(page, kind: str) -> dict:
    """Per remote seat: the bytes of `kind` ("inbound-rtp" or "outbound-rtp") per media kind."""
    return page.evaluate(
        """async (type) => {
            const { connections } = await import('/static/js/room/media.js');
            const out = {};
            for (const [seatId, pc] of connections()) {
                const totals = {};
                (await pc.getStats()).forEach((report) => {
                    if (report.type !== type) return;
                    const bytes = report.bytesReceived ?? report.bytesSent ?? 0;
                    totals[report.kind] = (totals[report.kind] ?? 0) + bytes;
                });
                out[seatId] = totals;
            }
            return out;
        }""",
        kind,
    )
