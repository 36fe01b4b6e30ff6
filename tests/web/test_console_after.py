"""After a session, the console lists who came: ways of taking part and times, never names or ratings."""

from __future__ import annotations

from datetime import timedelta

from service.extensions import db
from tests.api.attendance_rows import attend, facilitator_attends
from tests.api.helpers import make_group
from tests.web.test_console_pages import add_session, amira, assign  # noqa: F401 (amira is a fixture)


def test_an_ended_session_lists_who_came_without_names_refs_or_ratings(org, client, amira):  # noqa: F811
    group = make_group(org.id, timezone="Europe/London")
    assign(group, amira)
    session = add_session(group, timedelta(hours=-2), status="ended")
    attend(session, external_ref="crm-secret-17", check_in=1, check_out=5)
    facilitator_attends(session, amira)

    html = client.get(f"/facilitator/sessions/{session.id}").get_data(as_text=True)
    assert "Who came" in html and "1 participant joined." in html
    assert "Participant, speaking" in html and "accepted the agreement" in html
    assert "Facilitator, facilitating" in html
    assert "crm-secret-17" not in html and "person-4711" not in html


def test_before_it_ends_nothing_is_listed(org, client, amira):  # noqa: F811
    group = make_group(org.id)
    assign(group, amira)
    session = add_session(group, timedelta(minutes=-10), status="live")
    attend(session)
    db.session.commit()
    assert "Who came" not in client.get(f"/facilitator/sessions/{session.id}").get_data(as_text=True)
