"""The join page carries the person's own crisis lines and "Exit now" in its HTML, in every state."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from service.config import DEFAULT_EXIT_URL
from service.domain import crisis, organizations
from service.extensions import db
from tests.api.helpers import make_group, make_session
from tests.web.lines import calls, names

PANEL = re.compile(r'<section class="help-panel" id="help-now"[^>]*>(.*?)</section>', re.S)
DIALOG = re.compile(r"<dialog[^>]*data-help-dialog[^>]*>(.*?)</dialog>", re.S)


def _join(org, client, group, **body) -> str:
    response = org.post(f"/api/v1/groups/{group.id}/registrations", json=body)
    assert response.status_code == 201, response.json
    page = client.get(response.json["join_url"].removeprefix("http://hearth.test"))
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    return page.get_data(as_text=True)


def _panel(html: str) -> str:
    found = PANEL.search(html)
    assert found, "the help panel is in the page"
    # It is none of the steps the page's script switches, so every step and every end shows it.
    before = html[: found.start()]
    assert before.rfind('<section class="step') < before.rfind("</section>")
    return found.group(1)


def test_the_persons_own_lines_are_in_the_page_theirs_first(org, client):
    group = make_group(org.id, region="US")
    make_session(group)
    own = crisis.create_resource(
        org.id,
        name="Riverside listening line",
        kind="warmline",
        region="GB",
        contacts=[{"channel": "call", "value": "0800 000 0000", "note": None}],
        hours="Evenings",
        source="Internal",
    )
    html = _join(org, client, group, region="uk")
    panel = _panel(html)
    assert names(panel)[:3] == [own.name, "Samaritans", "Shout"]
    assert "Lines for the United Kingdom first, then lines you can reach from anywhere." in panel
    assert "999" in calls(panel) and not {"911", "000", "112"} & set(calls(panel))
    assert 'href="sms:85258"' in panel and 'href="/help"' in panel
    # The room's "Get help now" dialog holds the same lines, with no connection needed.
    dialog = DIALOG.search(html).group(1)
    assert names(dialog) == names(panel)
    assert "Looking up" not in dialog and "could not look up" not in html
    assert "data-exit-now" in dialog, "the dialog has its own way out"
    assert '<a class="link-button help" href="#help-now" data-help-link>Get help now</a>' in html


def test_without_a_region_of_their_own_the_groups_is_used(org, client):
    group = make_group(org.id, region="AU")
    make_session(group)
    panel = _panel(_join(org, client, group))
    assert names(panel)[0] == "Lifeline Australia" and calls(panel)[-1] == "000"


def test_exit_now_leaves_for_the_organizations_neutral_page_else_the_deployments(org, client):
    group = make_group(org.id)
    make_session(group)
    html = _join(org, client, group)
    assert f'<a class="link-button exit-now" href="{DEFAULT_EXIT_URL}" rel="noreferrer" data-exit-now' in html
    organizations.set_exit_url(org.id, "https://weather.example/")
    html = _join(org, client, group)
    assert 'href="https://weather.example/" rel="noreferrer" data-exit-now' in html
    assert "or press Shift 3 times" in html


def _ended(group):
    session = make_session(group, starts_in=-timedelta(minutes=30))
    session.status, session.ended_at = "ended", datetime.now(UTC)
    db.session.commit()


def _cancelled(group):
    make_session(group, status="cancelled")


def _outside_the_window(group):
    make_session(group, days_ahead=3)


def _nothing_scheduled(group):
    pass


@pytest.mark.parametrize("state", [_ended, _cancelled, _outside_the_window, _nothing_scheduled])
def test_help_is_in_the_page_whatever_the_session(org, client, state):
    group = make_group(org.id, region="NZ")
    state(group)
    assert calls(_panel(_join(org, client, group)))[:2] == ["1737", "0800543354"]


def test_a_waitlisted_person_has_help_in_the_page(org, client):
    group = make_group(org.id, region="IE", capacity=1, waitlist_enabled=True)
    make_session(group)
    _join(org, client, group)
    html = _join(org, client, group)
    assert "You are on the waitlist" in html
    assert names(_panel(html))[0] == "Samaritans Ireland" and "999" in calls(_panel(html))


def test_a_link_that_no_longer_works_still_leads_to_help(client):
    response = client.get("/join/not-a-real-token")
    assert response.status_code == 404
    assert 'href="/help"' in response.get_data(as_text=True)
