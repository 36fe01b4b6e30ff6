"""Session notes: written in the console with the CSRF token, read by the organization over the API."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from service.extensions import db
from service.models import NOTE_MAX_LENGTH, SessionNote
from tests.api.helpers import make_group
from tests.web.test_console_pages import add_session, amira, assign  # noqa: F401 (amira is a fixture)


def _token(client, session) -> str:
    html = client.get(f"/facilitator/sessions/{session.id}").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def ended(org, amira):  # noqa: F811
    group = make_group(org.id)
    assign(group, amira)
    return add_session(group, timedelta(hours=-2), status="ended")


def test_a_note_is_kept_listed_in_the_console_and_read_by_the_organization(org, other_org, client, ended):
    page = client.get(f"/facilitator/sessions/{ended.id}").get_data(as_text=True)
    assert "Do not name anyone" in page
    response = client.post(
        f"/facilitator/sessions/{ended.id}/notes",
        data={
            "csrf_token": _token(client, ended),
            "body": "  Grief came up a lot; check in on the theme next week. ",
        },
    )
    assert response.status_code == 303 and response.location.endswith(
        f"/facilitator/sessions/{ended.id}#notes-heading"
    )
    assert "Grief came up a lot" in client.get(f"/facilitator/sessions/{ended.id}").get_data(as_text=True)

    [note] = org.get(f"/api/v1/sessions/{ended.id}/notes").json["items"]
    assert note["body"] == "Grief came up a lot; check in on the theme next week."
    assert note["facilitator_name"] == "Amira Haddad" and note["session_id"] == str(ended.id)
    assert other_org.get(f"/api/v1/sessions/{ended.id}/notes").status_code == 404


def test_without_the_csrf_token_nothing_is_kept(client, ended):
    response = client.post(f"/facilitator/sessions/{ended.id}/notes", data={"body": "Went well."})
    assert response.status_code == 400
    assert db.session.execute(db.select(SessionNote)).first() is None


@pytest.mark.parametrize("body", ["   ", "x" * (NOTE_MAX_LENGTH + 1)])
def test_an_empty_or_too_long_note_is_refused_and_the_draft_kept(client, ended, body):
    response = client.post(
        f"/facilitator/sessions/{ended.id}/notes", data={"csrf_token": _token(client, ended), "body": body}
    )
    assert response.status_code == 422
    assert 'id="note-error"' in response.get_data(as_text=True)
    assert db.session.execute(db.select(SessionNote)).first() is None


def test_a_session_not_yet_begun_takes_no_notes_and_strangers_get_404(org, client, amira, ended):  # noqa: F811
    group = make_group(org.id)
    assign(group, amira)
    later = add_session(group, timedelta(days=2))
    assert "Session notes" not in client.get(f"/facilitator/sessions/{later.id}").get_data(as_text=True)
    token = _token(client, ended)
    assert (
        client.post(
            f"/facilitator/sessions/{later.id}/notes", data={"csrf_token": token, "body": "Hi"}
        ).status_code
        == 409
    )
    not_mine = add_session(make_group(org.id), timedelta(hours=-2), status="ended")
    assert (
        client.post(
            f"/facilitator/sessions/{not_mine.id}/notes", data={"csrf_token": token, "body": "Hi"}
        ).status_code
        == 404
    )
    assert db.session.execute(db.select(SessionNote)).first() is None
