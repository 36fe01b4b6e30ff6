"""The facilitator's sessions list and the console page: contents, order, and who may see them."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from service.extensions import db
from service.models import CircleSession, GroupFacilitator, utcnow
from tests.api.helpers import make_group
from tests.web.test_signin import PASSWORD, make_facilitator, sign_in


def assign(group, facilitator, role="lead") -> None:
    db.session.add(GroupFacilitator(group_id=group.id, facilitator_id=facilitator.id, role=role))
    db.session.commit()


def add_session(group, starts_in: timedelta, status="scheduled", minutes=60) -> CircleSession:
    starts = (utcnow() + starts_in).replace(microsecond=0)
    session = CircleSession(
        organization_id=group.organization_id,
        group_id=group.id,
        original_start=starts,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        status=status,
    )
    db.session.add(session)
    db.session.commit()
    return session


def listed(client) -> list[str]:
    """The session ids linked from /facilitator, in page order."""
    html = client.get("/facilitator").get_data(as_text=True)
    return re.findall(r'href="/facilitator/sessions/([0-9a-f-]+)"', html)


@pytest.fixture
def amira(org, client):
    person = make_facilitator(org.id)
    assert sign_in(client, "amira@example.org", PASSWORD).status_code == 302
    return person


def test_the_list_shows_upcoming_sessions_of_my_groups_soonest_first(org, other_org, client, amira):
    mine = make_group(org.id, title="Monday circle")
    assign(mine, amira)
    also_mine = make_group(org.id, title="Anxiety circle", timezone="Europe/London")
    assign(also_mine, amira, role="co")
    not_mine = make_group(org.id, title="Someone else's circle")
    elsewhere = make_group(other_org.id, title="Elsewhere circle")

    later = add_session(mine, timedelta(days=3))
    soon = add_session(also_mine, timedelta(hours=2))
    live = add_session(mine, timedelta(minutes=-20), status="live")
    in_grace = add_session(also_mine, timedelta(minutes=-65))  # ended 5 minutes ago, room still reachable
    add_session(mine, timedelta(days=15))  # beyond two weeks
    add_session(mine, timedelta(hours=-3))  # long over
    add_session(mine, timedelta(hours=1), status="cancelled")
    add_session(mine, timedelta(minutes=-30), status="ended")
    add_session(not_mine, timedelta(hours=1))
    add_session(elsewhere, timedelta(hours=1))

    assert listed(client) == [str(in_grace.id), str(live.id), str(soon.id), str(later.id)]
    html = client.get("/facilitator").get_data(as_text=True)
    assert html.count("Live now") == 1
    live_card = html[html.index(str(live.id)) :].split("</li>", 1)[0]
    assert "Live now" in live_card
    assert "Someone else" not in html and "Elsewhere" not in html
    assert "Signed in as Amira Haddad" in html
    assert 'name="csrf_token"' in html, "sign out stays"


def test_times_are_machine_readable_in_the_groups_zone(org, client, amira):
    group = make_group(org.id, timezone="Europe/London")
    assign(group, amira)
    session = add_session(group, timedelta(days=1))
    html = client.get("/facilitator").get_data(as_text=True)
    starts = session.starts_at.astimezone(ZoneInfo("Europe/London")).isoformat()
    assert f'<time datetime="{starts}" data-local="datetime">' in html
    assert "(Europe/London time)" in html


def test_an_empty_list_says_so(org, client, amira):
    assert listed(client) == []
    assert "No sessions of your groups in the next two weeks." in client.get("/facilitator").get_data(
        as_text=True
    )


def test_the_console_opens_for_an_assigned_facilitator(org, client, amira):
    group = make_group(org.id, title="Monday circle", chat_enabled=False)
    assign(group, amira, role="co")
    session = add_session(group, timedelta(minutes=5))
    page = client.get(f"/facilitator/sessions/{session.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'data-session-id="{session.id}"' in html
    assert 'data-group-chat="false"' in html
    assert "<h1>Monday circle</h1>" in html
    assert page.headers["Cache-Control"] == "no-store"
    assert "<script>" not in html and "style=" not in html, "no inline scripts or styles (CSP)"


@pytest.mark.parametrize("status", ["ended", "cancelled"])
def test_the_console_of_a_closed_session_still_renders_and_the_room_says_why(org, client, amira, status):
    group = make_group(org.id)
    assign(group, amira)
    session = add_session(group, timedelta(hours=-2), status=status)
    assert client.get(f"/facilitator/sessions/{session.id}").status_code == 200


def test_the_console_is_not_found_across_groups_and_organizations(org, other_org, client, amira):
    not_mine = make_group(org.id, title="Someone else's circle")
    elsewhere = make_group(other_org.id, title="Elsewhere circle")
    for group in (not_mine, elsewhere):
        session = add_session(group, timedelta(minutes=5))
        page = client.get(f"/facilitator/sessions/{session.id}")
        assert page.status_code == 404
        assert group.title not in page.get_data(as_text=True)
    assert client.get(f"/facilitator/sessions/{uuid.uuid4()}").status_code == 404
    assert client.get("/facilitator/sessions/not-a-uuid").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(org, client):
    group = make_group(org.id)
    session = add_session(group, timedelta(minutes=5))
    for path in ("/facilitator", f"/facilitator/sessions/{session.id}"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"] == "/facilitator/sign-in"
