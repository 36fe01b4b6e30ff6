"""The facilitator's sign-in page in a real browser."""

from __future__ import annotations

import pytest

from service.web.signin import FAILED
from tests.browser.helpers import axe_serious, screenshot, sign_in


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 360])
def test_sign_in_page_is_accessible_in_every_look(make_circle, open_page, theme, width):
    circle = make_circle(participants=0)
    page = open_page(theme=theme, width=width)
    page.goto(f"{circle.base_url}/facilitator/sign-in")
    assert axe_serious(page) == []
    screenshot(page, "sign-in")


def test_a_wrong_password_is_told_and_the_right_one_signs_in(make_circle, open_page):
    circle = make_circle(participants=0)
    page = open_page()
    page.goto(f"{circle.base_url}/facilitator/sign-in")
    page.get_by_label("Email").fill(circle.facilitator_email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == FAILED
    sign_in(page, circle)
    assert page.get_by_role("heading", level=1).is_visible()
