"""The facilitator's console at a glance, in a real browser: a circle of 8 at 1280 x 800."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import RECORD_ANNOUNCEMENTS, axe_serious, heard, said_in_order, screenshot, sign_in
from tests.browser.test_console import TIMEOUT, open_console, participant

# What the facilitator must see without scrolling, by the landmark that holds it.
KEY_PANELS = {
    "the stage's tiles": ".panel-stage [data-tiles]",
    "the alerts": ".panel-alerts",
    "the lobby": ".panel-lobby",
    "the queue": ".panel-queue",
    "the people": ".panel-people",
}


def _outside_the_viewport(page) -> list[str]:
    """The key panels whose box reaches past the window (page scrolled to the top)."""
    page.evaluate("window.scrollTo(0, 0)")
    return page.evaluate(
        """(panels) => Object.entries(panels).filter(([, selector]) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.height === 0 || box.top < 0 || box.left < 0
                || box.bottom > window.innerHeight || box.right > window.innerWidth;
        }).map(([name]) => name)""",
        KEY_PANELS,
    )


def _console_of_an_open_room(page, circle) -> None:
    """Signed in, in the console, the room opened."""
    sign_in(page, circle)
    open_console(page, circle)
    page.get_by_role("button", name="Open the room").click()
    expect(page.locator("#room-phase")).to_have_text("The room is open.", timeout=TIMEOUT)


def _circle_of_eight(page, circle):
    """Six people in the room (two hands raised, one sharing), two waiting, one support alert."""
    names = ["Sam", "Alex", "Robin", "Kit", "Jo", "Ash", "Lee", "Max"]
    modes = ["speak", "camera_off", "listen_only", "speak", "camera_off", "speak", "speak", "listen_only"]
    pairs = enumerate(zip(names, modes, strict=True))
    peers = [participant(circle, index, name, mode) for index, (name, mode) in pairs]
    for name in names[:6]:
        page.locator("#lobby-list").get_by_role("button", name=f"Admit {name}").click()
        expect(page.locator("#console-announce")).to_contain_text(f"{name} was admitted", timeout=TIMEOUT)
    for peer in peers[:6]:
        peer.state(lambda s: (s["you"] or {}).get("where") == "room")
    for peer in (peers[3], peers[0], peers[1]):
        assert peer.emit("hand:raise")["ok"] is True
    expect(page.locator("#queue-list").get_by_role("listitem")).to_have_count(3, timeout=TIMEOUT)
    page.get_by_role("button", name="Pass the floor to Kit").click()
    expect(page.locator("#floor-holder")).to_contain_text("Kit has the floor", timeout=TIMEOUT)
    assert peers[2].emit("support:request")["ok"] is True
    expect(page.locator("#alerts-list").get_by_role("listitem")).to_have_count(1, timeout=TIMEOUT)
    expect(page.locator(".tile")).to_have_count(7, timeout=TIMEOUT)
    return peers


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_circle_of_eight_fits_the_console_without_scrolling(make_circle, open_page, theme):
    circle = make_circle(participants=8)
    page = open_page(theme=theme, width=1280)
    _console_of_an_open_room(page, circle)
    peers = _circle_of_eight(page, circle)
    try:
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, "console-circle-of-8")
        screenshot(page, "console-at-a-glance", full_page=False)
        assert _outside_the_viewport(page) == []
        assert "null" not in page.locator("main").inner_text()
        assert "undefined" not in page.locator("main").inner_text()
        assert axe_serious(page) == []

        # The room controls are one step away, over the stage: the alerts stay in view.
        page.get_by_role("button", name="Room controls").click()
        controls = page.locator("#room-controls")
        expect(controls).to_be_visible()
        expect(controls.get_by_role("button", name="Lock the room")).to_be_visible()
        alerts = page.locator(".panel-alerts").bounding_box()
        box = controls.bounding_box()
        assert box["x"] + box["width"] <= alerts["x"], "the controls never cover the alerts"
        screenshot(page, "console-controls")
        assert axe_serious(page) == []
        page.keyboard.press("Escape")
        expect(controls).to_be_hidden()
        expect(page.get_by_role("button", name="Room controls")).to_be_focused()
    finally:
        for peer in peers:
            peer.close()


def test_shortcuts_one_persons_actions_at_a_time_and_the_floor_after_the_end(make_circle, open_page):
    circle = make_circle(participants=2)
    page = open_page()
    page.add_init_script(RECORD_ANNOUNCEMENTS)
    _console_of_an_open_room(page, circle)
    announce = page.locator("#console-announce")
    sam, alex = participant(circle, 0, "Sam"), participant(circle, 1, "Alex")
    try:
        # The shortcuts the page lists: admit the first person waiting, next hand, mute everyone.
        expect(page.locator("#lobby-list").get_by_role("listitem")).to_have_count(2, timeout=TIMEOUT)
        page.keyboard.press("Alt+KeyA")
        expect(announce).to_contain_text("Sam was admitted", timeout=TIMEOUT)
        expect(page.locator("#lobby-list")).not_to_contain_text("Sam")
        page.keyboard.press("Alt+KeyA")
        expect(announce).to_contain_text("Alex was admitted", timeout=TIMEOUT)
        page.keyboard.press("Alt+KeyN")
        expect(announce).to_contain_text("No hands are raised.", timeout=TIMEOUT)
        sam.state(lambda s: (s["you"] or {}).get("where") == "room")
        assert sam.emit("hand:raise")["ok"] is True
        expect(page.locator("#queue-list").get_by_role("listitem")).to_have_count(1, timeout=TIMEOUT)
        page.keyboard.press("Alt+KeyN")
        holder = page.locator("#floor-holder")
        expect(holder).to_contain_text("Sam has the floor", timeout=TIMEOUT)
        # No share timer is set: the line holds a sentence and a button, never the word "null".
        expect(holder).to_have_text("Sam has the floor and welcomes responses.Take the floor back")
        page.keyboard.press("Alt+KeyM")
        expect(announce).to_contain_text("Everyone is muted.", timeout=TIMEOUT)
        assert sam.state(lambda s: s["you"]["muted"])["you"]["muted"] is True
        # Each happening was told once, politely, in the order it happened.
        said = heard(page, "console-announce")
        expected = [
            "Sam is waiting in the lobby",
            "Alex is waiting in the lobby",
            "Sam was admitted",
            "Alex was admitted",
            "No hands are raised.",
            "Sam raised a hand",
            "Sam has the floor",
            "Everyone is muted.",
        ]
        assert said_in_order(said, expected), said
        assert sum("Sam was admitted" in line for line in said) == 1, said
        # Typing in a box is typing: Alt+C there opens nothing.
        page.get_by_label("Write to the room").click()
        page.keyboard.press("Alt+KeyC")
        expect(page.locator("#room-controls")).to_be_hidden()
        page.keyboard.press("Escape")
        page.locator("#people-heading").focus()
        page.keyboard.press("Alt+KeyC")
        expect(page.locator("#room-controls")).to_be_visible()
        page.keyboard.press("Alt+KeyC")
        expect(page.locator("#room-controls")).to_be_hidden()

        # One person's actions at a time; Escape and a click elsewhere close them.
        people = page.locator("#people-list")
        people.get_by_role("button", name="Actions for Sam").click()
        people.get_by_role("button", name="Actions for Alex").click()
        expect(people.locator("[aria-expanded=true]")).to_have_count(1)
        expect(people.get_by_role("group", name="Actions for Alex")).to_be_visible()
        expect(people.get_by_role("group", name="Actions for Sam")).to_have_count(0)
        people.get_by_role("button", name="Message Alex privately").focus()
        page.keyboard.press("Escape")
        expect(people.get_by_role("group")).to_have_count(0)
        expect(people.get_by_role("button", name="Actions for Alex")).to_be_focused()
        people.get_by_role("button", name="Actions for Sam").click()
        page.locator("#queue-heading").click()
        expect(people.get_by_role("group")).to_have_count(0)

        # After the end nobody is said to hold the floor.
        page.get_by_role("button", name="End the session…").click()
        dialog = page.get_by_role("dialog", name="End the session?")
        dialog.get_by_label("End it now").check()
        dialog.get_by_role("button", name="End the session", exact=True).click()
        expect(holder).to_have_text("The session has ended: nobody has the floor.", timeout=TIMEOUT)
        expect(page.locator("#queue-list").get_by_role("listitem")).to_have_count(0)
        for text in ("null", "undefined"):
            assert text not in page.locator("main").inner_text()
    finally:
        sam.close()
        alex.close()
