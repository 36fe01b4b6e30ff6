"""A Spanish circle's pages speak Spanish, all of them; English pages stay as they were."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape

from service.extensions import db
from service.schemas.groups import DEFAULT_AGREEMENT, default_agreement
from service.web.language import CHOICE_COOKIE
from tests.api.attendance_rows import attend, facilitator_attends
from tests.api.helpers import create_group, make_group, make_session
from tests.web.spanish import english_left
from tests.web.test_console_pages import add_session, amira, assign  # noqa: F401 (amira is a fixture)
from tests.web.test_signin import sign_in


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)">', html).group(1)


def mode_labels(html: str) -> dict[str, str]:
    """The labels the page hands its scripts (data-modes), by mode."""
    table = json.loads(unescape(re.search(r'data-modes="([^"]*)"', html).group(1)))
    return {mode: row["label"] for mode, row in table.items()}


def spanish_group(org_id, **fields):
    return make_group(
        org_id,
        language="es-MX",
        title="Círculo de los martes",
        description="Una hora tranquila para sentirnos escuchados.",
        agreement=default_agreement("es"),
        timezone="Europe/Madrid",
        region="GB",
        **fields,
    )


def _join_path(org, group) -> str:
    response = org.post(f"/api/v1/groups/{group.id}/registrations", json={})
    assert response.status_code == 201
    return response.json["join_url"].removeprefix("http://hearth.test")


def test_the_join_page_and_room_of_a_spanish_circle_speak_spanish(org, client):
    group = spanish_group(org.id)
    session = make_session(group)
    session.starts_at = datetime(2031, 3, 4, 17, 30, tzinfo=UTC)
    session.ends_at = datetime(2031, 3, 4, 18, 30, tzinfo=UTC)
    db.session.commit()

    html = client.get(_join_path(org, group)).get_data(as_text=True)

    assert html_lang(html) == "es"
    assert "martes, 4 de marzo de 2031, 18:30" in html and "19:30" in html
    for phrase in (
        "Nuestros acuerdos",
        "Una voz a la vez.",
        "Preparándote",
        "¿Cómo te gustaría participar?",
        "Solo escuchar",
        "Sala de espera",
        "Gracias por estar aquí",
        "Levantar la mano",
        "Salir en silencio",
        "Necesito apoyo",
        "Pedir ayuda ya",
        "Salir ya",
        "Primero, líneas para el Reino Unido",
        "Llamar al 999",
    ):
        assert phrase in html, phrase
    assert "Samaritans" in html, "crisis lines keep the names their services use"
    assert mode_labels(html) == {
        "speak": "Hablar",
        "camera_off": "Sin cámara",
        "listen_only": "Solo escuchar",
    }
    assert english_left(html) == []


def test_the_join_page_lets_the_person_choose_a_language_named_in_itself(org, client):
    group = spanish_group(org.id)
    make_session(group)
    db.session.commit()
    path = _join_path(org, group)

    spanish = client.get(path).get_data(as_text=True)
    assert '<a href="?lang=en" lang="en" hreflang="en">English</a>' in spanish
    assert '<a href="?lang=es" lang="es" hreflang="es" aria-current="true">Español</a>' in spanish
    assert '<nav class="language-choice" aria-label="Idioma">' in spanish

    english = client.get(f"{path}?lang=en").get_data(as_text=True)
    assert html_lang(english) == "en"
    assert '<a href="?lang=en" lang="en" hreflang="en" aria-current="true">English</a>' in english
    assert "Our agreement" in english and "Getting ready" in english and "Nuestros acuerdos" not in english
    assert mode_labels(english)["speak"] == "Speak"


def test_an_english_circles_join_page_stays_english(org, client):
    group = make_group(org.id, timezone="Europe/London")
    make_session(group)
    db.session.commit()
    html = client.get(_join_path(org, group), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_lang(html) == "en"
    assert "Our agreement" in html and "Raise my hand" in html and "Get help now" in html
    assert "Nuestros acuerdos" not in html and "Pedir ayuda ya" not in html
    assert {"Our agreement", "Raise my hand", "Exit now"} <= set(english_left(html)), (
        "the check finds English"
    )


def test_help_pages_speak_the_browsers_language(client):
    spanish = client.get("/help/GB", headers={"Accept-Language": "es-419,es;q=0.9"}).get_data(as_text=True)
    assert html_lang(spanish) == "es"
    for phrase in ("Ayuda, ahora mismo", "Líneas para el Reino Unido", "Llamar al 999", "Línea de crisis"):
        assert phrase in spanish, phrase
    assert "Samaritans" in spanish and "Shout" in spanish
    assert english_left(spanish) == []

    chooser = client.get("/help?lang=es").get_data(as_text=True)
    assert "Reino Unido" in chooser and "En otro lugar" in chooser
    assert english_left(chooser) == []

    # The choice made with ?lang=es above is remembered: only another choice changes it.
    assert html_lang(client.get("/help/GB", headers={"Accept-Language": "en"}).get_data(as_text=True)) == "es"
    english = client.get("/help/GB?lang=en").get_data(as_text=True)
    assert "Lines for the United Kingdom" in english and "Call 999" in english


def test_sign_in_speaks_spanish_and_so_does_its_refusal(org, client):
    spanish = {"Accept-Language": "es"}
    page = client.get("/facilitator/sign-in", headers=spanish).get_data(as_text=True)
    assert html_lang(page) == "es" and "Inicio de sesión para facilitar" in page and "Contraseña" in page
    assert english_left(page) == []

    client.set_cookie(CHOICE_COOKIE, "es")
    refused = sign_in(client, "nobody@example.org", "not the password").get_data(as_text=True)
    assert "El correo electrónico o la contraseña no son correctos." in refused
    assert english_left(refused) == []

    expired = client.post("/facilitator/sign-in", data={"email": "a@example.org", "password": "x"})
    assert expired.status_code == 400
    assert "El formulario ha caducado." in expired.get_data(as_text=True)


def test_the_console_of_a_spanish_circle_speaks_spanish(org, client, amira):  # noqa: F811
    group = spanish_group(org.id)
    assign(group, amira)
    session = add_session(group, timedelta(minutes=5))

    html = client.get(f"/facilitator/sessions/{session.id}").get_data(as_text=True)

    assert html_lang(html) == "es"
    for phrase in ("Controles de la sala", "Atajos de teclado", "Terminar la sesión…", "Sala de espera"):
        assert phrase in html, phrase
    # Nobody is on call: the notice comes from the domain, in Spanish all the same.
    assert "La organización no tiene ninguna vía de guardia" in html
    assert mode_labels(html)["listen_only"] == "Solo escuchar"
    assert english_left(html) == []

    sessions = client.get("/facilitator", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Tus sesiones" in sessions and "Cerrar sesión" in sessions
    assert english_left(sessions) == []


def test_after_a_spanish_session_the_console_says_who_came_in_spanish(org, client, amira):  # noqa: F811
    group = spanish_group(org.id)
    assign(group, amira)
    session = add_session(group, timedelta(hours=-2), status="ended")
    attend(session, external_ref="crm-1", check_in=2, check_out=4)
    facilitator_attends(session, amira)

    html = client.get(f"/facilitator/sessions/{session.id}").get_data(as_text=True)

    assert "Se unió 1 participante." in html
    assert "Participante, hablando" in html and "aceptó los acuerdos" in html
    assert "Persona facilitadora, facilitando" in html
    assert english_left(html) == []


def test_a_new_group_gets_the_default_agreement_in_its_language(org):
    assert create_group(org, language="es-MX")["agreement"] == default_agreement("es")
    assert default_agreement("es")[0] == "Una voz a la vez."
    english = create_group(org, language="en-GB")
    assert english["agreement"] == list(DEFAULT_AGREEMENT)
    assert create_group(org, language="pt-BR")["agreement"] == list(DEFAULT_AGREEMENT)

    changed = org.patch(f"/api/v1/groups/{english['id']}", json={"language": "es"})
    assert changed.json["agreement"] == list(DEFAULT_AGREEMENT), "a change of language keeps the text"


def test_every_other_page_speaks_spanish_to_a_spanish_browser(client):
    spanish = {"Accept-Language": "es-ES,es;q=0.9"}
    pages = {
        "/": "Pequeños círculos de apoyo entre pares",
        "/join/not-a-link": "Este enlace ya no es válido",
        "/facilitator/password/not-a-link": "Pide uno nuevo a tu organización.",
        "/directory/00000000-0000-4000-8000-000000000000": "Aquí no hay ningún directorio",
        "/on-call/acknowledge/not-a-link": "Este enlace no funciona",
    }
    for path, phrase in pages.items():
        html = client.get(path, headers=spanish).get_data(as_text=True)
        assert html_lang(html) == "es" and phrase in html, path
        assert english_left(html) == [], path
    # The reference's own words are the API's (English); its page around them is Spanish.
    docs = client.get("/api/v1/docs", headers=spanish).get_data(as_text=True)
    assert "Referencia de la API" in docs and "Autentica cada llamada" in docs
