"""Help without a connection or a script, and "Exit now", in a real browser."""

from __future__ import annotations

import time
import uuid

import pytest
from playwright.sync_api import expect

from service.domain import organizations
from service.extensions import db
from service.models import Group
from tests.browser.helpers import axe_serious, screenshot
from tests.browser.room_helpers import WAIT_MS, get_ready, in_room, seat_named
from tests.browser.test_participant import VARIANTS, open_room

pytestmark = pytest.mark.slow

NEUTRAL = "https://weather.example/"
DEPLOYMENT_NEUTRAL = "https://www.bbc.co.uk/weather"
NEUTRAL_PAGE = "<!doctype html><html lang='en'><title>Weather</title><h1>Today's weather</h1></html>"
LINES = "li.resource a[href^='tel:']"


def _neutral_sites(page) -> None:
    """The neutral sites answer from here: this machine's network is closed."""
    for site in (NEUTRAL, DEPLOYMENT_NEUTRAL):
        page.context.route(
            f"{site}**", lambda route: route.fulfill(content_type="text/html", body=NEUTRAL_PAGE)
        )


def _choose_exit_url(server_app, circle, url: str) -> None:
    with server_app.app_context():
        group = db.session.get(Group, uuid.UUID(circle.group_id))
        organizations.set_exit_url(group.organization_id, url)


def _calls(scope) -> list[str]:
    return [
        href.removeprefix("tel:")
        for href in scope.locator(LINES).evaluate_all("(as) => as.map((a) => a.getAttribute('href'))")
    ]


def _fits(page) -> bool:
    return page.evaluate(
        "() => document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
    )


def test_help_works_with_javascript_off(make_circle, open_page, hearth_server):
    page = open_page(javascript=False)
    page.goto(f"{hearth_server.url}/help")
    page.get_by_role("link", name="United Kingdom").click()
    page.wait_for_url("**/help/GB")
    assert page.locator("li.resource h3").first.inner_text() == "Samaritans"
    assert "999" in _calls(page) and "911" not in _calls(page)
    assert page.get_by_role("link", name="Exit now").get_attribute("href") == DEPLOYMENT_NEUTRAL
    screenshot(page, "help-without-scripts")

    circle = make_circle(participants=1)
    page.goto(circle.join_links[0])
    panel = page.locator("#help-now")
    assert panel.is_visible() and panel.locator("li.resource h3").first.inner_text() == "Samaritans"
    page.get_by_role("link", name="Get help now").click()
    page.wait_for_url("**#help-now")
    assert panel.locator(LINES).first.is_visible()
    assert page.get_by_role("link", name="Exit now").is_visible()

    # Waitlisted, and after the session is cancelled: the same lines, from the server alone.
    api = circle.api
    changed = api.patch(
        f"{circle.api_url}/groups/{circle.group_id}", json={"capacity": 2, "waitlist_enabled": True}
    )
    assert changed.status_code == 200, changed.text
    registrations = f"{circle.api_url}/groups/{circle.group_id}/registrations"
    assert api.post(registrations, json={}).json()["status"] == "active", "the last free seat"
    waitlisted = api.post(registrations, json={"region": "UK"})
    assert waitlisted.json()["status"] == "waitlisted", waitlisted.text
    page.goto(waitlisted.json()["join_url"])
    page.get_by_text("You are on the waitlist").wait_for()
    assert "999" in _calls(panel) and panel.is_visible()
    cancelled = api.post(f"{circle.api_url}/sessions/{circle.session_id}/cancel", json={"reason": "Holiday"})
    assert cancelled.status_code == 200, cancelled.text
    page.goto(circle.join_links[0])
    assert "999" in _calls(panel) and panel.is_visible()

    # A link that works no more still leads to help.
    page.goto(f"{hearth_server.url}/join/not-a-real-link")
    page.get_by_role("link", name="crisis lines and warmlines are here").click()
    page.wait_for_url("**/help")
    assert _calls(page)[0] == "112"


def test_help_is_in_the_page_in_every_end_and_without_a_connection(make_circle, open_page):
    circle, host = open_room(make_circle, open_page, participants=3)

    unreachable = open_page()
    unreachable.route("**/socket.io/**", lambda route: route.abort())
    unreachable.goto(circle.join_links[0])
    unreachable.get_by_role("link", name="Get help now").click()
    panel = unreachable.locator("#help-now")
    assert panel.evaluate("(el) => el === document.activeElement")
    assert "999" in _calls(panel)

    pages = {name: open_page() for name in ("Sam", "Ari", "Kai")}
    for index, (name, page) in enumerate(pages.items()):
        get_ready(page, circle.join_links[index], name, "listen_only")
    host.admit_all()
    for page in pages.values():
        in_room(page)
        assert page.locator("#help-now").is_hidden(), "in the room its own button opens the lines"

    kai = pages["Kai"]
    kai.context.set_offline(True)
    kai.locator("[data-stage] [data-help-open]").click()
    dialog = kai.locator("[data-help-dialog]")
    assert dialog.get_by_text("Lines for the United Kingdom first").is_visible()
    assert "999" in _calls(dialog) and "could not look up" not in dialog.inner_text()
    kai.keyboard.press("Escape")
    kai.context.set_offline(False)
    kai.locator("[data-reconnecting]").wait_for(state="hidden", timeout=WAIT_MS)

    assert host.send("seat:remove", {"seat_id": seat_named(host, "Sam")["seat_id"]})["ok"]
    assert host.send("seat:bar", {"seat_id": seat_named(host, "Ari")["seat_id"]})["ok"]
    for name in ("Sam", "Ari"):
        pages[name].locator('[data-step="removed"]').wait_for(timeout=WAIT_MS)
    assert host.send("room:end", {"notice": False})["ok"]
    kai.get_by_text("The circle has ended").wait_for(timeout=WAIT_MS)
    for page in pages.values():
        panel = page.locator("#help-now")
        assert panel.is_visible() and "999" in _calls(panel)
        assert page.get_by_role("link", name="Exit now").is_visible()


