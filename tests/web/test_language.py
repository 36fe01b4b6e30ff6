"""Which language a page speaks: the person's choice, then the circle's, then the browser's."""

from __future__ import annotations

import re

import pytest

from service.extensions import db
from service.web.language import CHOICE_COOKIE, supported
from tests.api.helpers import make_group, make_session


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("es", "es"), ("es-MX", "es"), ("EN", "en"), ("pt-BR", None), ("", None), (None, None)],
)
def test_a_tag_asks_for_a_supported_language_or_none(tag, expected):
    assert supported(tag) == expected


def test_a_page_without_a_circle_follows_the_browser(client):
    assert html_lang(client.get("/help", headers={"Accept-Language": "es-ES,es;q=0.9"})) == "es"
    assert html_lang(client.get("/help", headers={"Accept-Language": "de-DE"})) == "en"


def test_a_choice_is_remembered_for_the_next_pages(client):
    response = client.get("/help?lang=es", headers={"Accept-Language": "en"})
    assert html_lang(response) == "es"
    assert f"{CHOICE_COOKIE}=es" in response.headers["Set-Cookie"]
    assert html_lang(client.get("/help", headers={"Accept-Language": "en"})) == "es"


def test_an_unsupported_choice_is_ignored(client):
    response = client.get("/help?lang=xx", headers={"Accept-Language": "en"})
    assert html_lang(response) == "en"
    assert "Set-Cookie" not in response.headers or CHOICE_COOKIE not in response.headers["Set-Cookie"]


def _join_path(org, group) -> str:
    response = org.post(f"/api/v1/groups/{group.id}/registrations", json={})
    assert response.status_code == 201
    return response.json["join_url"].removeprefix("http://hearth.test")


def test_the_join_page_speaks_the_circles_language_unless_the_person_chose(org, client):
    group = make_group(org.id, language="es-MX")
    make_session(group)
    db.session.commit()
    path = _join_path(org, group)

    assert html_lang(client.get(path, headers={"Accept-Language": "en"})) == "es"
    assert html_lang(client.get(f"{path}?lang=en")) == "en"
    assert html_lang(client.get(path)) == "en", "the person's choice outlasts the page"
