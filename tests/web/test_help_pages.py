"""/help: a region's crisis lines and warmlines, rendered by the server for anyone, without a script."""

from __future__ import annotations

import re

import pytest

from service.config import DEFAULT_EXIT_URL
from tests.web.lines import calls, emergency_button, names

GB_ORDER = [
    "Samaritans",
    "Shout",
    "NHS 111, mental health option",
    "Mind Infoline",
    "Emergency services (if you or someone else is in immediate danger)",
    "Find A Helpline",
]


def test_help_needs_no_sign_in_and_offers_every_country(client):
    page = client.get("/help")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Lines you can reach from anywhere" in html
    assert names(html) == [
        "Emergency services (if you or someone else is in immediate danger)",
        "Find A Helpline",
    ]
    assert calls(html)[0] == "112", "the number that works in the most countries first"
    for code in ("US", "CA", "GB", "IE", "AU", "NZ", "INTL"):
        assert f'href="/help/{code}"' in html
    assert f'<a class="link-button exit-now" href="{DEFAULT_EXIT_URL}"' in html
    assert re.findall(r"<script[^>]*>", html) == ['<script type="module" src="/static/js/help/help.js">']
    assert "style=" not in html and "<style" not in html
    # Nothing is loaded from another host: every script and stylesheet is Hearth's own.
    assert all(
        src.startswith("/static/") for src in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    )


def test_a_uk_page_shows_its_own_lines_first_and_its_own_emergency_number(client):
    html = client.get("/help/GB").get_data(as_text=True)
    assert "Lines for the United Kingdom" in html
    assert names(html) == GB_ORDER
    assert calls(html) == ["116123", "111", "03001233393", "999"]
    assert 'href="sms:85258"' in html
    assert '<a href="/help/GB" aria-current="page">United Kingdom</a>' in html
    # The country's emergency number is a button in the first sentence; the lines for anywhere
    # wait behind a disclosure; a page is named by its site, never by its whole address.
    assert emergency_button(html) == "999"
    local, _, anywhere = html.partition('<details class="more-lines">')
    assert names(local) == GB_ORDER[:4] and names(anywhere) == GB_ORDER[4:]
    assert ">Visit samaritans.org</a>" in html and ">https://" not in html


@pytest.mark.parametrize(
    ("asked", "canonical"), [("uk", "/help/GB"), ("gb", "/help/GB"), ("us-ca", "/help/US-CA")]
)
def test_region_codes_are_read_kindly(client, asked, canonical):
    response = client.get(f"/help/{asked}")
    assert response.status_code == 301 and response.headers["Location"] == canonical


def test_a_subdivision_gets_its_countrys_lines(client):
    html = client.get("/help/US-CA").get_data(as_text=True)
    assert "Lines for the United States (US-CA)" in html
    assert names(html)[0] == "988 Suicide & Crisis Lifeline" and "911" in calls(html)


def test_a_country_without_lines_is_told_so_and_still_helped(client):
    html = client.get("/help/FR").get_data(as_text=True)
    assert "We don't list lines for FR yet" in html
    assert "Lines you can reach from anywhere" in html and "Lines for FR" not in html
    assert calls(html) == ["112", "911", "999", "000", "111"]
    assert emergency_button(html) is None and "your local emergency number now" in html
    assert "more-lines" not in html, "with no lines of its own, every line is shown at once"


def test_a_region_that_is_no_region_still_gets_help(client):
    response = client.get("/help/not-a-region!")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "We don't know that region" in html and calls(html)[0] == "112"
    assert 'href="/help/GB"' in html


def test_the_exit_link_leaves_for_the_deployments_neutral_page(app, client):
    app.config["HEARTH_EXIT_URL"] = "https://weather.example/today"
    html = client.get("/help/GB").get_data(as_text=True)
    assert 'href="https://weather.example/today" rel="noreferrer" data-exit-now' in html
    assert "or press Shift 3 times" in html
    assert client.get("/help").headers["Referrer-Policy"] == "no-referrer"
