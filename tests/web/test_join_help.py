"""The join page carries the person's own crisis lines and "Exit now" in its HTML, in every state."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from service.config import DEFAULT_EXIT_URL
from service.domain import crisis, organizations
from service.domain.incidents import record_incident
from service.extensions import db
from service.models import SupportAlert
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


REACH = re.compile(r"<div[^>]*data-own-reach[^>]*>(.*?)</div>", re.S)


def _asked_for_support(org, group, session, registration_id: str, *, on_call: str | None) -> None:
    """The person asked in `session`; nobody took it and it went on call (`on_call`: its status), or not."""
    now = datetime.now(UTC)
    alert = SupportAlert(
        organization_id=org.id,
        session_id=session.id,
        registration_id=uuid.UUID(registration_id),
        seat_id="p-seat",
        display_name="Sam",
        kind="support_request",
        created_at=now - timedelta(minutes=20),
        stage="on_call" if on_call else "lead",
        stage_started_at=now,
    )
    db.session.add(alert)
    db.session.flush()
    if on_call:
        incident = record_incident(
            organization_id=org.id,
            session_id=session.id,
            registration_id=alert.registration_id,
            seat_id="p-seat",
            pseudonym="Sam",
            external_ref=None,
            severity="medium",
            observed="Asked for support.",
            escalated_by="system",
            source_alert_id=alert.id,
            now=now,
        )
        incident.notification_status = on_call
        alert.incident_id = incident.id
    db.session.commit()


def _register(org, group) -> tuple[str, str]:
    response = org.post(f"/api/v1/groups/{group.id}/registrations", json={"region": "GB"})
    assert response.status_code == 201, response.json
    return response.json["id"], response.json["join_url"].removeprefix("http://hearth.test")


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("unreached", "We could not reach anyone right now"),
        ("delivered", "Your organization's on-call team has been sent your request"),
        ("acknowledged", "is acting on your request"),
    ],
)
def test_where_the_persons_call_for_support_stands_is_in_the_page_after_the_circle_ended(
    org, client, status, words
):
    group = make_group(org.id)
    session = make_session(group, starts_in=timedelta(minutes=-70), status="ended")
    registration_id, path = _register(org, group)
    _asked_for_support(org, group, session, registration_id, on_call=status)
    html = client.get(path).get_data(as_text=True)
    # In the help panel, there in every step and end, and in the room's "Get help now".
    panel, dialog = _panel(html), DIALOG.search(html).group(1)
    for place in (panel, dialog):
        [shown] = REACH.findall(place)
        assert words in shown
    if status == "unreached":
        assert "please call 999 now" in REACH.search(panel).group(1)


def test_a_call_for_support_a_facilitator_has_or_none_is_not_in_the_page(org, client):
    group = make_group(org.id)
    session = make_session(group, starts_in=timedelta(minutes=-10), status="live")
    registration_id, path = _register(org, group)
    assert REACH.search(_panel(client.get(path).get_data(as_text=True))).group(1).strip() == ""
    _asked_for_support(org, group, session, registration_id, on_call=None)
    html = client.get(path).get_data(as_text=True)
    assert "data-own-reach hidden" in html and REACH.search(_panel(html)).group(1).strip() == ""
    # Someone else's request is not theirs.
    _, other = _register(org, group)
    _asked_for_support(org, group, session, registration_id, on_call="unreached")
    assert "could not reach anyone" in client.get(path).get_data(as_text=True)
    assert "could not reach anyone" not in client.get(other).get_data(as_text=True)


def test_a_page_left_without_a_connection_can_ask_where_the_call_for_support_stands(org, client):
    group = make_group(org.id)
    session = make_session(group, starts_in=timedelta(minutes=-10), status="live")
    registration_id, path = _register(org, group)
    asked = client.get(f"{path}/support")
    assert (asked.status_code, asked.json) == (200, {"reach": None})
    assert asked.headers["Cache-Control"] == "no-store"
    _asked_for_support(org, group, session, registration_id, on_call=None)
    assert client.get(f"{path}/support").json["reach"]["reached"] == "facilitator"
    _asked_for_support(org, group, session, registration_id, on_call="unreached")
    reach = client.get(f"{path}/support").json["reach"]
    assert set(reach) == {"alert_id", "reached", "emergency_number"}
    assert (reach["reached"], reach["emergency_number"]) == ("nobody", "999")
    unknown = client.get("/join/not-a-link/support")
    assert (unknown.status_code, unknown.json) == (404, {"reach": None})


def test_where_the_call_for_support_stands_is_in_the_pages_language(org, client):
    group = make_group(org.id)
    session = make_session(group, starts_in=timedelta(minutes=-70), status="ended")
    registration_id, path = _register(org, group)
    _asked_for_support(org, group, session, registration_id, on_call="unreached")
    shown = REACH.search(_panel(client.get(f"{path}?lang=es").get_data(as_text=True))).group(1)
    assert "No pudimos contactar a nadie en este momento" in shown
    assert "llama al 999 ahora" in shown
