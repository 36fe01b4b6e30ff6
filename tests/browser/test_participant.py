"""The participant's way in, from the join link to the room and out, in a real browser."""

from __future__ import annotations

import pytest

from tests.browser.helpers import axe_serious, screenshot, sign_in
from tests.browser.room_helpers import COUNT_DEVICE_REQUESTS, Host, get_ready, in_room

pytestmark = pytest.mark.slow

VARIANTS = [("light", 1280), ("dark", 1280), ("light", 360), ("dark", 360)]


def open_room(make_circle, open_page, participants: int = 1):
    circle = make_circle(participants=participants)
    host_page = open_page()
    sign_in(host_page, circle)
    host = Host(host_page, circle.session_id)
    assert host.send("room:open") == {"ok": True}
    return circle, host


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def check(page, name: str) -> None:
    screenshot(page, name)
    assert axe_serious(page) == [], name


@pytest.mark.parametrize(("theme", "width"), VARIANTS)
def test_each_step_is_accessible_and_photographed(theme, width, make_circle, open_page):
    circle, host = open_room(make_circle, open_page)
    page = open_page(theme=theme, width=width)
    page.goto(circle.join_links[0])
    page.locator("[data-agree-form]").wait_for()
    assert "your time" in page.locator("[data-local='zone']").inner_text()
    check(page, "join")

    page.get_by_label("I have read the agreement and I accept it").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("The name others will see").fill("Sam")
    page.locator("input[name=mode][value=speak]").check()
    page.get_by_label("Turn my camera on").check()
    page.locator("[data-camera-preview]").wait_for()
    page.locator("[data-mic-status]").filter(has_text="level below").wait_for()
    check(page, "device-check")

    page.locator("[data-device-form] button[type=submit]").click()
    page.locator('[data-step="checkin"]').wait_for()
    check(page, "check-in")
    page.get_by_role("button", name="Skip").click()
    page.get_by_text("Waiting for the facilitator to let you in.").wait_for()
    check(page, "lobby")

    host.admit_all()
    in_room(page)
    page.locator(".tile").nth(1).wait_for()
    check(page, "room")

    page.get_by_role("button", name="Leave quietly").click()
    page.get_by_role("dialog").get_by_role("button", name="Leave").click()
    page.get_by_text("Thank you for being here").wait_for()
    check(page, "goodbye")


def test_the_whole_way_in_works_with_the_keyboard_alone(make_circle, open_page):
    circle, host = open_room(make_circle, open_page)
    page = open_page()
    page.add_init_script(COUNT_DEVICE_REQUESTS)
    page.goto(circle.join_links[0])
    page.locator("[data-agree-form]").wait_for()

    tab_to(page, "input[name=accept]")
    page.keyboard.press("Space")
    tab_to(page, "[data-agree-form] button[type=submit]")
    page.keyboard.press("Enter")

    page.locator('[data-step="device"]').wait_for()
    tab_to(page, "#display-name")
    page.keyboard.type("Kai")
    tab_to(page, "input[name=mode][value=listen_only]")
    page.keyboard.press("Space")
    tab_to(page, "[data-device-form] button[type=submit]")
    page.keyboard.press("Enter")

    page.locator('[data-step="checkin"]').wait_for()
    tab_to(page, "input[name=arriving]")
    page.keyboard.press("Space")
    tab_to(page, "[data-checkin-form] button[type=submit]")
    page.keyboard.press("Enter")

    page.get_by_text("Waiting for the facilitator to let you in.").wait_for()
    host.admit_all()
    in_room(page)
    assert page.locator(".badge", has_text="Listening").first.is_visible()

    # "Get help now" opens a dialog that Escape closes, giving focus back.
    tab_to(page, "[data-stage] [data-help-open]")
    page.keyboard.press("Enter")
    dialog = page.locator("[data-help-dialog]")
    dialog.wait_for()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.matches('[data-stage] [data-help-open]')")

    tab_to(page, "[data-leave]")
    page.keyboard.press("Enter")
    page.locator("[data-leave-dialog]").wait_for()
    tab_to(page, "input[name=leaving_now]")
    page.keyboard.press("Space")
    tab_to(page, "[data-leave-form] button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_text("Thank you for being here").wait_for()
    assert page.evaluate("window.deviceRequests") == 0
    assert all(s["display_name"] != "Kai" for s in host.state()["seats"]), "the seat is gone, quietly"


def test_the_chat_shows_text_as_text_and_follows_a_pause(make_circle, open_page):
    circle, host = open_room(make_circle, open_page)
    page = open_page()
    get_ready(page, circle.join_links[0], "Sam", "listen_only")
    host.admit_all()
    in_room(page)
    page.get_by_role("textbox", name="Your message to the circle").fill("<b>hello</b> & welcome")
    page.get_by_role("button", name="Send", exact=True).click()
    line = page.locator("[data-chat-log] li .chat-text")
    line.wait_for()
    assert line.inner_text() == "<b>hello</b> & welcome"
    assert page.locator("[data-chat-log] b").count() == 0
    assert host.send("chat:pause", {"paused": True}) == {"ok": True}
    page.get_by_text("The chat is not open right now.").wait_for()


def test_help_and_support_are_within_reach_from_the_group_page_to_the_room(make_circle, open_page):
    circle, host = open_room(make_circle, open_page)
    page = open_page()
    page.goto(circle.join_links[0])
    page.locator("[data-agree-form]").wait_for()
    page.get_by_role("link", name="Get help now").click()
    panel = page.locator("#help-now")
    assert panel.evaluate("(el) => el === document.activeElement"), "the lines are where focus goes"
    assert panel.locator("li.resource a[href^='tel:'], li.resource a[href^='sms:']").count() > 0
    assert page.url == circle.join_links[0], "no history entry that Back would return to"

    get_ready(page, circle.join_links[0], "Sam", "listen_only")
    host.admit_all()
    in_room(page)
    page.get_by_role("button", name="I need support").click()
    panel = page.locator("[data-stage] [data-support-panel]")
    panel.get_by_text("A facilitator has been told").wait_for()
    assert panel.locator("li.resource").count() > 0
    alerts = host.state()["alerts"]
    assert [(a["kind"], a["display_name"]) for a in alerts] == [("support_request", "Sam")]


def test_risk_language_brings_its_author_a_private_resource_card(make_circle, open_page):
    circle, host = open_room(make_circle, open_page, participants=2)
    sam, ari = open_page(), open_page()
    get_ready(sam, circle.join_links[0], "Sam", "listen_only")
    get_ready(ari, circle.join_links[1], "Ari", "listen_only")
    host.admit_all()
    in_room(sam)
    in_room(ari)
    sam.get_by_role("textbox", name="Your message to the circle").fill("I want to kill myself tonight")
    sam.get_by_role("button", name="Send", exact=True).click()
    sam.locator("[data-stage] [data-support-panel]").get_by_text("You are not alone").wait_for()
    ari.locator("[data-chat-log] li").wait_for()
    assert ari.locator("[data-support-panel]").is_hidden(), "nothing about it reaches the others"
