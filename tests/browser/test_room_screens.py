"""The participant's screens in a real browser: the agreement's error, chips, toggles, what is announced."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import RECORD_ANNOUNCEMENTS, axe_serious, heard, said_in_order, screenshot
from tests.browser.room_helpers import WAIT_MS, get_ready, in_room, seat_named
from tests.browser.test_participant import VARIANTS, open_room

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("theme", "width"), VARIANTS)
def test_continuing_without_ticking_shows_an_error_summary(make_circle, open_page, theme, width):
    circle, _host = open_room(make_circle, open_page)
    page = open_page(theme=theme, width=width)
    page.goto(circle.join_links[0])
    page.locator("[data-agree-form]").wait_for()
    title = page.title()
    page.get_by_role("button", name="Continue").click()

    # As the GOV.UK Design System does: a summary, focused, linking to the box; a message by it.
    summary = page.locator("[data-agree-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    box = page.get_by_label("I have read the agreement and I accept it")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_accessible_description(
        "Error: Tick the box to say you have read the agreement and accept it"
    )
    assert page.title() == f"Error: {title}"
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth"), "nothing scrolls sideways"
    screenshot(page, "agreement-error")
    assert axe_serious(page) == []
    summary.get_by_role("link", name="Tick the box to say you have read the agreement and accept it").click()
    expect(box).to_be_focused()

    page.keyboard.press("Space")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Getting ready")).to_be_visible()
    assert page.title() == title


def test_the_room_announces_once_and_in_order_and_every_tile_has_a_chip(make_circle, open_page):
    circle, host = open_room(make_circle, open_page, participants=2)
    sam, alex = open_page(), open_page()
    sam.add_init_script(RECORD_ANNOUNCEMENTS)
    get_ready(sam, circle.join_links[0], "Sam", "camera_off")
    get_ready(alex, circle.join_links[1], "Alex", "speak")
    host.admit_all()
    for page in (sam, alex):
        in_room(page)
    stage = sam.locator("[data-stage]")
    expect(stage.locator(".tile")).to_have_count(3, timeout=WAIT_MS)

    # Every tile says how its person takes part, the speaker's too.
    alex_tile = stage.locator(f"[data-seat='{seat_named(host, 'Alex')['seat_id']}']")
    expect(alex_tile.locator(".badge")).to_have_text(["Can speak"])
    for tile in stage.locator(".tile").all():
        assert tile.locator(".badge").count() >= 1

    # Toggles say whether they are on.
    hand = sam.get_by_role("button", name="Raise my hand")
    away = sam.get_by_role("button", name="Step away")
    expect(hand).to_have_attribute("aria-pressed", "false")
    alex.get_by_role("button", name="Raise my hand").click()
    expect(stage.locator("[data-queue] li")).to_have_count(1, timeout=WAIT_MS)
    hand.click()
    expect(hand).to_have_attribute("aria-pressed", "true", timeout=WAIT_MS)
    away.click()
    expect(away).to_have_attribute("aria-pressed", "true", timeout=WAIT_MS)
    away.click()
    expect(away).to_have_attribute("aria-pressed", "false", timeout=WAIT_MS)

    # The floor passes to Alex, Sam moves up, then it is Sam's turn with a one-minute share.
    alex_seat, sam_seat = seat_named(host, "Alex")["seat_id"], seat_named(host, "Sam")["seat_id"]
    assert host.send("floor:pass", {"to": alex_seat})["ok"]
    expect(stage.locator("[data-floor-text]")).to_have_text("Alex has the floor.", timeout=WAIT_MS)
    assert host.send("floor:timer", {"seconds": 60})["ok"]
    assert host.send("floor:pass", {"to": sam_seat})["ok"]
    expect(stage.locator("[data-floor-text]")).to_contain_text("You have the floor", timeout=WAIT_MS)
    expect(alex_tile.locator(".badge")).to_have_text(["Can speak"])
    expect(stage.locator(f"[data-seat='{sam_seat}'] .badge")).to_contain_text(["Has the floor", "Camera off"])
    # Thirty seconds before the end of the share the speaker is told, once, gently.
    sam.wait_for_function(
        "() => window.heard.some(([, text]) => text.startsWith('About 30 seconds'))", timeout=45_000
    )

    said = heard(sam, "announce")
    expected = [
        "Alex raised a hand.",
        "Your hand is raised. You are number 2 in the queue.",
        "You've stepped away.",
        "Welcome back.",
        "The floor passed to Alex.",
        "You are now number 1 in the queue.",
        "It's your turn: you have the floor.",
        "About 30 seconds of your share time left.",
    ]
    assert said_in_order(said, expected), said
    for phrase in expected:
        assert sum(phrase in line for line in said) == 1, (phrase, said)
    assert axe_serious(sam) == []
    for text in ("null", "undefined"):
        assert text not in sam.locator("main").inner_text()
