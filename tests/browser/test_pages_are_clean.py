"""Every page loads without a console error or a missing file (a favicon included), and shows no null."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.browser.room_helpers import get_ready
from tests.browser.test_console import TIMEOUT, open_console

pytestmark = pytest.mark.slow


def _watch(page) -> list[str]:
    """Console errors and failed responses of the page, as they come."""
    problems: list[str] = []
    page.on(
        "console", lambda message: message.type == "error" and problems.append(f"console: {message.text}")
    )
    page.on("pageerror", lambda error: problems.append(f"script: {error}"))
    page.on(
        "response",
        lambda response: response.status >= 400 and problems.append(f"{response.status} {response.url}"),
    )
    return problems


def _clean(page, problems: list[str], words: bool = True) -> None:
    page.wait_for_load_state("networkidle")
    assert problems == [], page.url
    icon = page.evaluate("document.querySelector('link[rel=icon]')?.href")
    assert icon and page.request.get(icon).status == 200
    for text in ("null", "undefined") if words else ():
        assert text not in page.locator("body").inner_text(), (text, page.url)


def test_no_page_logs_an_error_or_misses_a_file(make_circle, open_page):
    circle = make_circle(participants=1)
    facilitator = open_page()
    problems = _watch(facilitator)
    facilitator.goto(f"{circle.base_url}/facilitator/sign-in")
    _clean(facilitator, problems)
    sign_in(facilitator, circle)
    _clean(facilitator, problems)
    open_console(facilitator, circle)
    facilitator.get_by_role("button", name="Open the room").click()
    expect(facilitator.locator("#room-phase")).to_have_text("The room is open.", timeout=TIMEOUT)
    _clean(facilitator, problems)

    person = open_page(width=360)
    person_problems = _watch(person)
    get_ready(person, circle.join_links[0], "Sam", "listen_only")
    _clean(person, person_problems)
    facilitator.get_by_role("button", name="Admit Sam").click()
    person.locator('[data-step="room"]').wait_for(timeout=TIMEOUT)
    _clean(person, person_problems)
    _clean(facilitator, problems)

    for path in ("/help", "/help/GB"):
        person.goto(circle.base_url + path)
        _clean(person, person_problems)
    # The API reference names JSON's null as a type: only its errors and files are checked.
    person.goto(circle.base_url + "/api/v1/docs")
    _clean(person, person_problems, words=False)
