"""Facilitator sign-in and sign-out: one message for every failure, CSRF on both forms."""

from __future__ import annotations

import re

import pytest
from flask import session

from service.config import Settings
from service.domain.facilitators import (
    authenticate_facilitator,
    create_facilitator,
    deactivate_facilitator,
    reissue_password_link,
    set_password_with_token,
)
from service.web.signin import signed_in_facilitator

PASSWORD = "correct horse battery"
FAILED = "email or password is not right"


def make_facilitator(organization_id, name="Amira Haddad", email="amira@example.org", password=PASSWORD):
    facilitator, link = create_facilitator(organization_id, name, email)
    if password is not None:
        set_password_with_token(link.token, password)
    return facilitator


def form_token(client, path="/facilitator/sign-in") -> str:
    page = client.get(path)
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def sign_in(client, email, password, token=None):
    token = form_token(client) if token is None else token
    return client.post(
        "/facilitator/sign-in", data={"email": email, "password": password, "csrf_token": token}
    )


def session_cookie(client):
    return client.get_cookie("session")


def test_sign_in_sets_the_cookie_and_greets(org, client):
    person = make_facilitator(org.id)
    response = sign_in(client, "  Amira@Example.org ", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/facilitator"
    cookie = session_cookie(client)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert not cookie.secure, "the test base URL is http"
    with client.session_transaction() as sess:
        assert sess["facilitator_id"] == str(person.id)

    page = client.get("/facilitator")
    assert page.status_code == 200
    assert "Signed in as Amira Haddad" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert client.get("/facilitator/sign-in").status_code == 302


def test_sign_in_starts_a_fresh_session(org, client):
    make_facilitator(org.id)
    token = form_token(client)
    with client.session_transaction() as sess:
        sess["planted"] = "by someone else"
    sign_in(client, "amira@example.org", PASSWORD, token=token)
    with client.session_transaction() as sess:
        assert "planted" not in sess and "csrf_token" not in sess


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("amira@example.org", "not the password"),
        ("nobody@example.org", PASSWORD),
        ("gone@example.org", PASSWORD),
        ("new@example.org", PASSWORD),
        ("amira@example.org", ""),
    ],
)
def test_every_failure_looks_the_same(org, client, email, password):
    make_facilitator(org.id)
    gone = make_facilitator(org.id, name="Gone", email="gone@example.org")
    deactivate_facilitator(org.id, gone.id)
    make_facilitator(org.id, name="New", email="new@example.org", password=None)

    response = sign_in(client, email, password)
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert FAILED in html
    assert "Gone" not in html and "New" not in html
    with client.session_transaction() as sess:
        assert "facilitator_id" not in sess
    assert client.get("/facilitator").headers["Location"] == "/facilitator/sign-in"


def test_same_email_in_two_organizations_signs_in_the_matching_one(org, other_org, client):
    make_facilitator(org.id, name="Amira at Riverside", password="riverside password")
    elsewhere = make_facilitator(other_org.id, name="Amira Elsewhere", password="elsewhere password")

    assert sign_in(client, "amira@example.org", "elsewhere password").status_code == 302
    with client.session_transaction() as sess:
        assert sess["facilitator_id"] == str(elsewhere.id)
    assert "Signed in as Amira Elsewhere" in client.get("/facilitator").get_data(as_text=True)


def test_authenticate_skips_a_deactivated_twin(org, other_org):
    first = make_facilitator(org.id)
    second = make_facilitator(other_org.id)
    deactivate_facilitator(org.id, first.id)
    assert authenticate_facilitator("amira@example.org", PASSWORD).id == second.id
    assert authenticate_facilitator("amira@example.org", "wrong password") is None


def test_a_new_password_signs_out_every_browser_signed_in_before(org, client, app):
    person = make_facilitator(org.id)
    assert sign_in(client, "amira@example.org", PASSWORD).status_code == 302
    assert client.get("/facilitator").status_code == 200
    set_password_with_token(reissue_password_link(org.id, person.id).token, "a brand new password")
    assert client.get("/facilitator").headers["Location"] == "/facilitator/sign-in"
    other = app.test_client()
    assert sign_in(other, "amira@example.org", "a brand new password").status_code == 302
    assert other.get("/facilitator").status_code == 200


def test_sign_in_without_or_with_a_wrong_csrf_token_is_refused(org, client):
    make_facilitator(org.id)
    form_token(client)
    missing = client.post("/facilitator/sign-in", data={"email": "amira@example.org", "password": PASSWORD})
    assert missing.status_code == 400
    assert sign_in(client, "amira@example.org", PASSWORD, token="forged").status_code == 400
    with client.session_transaction() as sess:
        assert "facilitator_id" not in sess


def test_sign_out_clears_the_session(org, client):
    make_facilitator(org.id)
    sign_in(client, "amira@example.org", PASSWORD)
    token = form_token(client, "/facilitator")

    assert client.post("/facilitator/sign-out").status_code == 400, "CSRF token required"
    assert client.get("/facilitator").status_code == 200

    response = client.post("/facilitator/sign-out", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/facilitator/sign-in"
    with client.session_transaction() as sess:
        assert "facilitator_id" not in sess
    assert client.get("/facilitator").status_code == 302


def test_a_copied_cookie_is_worth_nothing_after_sign_out(org, client, app):
    make_facilitator(org.id)
    sign_in(client, "amira@example.org", PASSWORD)
    copied = app.test_client()
    copied.set_cookie("session", session_cookie(client).value)
    assert copied.get("/facilitator").status_code == 200
    client.post("/facilitator/sign-out", data={"csrf_token": form_token(client, "/facilitator")})
    assert copied.get("/facilitator").headers["Location"] == "/facilitator/sign-in"


def test_signed_in_facilitator_is_none_once_deactivated(app, org, client):
    person = make_facilitator(org.id)
    sign_in(client, "amira@example.org", PASSWORD)
    with client.session_transaction() as sess:
        cookie_session = dict(sess)

    with app.test_request_context():
        session.update(cookie_session)
        assert signed_in_facilitator().id == person.id
        deactivate_facilitator(org.id, person.id)
        assert signed_in_facilitator() is None
        session["facilitator_id"] = "not-a-uuid"
        assert signed_in_facilitator() is None

    assert client.get("/facilitator").status_code == 302


def test_cookie_is_secure_when_the_base_url_is_https(monkeypatch, tmp_path):
    monkeypatch.setenv("HEARTH_BASE_URL", "https://hearth.example.org")
    assert Settings.from_environ().flask_config(str(tmp_path))["SESSION_COOKIE_SECURE"] is True


def test_secure_cookie_flag_is_sent(org, app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    make_facilitator(org.id)
    sign_in(client, "amira@example.org", PASSWORD)
    assert session_cookie(client).secure
