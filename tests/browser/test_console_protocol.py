"""The console sends the contract's moderation events exactly as written, served or not yet.

Each test reads what the page puts on the wire (WebSocket frames and long-polling bodies), so
it holds before and after the server side of these events is merged.
"""

from __future__ import annotations

import json
import re
import time

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.browser.test_console import TIMEOUT, open_console, participant

EVENT = re.compile(r"^42\d*(\[.*\])$", re.DOTALL)  # Engine.IO message + Socket.IO event (+ ack id)


class Wire:
    """Every Socket.IO event a page sends, as [name, payload?] lists."""

    def __init__(self, page) -> None:
        self.page = page
        self.sent: list[list] = []
        page.on("websocket", lambda ws: ws.on("framesent", self._frame))
        page.on("request", self._request)

    def _frame(self, payload) -> None:
        if isinstance(payload, str):
            self._packet(payload)

    def _request(self, request) -> None:
        if "/socket.io/" in request.url and request.method == "POST" and request.post_data:
            for packet in request.post_data.split("\x1e"):
                self._packet(packet)

    def _packet(self, packet: str) -> None:
        match = EVENT.match(packet)
        if match:
            self.sent.append(json.loads(match.group(1)))

    def expect(self, *event) -> None:
        """Wait until the page has sent exactly this event (name and payload)."""
        deadline = time.monotonic() + TIMEOUT / 1000
        while list(event) not in self.sent:
            assert time.monotonic() < deadline, f"{list(event)} not sent; sent: {self.sent}"
            # Playwright delivers page events only while it is called: wait through it.
            self.page.wait_for_timeout(50)

    def names(self) -> list[str]:
        return [event[0] for event in self.sent]


def seat_of(peer) -> str:
    return peer.state(lambda s: s["you"] is not None)["you"]["seat_id"]


def test_moderation_events_follow_the_contract(make_circle, open_page):
    circle = make_circle(participants=2)
    page = open_page()
    wire = Wire(page)
    sign_in(page, circle)
    open_console(page, circle)
    page.get_by_role("button", name="Open the room").click()
    expect(page.locator("#room-phase")).to_have_text("The room is open.", timeout=TIMEOUT)
    sam, alex = participant(circle, 0, "Sam"), participant(circle, 1, "Alex")
    try:
        page.get_by_role("button", name="Admit everyone").click()
        expect(page.locator("#lobby-empty")).to_be_visible(timeout=TIMEOUT)

        page.get_by_role("button", name="Room controls").click()
        page.get_by_role("button", name="Mute everyone", exact=True).click()
        wire.expect("seat:mute_all", {"muted": True})
        page.get_by_role("button", name="Unmute everyone").click()
        wire.expect("seat:mute_all", {"muted": False})
        page.get_by_role("button", name="Lower all hands").click()
        wire.expect("hand:lower_all")
        page.locator("#breath-form").get_by_label("Seconds").fill("90")
        page.get_by_role("button", name="Start", exact=True).click()
        wire.expect("breath:start", {"seconds": 90})
        # Any share length the server takes, not only a few.
        page.get_by_label("Minutes", exact=True).fill("7")
        page.locator("#timer-form").get_by_label("Seconds").fill("30")
        page.get_by_role("button", name="Set the timer").click()
        wire.expect("floor:timer", {"seconds": 450})
        expect(page.locator("#timer-status")).to_contain_text("Share timer: 7 min 30 sec", timeout=TIMEOUT)
        page.get_by_role("button", name="Turn the timer off").click()
        wire.expect("floor:timer", {"seconds": None})
        page.keyboard.press("Escape")

        people = page.locator("#people-list")
        people.get_by_role("button", name="Actions for Sam").click()
        people.get_by_role("button", name="Message Sam privately").click()
        expect(page.get_by_label("Message", exact=True)).to_be_focused()
        page.keyboard.type("How are you doing?")
        page.get_by_role("button", name="Send privately").click()
        wire.expect("private:send", {"to": seat_of(sam), "text": "How are you doing?"})

        # Removing asks first; cancelling sends nothing.
        people.get_by_role("button", name="Actions for Sam").click()
        people.get_by_role("button", name="Remove Sam…", exact=True).click()
        dialog = page.get_by_role("dialog", name="Remove Sam from this session?")
        expect(dialog).to_be_visible()
        dialog.get_by_role("button", name="Cancel").click()
        expect(dialog).to_be_hidden()
        assert "seat:remove" not in wire.names()
        expect(people.get_by_role("button", name="Actions for Sam")).to_be_focused()
        people.get_by_role("button", name="Actions for Sam").click()
        people.get_by_role("button", name="Remove Sam…", exact=True).click()
        dialog.get_by_role("button", name="Remove Sam").click()
        wire.expect("seat:remove", {"seat_id": seat_of(sam)})

        people.get_by_role("button", name="Actions for Alex").click()
        people.get_by_role("button", name="Bar Alex from the group…").click()
        page.get_by_role("dialog", name="Bar Alex from the group?").get_by_role(
            "button", name="Bar Alex"
        ).click()
        wire.expect("seat:bar", {"seat_id": seat_of(alex)})

        page.get_by_role("button", name="End the session…").click()
        page.get_by_role("dialog", name="End the session?").get_by_role(
            "button", name="End the session"
        ).click()
        wire.expect("room:end", {"notice": True})
    finally:
        sam.close()
        alex.close()