def test_exit_now_leaves_at_once_and_back_does_not_return(make_circle, open_page, server_app, hearth_server):
    circle, host = open_room(make_circle, open_page, participants=2)
    _choose_exit_url(server_app, circle, NEUTRAL)
    home = f"{hearth_server.url}/"

    # A click, from the lobby: the seat goes quietly and Back leads to the page before.
    waiting = open_page()
    _neutral_sites(waiting)
    waiting.goto(home)
    get_ready(waiting, circle.join_links[0], "Sam", "listen_only")
    waiting.get_by_role("link", name="Exit now").click()
    waiting.wait_for_url(NEUTRAL)
    assert _wait_for(lambda: all(s["display_name"] != "Sam" for s in host.state()["seats"]))
    waiting.go_back()
    assert waiting.url == home

    # The shortcut, from the room: Shift for capitals is typing, three Shifts alone leave.
    seated = open_page()
    _neutral_sites(seated)
    get_ready(seated, circle.join_links[1], "Ari", "listen_only")
    host.admit_all()
    in_room(seated)
    assert seated.get_by_text("or press Shift 3 times").is_visible()
    seated.get_by_role("textbox", name="Your message to the circle").click()
    for key in ("Shift+H", "Shift+T", "Shift+B"):
        seated.keyboard.press(key)
    seated.wait_for_timeout(500)
    assert seated.url == circle.join_links[1]
    for _ in range(3):
        seated.keyboard.press("Shift")
    seated.wait_for_url(NEUTRAL)
    assert _wait_for(lambda: all(s["display_name"] != "Ari" for s in host.state()["seats"]))
    seated.go_back()
    assert seated.url != circle.join_links[1]

    # And from /help, which knows no organization: the deployment's neutral page.
    helped = open_page()
    _neutral_sites(helped)
    helped.goto(home)
    helped.goto(f"{hearth_server.url}/help/GB")
    for _ in range(3):
        helped.keyboard.press("Shift")
    helped.wait_for_url(DEPLOYMENT_NEUTRAL)
    helped.go_back()
    assert helped.url == home


def _wait_for(check, tries: int = 50) -> bool:
    for _ in range(tries):
        if check():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize(("theme", "width"), VARIANTS)
def test_the_help_page_is_accessible_and_fits_a_phone(theme, width, open_page, hearth_server):
    page = open_page(theme=theme, width=width)
    page.goto(f"{hearth_server.url}/help/GB")
    screenshot(page, "help")
    assert axe_serious(page) == []
    assert _fits(page)
    page.goto(f"{hearth_server.url}/help")
    assert axe_serious(page) == []
    assert _fits(page)


@pytest.mark.parametrize(("theme", "width"), VARIANTS)
def test_the_join_pages_help_panel_fits_a_phone(make_circle, open_page, theme, width):
    circle = make_circle(participants=1)
    page = open_page(theme=theme, width=width)
    page.goto(circle.join_links[0])
    page.locator("[data-agree-form]").wait_for()
    page.get_by_role("link", name="Get help now").click()
    panel = page.locator("#help-now")
    assert _fits(page)
    assert axe_serious(page) == []
    # The person's own lines at once, as buttons to call or text, with their name and hours.
    first = panel.locator("li.resource").first
    assert first.locator("h3").inner_text() == "Samaritans"
    expect(first.get_by_role("link", name="Call 116 123")).to_have_attribute("href", "tel:116123")
    expect(first).to_contain_text("24 hours a day")
    expect(panel.get_by_role("link", name="Text 85258")).to_have_attribute("href", "sms:85258")
    expect(panel.locator(".help-danger").get_by_role("link", name="Call 999")).to_be_visible()
    # Lines for anywhere wait behind a disclosure; no raw address is a link's words.
    more = panel.locator("details.more-lines")
    expect(more).not_to_have_attribute("open", "")
    expect(more.locator("li.resource").first).to_be_hidden()
    for text in panel.get_by_role("link").all_inner_texts():
        assert "://" not in text, text
    screenshot(page, "help-panel")
    # The panel alone, for the README: a window tall enough that the sticky bar does not cover it.
    page.set_viewport_size({"width": width, "height": 1600})
    screenshot(page, "help-panel-alone", part=panel)
    page.set_viewport_size({"width": width, "height": 740 if width == 360 else 800})
    if width == 360:
        height = panel.evaluate("(el) => el.getBoundingClientRect().height")
        # It was 4,400 px long with every line at once; now two screens at the most.
        assert height <= 2 * 740, f"the panel is compact on a phone ({height:.0f} px)"
    more.locator("summary").click()
    expect(more.locator("li.resource").first).to_be_visible()
    assert _fits(page)
    assert axe_serious(page) == []
