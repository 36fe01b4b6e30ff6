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
