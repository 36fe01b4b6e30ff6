"""Input an attacker would send gets a clear refusal with field messages, never a 500, and nothing stored."""

from __future__ import annotations

import json

import pytest

from service.extensions import db
from service.models import Group

GROUP = {"title": "Circle", "timezone": "UTC", "first_start": "2027-03-02T19:00:00"}


def post_raw(org, path: str, body: str):
    return org.post(path, data=body, headers={"Content-Type": "application/json"})


def test_json_nested_too_deeply_is_a_bad_request(org):
    response = post_raw(org, "/api/v1/groups", '{"title": ' + "[" * 5000 + "]" * 5000 + "}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    "text",
    ["a\\u0000b", "a\\u001b[31mb", "a\\u202eb", "a\\u2066b", "a\\ud800b", "\\udfff", "a\\u007fb"],
    ids=[
        "nul",
        "escape",
        "bidi-override",
        "bidi-isolate",
        "lone-high-surrogate",
        "lone-low-surrogate",
        "del",
    ],
)
def test_unsafe_characters_in_a_title_are_refused_on_that_field(org, text):
    body = json.dumps({**GROUP}).replace('"Circle"', f'"{text}"')
    response = post_raw(org, "/api/v1/groups", body)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert "title" in response.json["errors"]
    assert db.session.execute(db.select(Group)).scalars().all() == []


def test_unsafe_characters_anywhere_in_the_body_name_their_place(org):
    body = json.dumps({**GROUP, "agreement": ["Listen", "x"]}).replace('"x"', '"\\u202eevil"')
    response = post_raw(org, "/api/v1/groups", body)
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["agreement.1"]


def test_line_breaks_and_tabs_are_welcome_where_text_runs_long(org):
    response = org.post("/api/v1/groups", json={**GROUP, "agreement": ["One voice at a time.\n\tListen."]})
    assert response.status_code == 201, response.json


@pytest.mark.parametrize("first_start", ["9999-12-31T23:59:59", "0001-01-01T00:00:00", "1990-01-01T19:00:00"])
def test_a_series_far_in_the_past_or_future_is_refused_before_any_expansion(org, first_start):
    response = org.post("/api/v1/groups", json={**GROUP, "first_start": first_start})
    assert response.status_code == 422
    assert "first_start" in response.json["errors"]
    assert db.session.execute(db.select(Group)).scalars().all() == []


def test_an_extreme_date_in_a_filter_is_no_500(org):
    assert org.get("/api/v1/sessions?from=9999-12-31T23:59:59Z").status_code == 200
    assert org.get("/api/v1/sessions?from=0001-01-01T00:00:00Z").status_code in (200, 422)


@pytest.fixture
def public_only(app):
    """The production rule: webhooks go to public addresses only."""
    app.config["WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"] = False
    yield
    app.config["WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"] = True


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://172.16.5.4/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/hook",
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://no-such-host.invalid/hook",
    ],
)
def test_a_webhook_to_a_non_public_address_is_refused_when_registered_and_updated(org, public_only, url):
    response = org.post("/api/v1/webhooks", json={"url": url, "event_types": ["incident.created"]})
    assert response.status_code == 422, response.json
    assert "url" in response.json["errors"]


def test_updating_a_webhook_to_a_private_address_is_refused(org, app):
    made = org.post(
        "/api/v1/webhooks", json={"url": "https://93.184.215.14/hook", "event_types": ["incident.created"]}
    )
    assert made.status_code == 201
    app.config["WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"] = False
    try:
        response = org.patch(f"/api/v1/webhooks/{made.json['id']}", json={"url": "https://10.0.0.1/hook"})
    finally:
        app.config["WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"] = True
    assert response.status_code == 422
    assert org.get(f"/api/v1/webhooks/{made.json['id']}").json["url"] == "https://93.184.215.14/hook"


@pytest.mark.parametrize(
    ("channel", "value"),
    [
        ("chat", "javascript:alert(1)"),
        ("web", "data:text/html,hi"),
        ("web", "vbscript:x"),
        ("call", "javascript:alert(1)"),
        ("text", "tel:988"),
        ("call", "call me maybe"),
    ],
)
def test_a_crisis_line_contact_that_is_no_number_or_web_address_is_refused(org, channel, value):
    body = {
        "name": "Our warmline",
        "kind": "warmline",
        "region": "US",
        "contacts": [{"channel": channel, "value": value}],
        "hours": "Every evening",
        "url": None,
        "source": "https://example.org/warmline",
    }
    response = org.post("/api/v1/crisis-resources", json=body)
    assert response.status_code == 422, response.json
    assert list(response.json["errors"]) == ["contacts.0.value"]
