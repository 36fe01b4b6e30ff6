"""The facilitator's sessions list and console in a real browser, with participants over Socket.IO."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_serious, screenshot, sign_in
from tests.realtime_e2e.helpers import Peer

TIMEOUT = 10_000  # ms for one expected change on the page


def participant(circle, index: int, name: str, mode: str = "speak") -> Peer:
    """A participant who connects with their join link and agrees, so they wait in the lobby."""
    token = circle.join_links[index].rstrip("/").rsplit("/", 1)[1]
    peer = Peer().connect(circle.base_url, {"token": token, "session_id": circle.session_id})
    assert peer.emit("room:agree", {"display_name": name, "mode": mode}) == {"ok": True}
    return peer


def open_console(page, circle) -> None:
    """From the sessions list (signed in) into the console, connected."""
    page.locator(".session-list > li").first.get_by_role("link").click()
    page.wait_for_url(f"{circle.base_url}/facilitator/sessions/{circle.session_id}")
    expect(page.locator("#console-connection")).to_have_text("Connected to the room.", timeout=TIMEOUT)


def test_a_facilitator_opens_admits_and_passes_the_floor(make_circle, open_page):
    circle = make_circle(participants=2)
    page = open_page()
    sign_in(page, circle)
    links = page.locator(".session-list > li").get_by_role("link")
    assert links.first.get_attribute("href") == f"/facilitator/sessions/{circle.session_id}"
    expect(links.first).to_contain_text("Thursday evening circle")
    assert links.count() >= 2, "the weekly circle's next meetings are listed too"
    open_console(page, circle)
    announce = page.locator("#console-announce")
    refusal = page.locator("#console-refusal")

    page.get_by_role("button", name="Open the room").click()
    expect(page.locator("#room-phase")).to_have_text("The room is open.", timeout=TIMEOUT)
    expect(page.get_by_role("button", name="Open the room")).to_be_hidden()

    peers = [participant(circle, 0, "Sam")]
    try:
        expect(announce).to_contain_text("Sam is waiting in the lobby", timeout=TIMEOUT)
        page.get_by_role("button", name="Admit Sam").click()
        expect(announce).to_contain_text("Sam was admitted", timeout=TIMEOUT)
        expect(page.locator("#lobby-empty")).to_be_visible()
        sam = peers[0]
        sam.state(lambda s: (s["you"] or {}).get("where") == "room")

        # A refusal is shown, and changes nothing: nobody is admitted to a locked room.
        page.get_by_role("button", name="Room controls").click()
        page.get_by_role("button", name="Lock the room").click()
        expect(page.locator("#lock-room")).to_have_attribute("aria-pressed", "true", timeout=TIMEOUT)
        page.keyboard.press("Escape")
        peers.append(participant(circle, 1, "Alex", mode="listen_only"))
        page.get_by_role("button", name="Admit Alex").click()
        expect(refusal).to_contain_text("locked", timeout=TIMEOUT)
        expect(page.locator("#lobby-list")).to_contain_text("Alex")
        page.get_by_role("button", name="Room controls").click()
        page.locator("#lock-room").click()
        expect(page.locator("#lock-room")).to_have_attribute("aria-pressed", "false", timeout=TIMEOUT)
        page.keyboard.press("Escape")
        page.get_by_role("button", name="Admit everyone").click()
        expect(announce).to_contain_text("Alex was admitted", timeout=TIMEOUT)
        expect(refusal).to_be_empty()

        assert sam.emit("hand:raise")["ok"] is True
        expect(announce).to_contain_text("Sam raised a hand", timeout=TIMEOUT)
        queue = page.locator("#queue-list")
        expect(queue.get_by_role("listitem")).to_have_count(1)
        queue.get_by_role("button", name="Pass the floor to Sam").click()
        expect(page.locator("#floor-holder")).to_contain_text("Sam has the floor", timeout=TIMEOUT)
        assert sam.state(lambda s: s["you"]["has_floor"])["floor"]["seat_id"].startswith("p-")
        expect(page.locator("#queue-empty")).to_be_visible()

        # Per-person actions sit behind an Actions button; choosing one closes them, focus goes
        # back to the button, and muting shows at once in the person's line.
        people = page.locator("#people-list")
        actions = people.get_by_role("button", name="Actions for Sam")
        actions.click()
        expect(actions).to_have_attribute("aria-expanded", "true")
        people.get_by_role("button", name="Mute Sam").click()
        expect(people).to_contain_text("muted by a facilitator", timeout=TIMEOUT)
        assert sam.state(lambda s: s["you"]["muted"])["you"]["may_publish_audio"] is False
        expect(actions).to_be_focused()
        expect(actions).to_have_attribute("aria-expanded", "false")
        expect(people.get_by_role("button", name="Unmute Sam")).to_have_count(0)

        # Chat arrives in the console as text, never as markup.
        assert sam.emit("chat:send", {"text": "<b>thank you</b> all"})["ok"] is True
        expect(page.locator("#chat-list")).to_contain_text("<b>thank you</b> all", timeout=TIMEOUT)
        expect(page.get_by_role("button", name="Delete Sam's message")).to_be_visible()
    finally:
        for peer in peers:
            peer.close()


def test_ending_asks_first_and_escape_keeps_the_session(make_circle, open_page):
    circle = make_circle(participants=0)
    page = open_page()
    sign_in(page, circle)
    open_console(page, circle)
    page.get_by_role("button", name="Open the room").click()
    expect(page.locator("#room-phase")).to_have_text("The room is open.", timeout=TIMEOUT)

    opener = page.get_by_role("button", name="End the session…")
    opener.click()
    dialog = page.get_by_role("dialog", name="End the session?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Keep the session going")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

    opener.click()
    dialog.get_by_label("End it now").check()
    dialog.get_by_role("button", name="End the session", exact=True).click()
    expect(page.locator("#console-connection")).to_contain_text("The session has ended", timeout=TIMEOUT)
    status = circle.api.get(f"{circle.api_url}/sessions/{circle.session_id}").json()["status"]
    assert status == "ended"


def test_a_facilitator_not_assigned_gets_not_found(make_circle, open_page):
    mine, theirs = make_circle(participants=0), make_circle(participants=0)
    page = open_page()
    sign_in(page, mine)
    response = page.goto(f"{mine.base_url}/facilitator/sessions/{theirs.session_id}")
    assert response.status == 404
    assert "Thursday evening circle" not in page.content()


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 360])
def test_pages_are_accessible_in_every_look(make_circle, open_page, theme, width):
    circle = make_circle(participants=1)
    page = open_page(theme=theme, width=width)
    sign_in(page, circle)
    assert axe_serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing scrolls sideways"
    screenshot(page, "facilitator-sessions")

    open_console(page, circle)
    sam = participant(circle, 0, "Sam")
    try:
        expect(page.get_by_role("button", name="Admit Sam")).to_be_visible(timeout=TIMEOUT)
        page.locator("#people-list").get_by_role("button", name="Actions for Sam").click()
        assert axe_serious(page) == []
        page.get_by_role("button", name="Room controls").click()
        assert axe_serious(page) == []
        page.keyboard.press("Escape")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing scrolls sideways"
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, "console")
    finally:
        sam.close()
