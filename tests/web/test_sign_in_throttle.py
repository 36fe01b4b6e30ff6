"""Sign-in failures slow the client that makes them: the facilitator elsewhere signs in at once,
and the page says plainly how long to wait, the same whether or not the email is known."""

from __future__ import annotations

import logging
import re

import pytest
from limits.storage import storage_from_string

from service.domain.sign_in import Throttle, ThrottlePolicy
from service.web import signin
from tests.web.test_signin import PASSWORD, form_token, make_facilitator

ATTACKER, FACILITATOR = "203.0.113.9", "198.51.100.7"


@pytest.fixture(autouse=True)
def _long_waits(app):
    # Waits far longer than a test's own pauses (an argon2 check takes a while on a busy machine).
    app.config["HEARTH_SIGN_IN_FIRST_WAIT_SECONDS"] = 120


def _sign_in(client, address: str, email: str, password: str):
    return client.post(
        "/facilitator/sign-in",
        data={"email": email, "password": password, "csrf_token": form_token(client)},
        environ_base={"REMOTE_ADDR": address},
    )


def _said(response) -> str:
    return re.search(r'role="alert">([^<]*)<', response.get_data(as_text=True)).group(1)


def test_an_attackers_failures_do_not_delay_the_facilitator_from_another_client(org, app):
    make_facilitator(org.id)
    attacker, facilitator = app.test_client(), app.test_client()
    answers = [_sign_in(attacker, ATTACKER, "amira@example.org", f"guess {i}") for i in range(5)]
    assert [a.status_code for a in answers] == [401, 401, 401, 401, 429]
    # Even the right password is refused to the attacker's client while it waits.
    assert _sign_in(attacker, ATTACKER, "amira@example.org", PASSWORD).status_code == 429

    signed_in = _sign_in(facilitator, FACILITATOR, "amira@example.org", PASSWORD)
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/facilitator"


def test_the_page_says_plainly_to_wait_and_the_same_for_an_email_nobody_has(org, app):
    make_facilitator(org.id)
    said = {}
    for email, address in (("amira@example.org", ATTACKER), ("nobody@example.org", "192.0.2.1")):
        client = app.test_client()
        for _ in range(3):
            plain = _sign_in(client, address, email, "a guess")
            assert plain.status_code == 401 and "Retry-After" not in plain.headers
            assert _said(plain) == "That email or password is not right."
        slowed = _sign_in(client, address, email, "a guess")
        assert slowed.status_code == 401 and 119 <= int(slowed.headers["Retry-After"]) <= 120
        refused = _sign_in(client, address, email, PASSWORD)
        assert refused.status_code == 429 and 100 <= int(refused.headers["Retry-After"]) <= 120
        said[email] = (_said(slowed), _said(refused))

    assert (
        said["amira@example.org"]
        == said["nobody@example.org"]
        == (
            "That email or password is not right. Too many tries from this device. "
            "Wait 2 minutes before you try again.",
            "Too many tries from this device. Wait 2 minutes before you try again.",
        )
    )


def test_the_waits_grow_and_the_log_names_no_client(org, app, caplog):
    app.config["HEARTH_SIGN_IN_FREE_TRIES"] = 1
    app.config["HEARTH_SIGN_IN_FIRST_WAIT_SECONDS"] = 1
    app.config["HEARTH_SIGN_IN_MAX_WAIT_SECONDS"] = 900
    client = app.test_client()
    caplog.set_level(logging.INFO, logger="hearth.sign_in")
    _sign_in(client, ATTACKER, "amira@example.org", "a guess")
    assert _sign_in(client, ATTACKER, "amira@example.org", "a guess").headers["Retry-After"] == "1"
    assert "sign-in failures from client" in caplog.text
    assert ATTACKER not in caplog.text and "amira" not in caplog.text


def test_with_its_counts_out_of_reach_the_page_asks_to_try_again_and_checks_no_password(
    org, app, monkeypatch
):
    make_facilitator(org.id)
    # A Redis nobody listens on, as when the deployment's Redis is down.
    unreachable = Throttle(
        storage_from_string("redis://127.0.0.1:1/0"), b"k" * 32, ThrottlePolicy(3, 20, 900)
    )
    monkeypatch.setattr(signin, "sign_in_throttle", lambda: unreachable)
    answer = _sign_in(app.test_client(), FACILITATOR, "amira@example.org", PASSWORD)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert _said(answer) == "Signing in is not possible for a moment. Please try again in a few seconds."
    assert "Location" not in answer.headers
