"""A round in real Chromium: the console starts it, it goes around four people with one pass."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.browser.room_helpers import get_ready, in_room
from tests.browser.test_console import TIMEOUT, open_console, participant


def test_a_round_goes_around_four_people_with_one_pass(make_circle, open_page):
    circle = make_circle(participants=4)
    console = open_page()
    sign_in(console, circle)
    open_console(console, circle)
    console.get_by_role("button", name="Open the room").click()
    expect(console.locator("#room-phase")).to_have_text("The room is open.", timeout=TIMEOUT)

    ann = open_page()
    get_ready(ann, circle.join_links[0], "Ann")
    peers = [
        participant(circle, 1, "Bo"),
        participant(circle, 2, "Lee", "listen_only"),
        participant(circle, 3, "Cy"),
    ]
    bo, lee, cy = peers
    try:
        expect(console.locator("#lobby-list").get_by_role("listitem")).to_have_count(4, timeout=TIMEOUT)
        console.get_by_role("button", name="Admit everyone").click()
        in_room(ann)
        expect(console.locator("#not-shared")).to_have_text(
            "Not shared yet: Ann, Bo, Lee, Cy.", timeout=TIMEOUT
        )

        console.get_by_role("button", name="Start a check-in round").click()
        status = console.locator("#round-status")
        expect(status).to_have_text(
            "A check-in round: Ann's turn. Still to come: Bo, Lee, Cy.", timeout=TIMEOUT
        )
        round_section = ann.locator("[data-round]")
        expect(round_section).to_contain_text("It's your turn.", timeout=TIMEOUT)
        expect(ann.locator("[data-announce]")).to_contain_text(
            "It's your turn: you have the floor", timeout=TIMEOUT
        )

        # Ann passes with one action; Bo shares and is done; the listener writes a line.
        round_section.get_by_role("button", name="Pass my turn").click()
        expect(status).to_have_text(
            "A check-in round: Bo's turn. Still to come: Lee, Cy. Passed: Ann.", timeout=TIMEOUT
        )
        expect(round_section).to_contain_text("Bo's turn.")
        expect(round_section.get_by_role("button", name="Pass my turn")).to_be_hidden()
        assert bo.emit("floor:release") == {"ok": True}
        expect(status).to_contain_text("Lee's turn", timeout=TIMEOUT)
        assert lee.emit("chat:send", {"text": "Just listening tonight, glad to be here."})["ok"] is True
        expect(round_section).to_contain_text("Cy's turn.", timeout=TIMEOUT)
        assert cy.emit("floor:release") == {"ok": True}

        expect(status).to_have_text("No round is going around.", timeout=TIMEOUT)
        expect(round_section).to_be_hidden()
        expect(ann.locator("[data-announce]")).to_contain_text("The round is complete.", timeout=TIMEOUT)
        expect(console.locator("#not-shared")).to_have_text("Not shared yet: Ann.")
        expect(console.get_by_role("button", name="Start a check-in round")).to_be_visible()
    finally:
        for peer in peers:
            peer.close()
