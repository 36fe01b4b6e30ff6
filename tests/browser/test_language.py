"""A session in Spanish in real Chromium: what the client writes (live regions, stage, rounds,
support, console panels) is in the page's language, and no page logs an error or misses a file, the
catalogue included. Elements are found by their ids and data attributes, not by the templates'
words, which are translated on the server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import RECORD_ANNOUNCEMENTS, heard, said_in_order, sign_in
from tests.browser.room_helpers import WAIT_MS
from tests.browser.test_console import participant
from tests.browser.test_pages_are_clean import _clean, _watch

pytestmark = pytest.mark.slow


def join_in_spanish(page, link: str, name: str) -> None:
    """From the join link with ?lang=es to the lobby, camera off, without the templates' words."""
    page.goto(f"{link}?lang=es")
    assert page.evaluate("document.documentElement.lang") == "es"
    page.locator("#accept-agreement").check()
    page.locator("[data-agree-form] button[type=submit]").click()
    page.locator("[data-device-form] input[name=display_name]").fill(name)
    page.locator("input[name=mode][value=camera_off]").check()
    expect(page.locator("[data-mic-status]")).to_have_text(
        "Di algunas palabras: el nivel de abajo debería moverse.", timeout=WAIT_MS
    )
    page.locator("[data-device-form] button[type=submit]").click()
    page.locator("[data-checkin-skip]").click()
    page.locator('[data-step="lobby"]').wait_for(timeout=WAIT_MS)


def test_a_session_in_spanish(make_circle, open_page):
    circle = make_circle(participants=3)
    console = open_page()
    console_problems = _watch(console)
    sign_in(console, circle)
    console.goto(f"{circle.base_url}/facilitator/sessions/{circle.session_id}?lang=es")
    assert console.evaluate("document.documentElement.lang") == "es"
    connection = console.locator("#console-connection")
    expect(connection).to_have_text("Conexión con la sala establecida.", timeout=WAIT_MS)
    console.locator("#open-room").click()
    expect(console.locator("#room-phase")).to_have_text("La sala está abierta.", timeout=WAIT_MS)

    ana = open_page()
    ana.add_init_script(RECORD_ANNOUNCEMENTS)
    ana_problems = _watch(ana)
    join_in_spanish(ana, circle.join_links[0], "Ana")
    # The circle began a minute ago; its times are the reader's, in Spanish words.
    expect(ana.locator("[data-lobby-clock]")).to_contain_text("El círculo es de ")
    expect(ana.locator("[data-local='zone']")).to_contain_text("(tu hora: ")
    bo = participant(circle, 1, "Bo")
    try:
        announce = console.locator("#console-announce")
        expect(announce).to_contain_text("Ana espera en la sala de espera.", timeout=WAIT_MS)
        expect(console.locator("#lobby-count")).to_have_text("(2 en espera)", timeout=WAIT_MS)
        expect(console.locator("#lobby-list")).to_contain_text("Dejar entrar a Ana")
        console.locator("#admit-all").click()
        expect(announce).to_contain_text("Ana entró a la sala.", timeout=WAIT_MS)
        expect(console.locator("#people-count")).to_have_text("(2 participantes)")
        expect(console.get_by_role("button", name="Acciones para Ana")).to_be_visible()

        ana.locator('[data-step="room"]').wait_for(timeout=WAIT_MS)
        stage = ana.locator("[data-stage]")
        expect(stage.locator("[data-time-left]")).to_contain_text("Tiempo restante: ", timeout=WAIT_MS)
        floor = stage.locator("[data-floor-text]")
        expect(floor).to_have_text("El círculo está abierto: nadie tiene la palabra.")
        expect(stage.locator(".tile-name")).to_contain_text(["Ana (tú)"])

        # The queue: Bo first, then Ana, who hears her place; the floor passes and she moves up.
        assert bo.emit("hand:raise")["ok"] is True
        expect(stage.locator("[data-queue] li")).to_have_count(1, timeout=WAIT_MS)
        stage.locator("[data-hand]").click()
        expect(stage.locator("[data-queue] li")).to_have_count(2, timeout=WAIT_MS)
        expect(console.locator("#queue-list")).to_contain_text("Bo", timeout=WAIT_MS)
        console.get_by_role("button", name="Dar la palabra a Bo").click()
        expect(floor).to_have_text("Bo tiene la palabra.", timeout=WAIT_MS)
        expect(stage.locator("[data-floor-response]")).to_have_text("Bo recibe respuestas con gusto.")
        holder = console.locator("#floor-holder")
        expect(holder).to_contain_text("Bo tiene la palabra y recibe respuestas con gusto.")
        expect(announce).to_contain_text("Bo tiene la palabra.")
        assert bo.emit("floor:release") == {"ok": True}
        pass_next = console.locator("#pass-next")
        expect(pass_next).to_have_text("Dar la palabra a la siguiente mano (Ana)", timeout=WAIT_MS)
        pass_next.click()
        expect(floor).to_have_text("Tienes la palabra. Tómate tu tiempo.", timeout=WAIT_MS)
        stage.locator("[data-floor-release]").click()
        expect(holder).to_have_text("Nadie tiene la palabra.", timeout=WAIT_MS)

        # A refusal is said by its code: nobody new comes into a locked room.
        cy = participant(circle, 2, "Cy")
        console.locator("#controls-toggle").click()
        console.locator("#lock-room").click()
        expect(console.locator("#lock-room")).to_have_attribute("aria-pressed", "true", timeout=WAIT_MS)
        console.keyboard.press("Escape")
        console.get_by_role("button", name="Dejar entrar a Cy").click()
        expect(console.locator("#console-refusal")).to_have_text(
            "La sala está cerrada con llave: nadie nuevo puede entrar.", timeout=WAIT_MS
        )
        cy.close()

        # A round goes around: Ana passes her turn, Bo shares, the round is complete.
        console.locator("[data-round-kind=check_in]").click()
        status = console.locator("#round-status")
        expect(status).to_have_text("Ronda de llegada: turno de Ana. Faltan: Bo.", timeout=WAIT_MS)
        round_section = stage.locator("[data-round]")
        expect(round_section.locator("[data-round-title]")).to_have_text("Ronda de llegada")
        expect(round_section.locator("[data-round-text]")).to_have_text(
            "Es tu turno. Comparte lo que quieras y pulsa «Pasar» cuando termines, o pasa tu turno."
        )
        round_section.locator("[data-round-pass]").click()
        expect(status).to_have_text("Ronda de llegada: turno de Bo. Pasaron: Ana.", timeout=WAIT_MS)
        expect(round_section.locator("[data-round-text]")).to_have_text("Turno de Bo.")
        assert bo.emit("floor:release") == {"ok": True}
        expect(status).to_have_text("No hay ninguna ronda en curso.", timeout=WAIT_MS)
        expect(console.locator("#not-shared")).to_have_text("Todas las personas de la sala han compartido.")

        # Asking for support: Ana is told who knows, the console's alert is in Spanish too.
        stage.locator("[data-support]").click()
        expect(stage.locator("[data-support-panel] h2")).to_have_text(
            "Ya le avisamos a quien facilita", timeout=WAIT_MS
        )
        expect(console.locator("#console-urgent")).to_contain_text("Ana: pidió apoyo.", timeout=WAIT_MS)
        expect(console.locator("#alerts-count")).to_have_text("(1 sin tomar)")
        console.get_by_role("button", name="Tomar la alerta de Ana").click()
        expect(console.locator("#alerts-list")).to_contain_text("Tú lo tomaste.", timeout=WAIT_MS)
        expect(announce).to_contain_text("Tomaste la alerta de Ana. Hay un canal privado abierto.")

        # Escalating: the form's title and where the on-call policy stands are Spanish.
        console.get_by_role("button", name="Escalar sobre Ana").click()
        expect(console.locator("#escalate-title")).to_have_text("Escalar sobre Ana")
        console.locator("input[name=severity][value=medium]").check()
        console.locator("#escalate-observed").fill("Pidió apoyo durante la ronda.")
        console.locator("#escalate-form button[type=submit]").click()
        # The demo organization has no on-call route: the console says so, urgently.
        nobody = (
            "No se entregó: tu organización no tiene una ruta de guardia, "
            "así que nadie allí recibió el aviso."
        )
        expect(console.locator("#console-urgent")).to_contain_text(
            f"Se registró un incidente sobre Ana. {nobody}", timeout=WAIT_MS
        )
        expect(console.locator("#escalate-notification")).to_have_text(nobody)
        console.locator("#escalate-close").click()

        # Two minutes' notice, then the end: the closing time and the goodbye are Spanish.
        end = console.locator("#end-dialog")
        console.locator("#end-session").click()
        end.locator("input[name=how][value=notice]").check()
        end.locator("button[value=confirm]").click()
        expect(announce).to_contain_text(
            "Se avisó a toda la sala que la sesión termina en dos minutos.", timeout=WAIT_MS
        )
        expect(stage.locator("[data-ending]")).to_contain_text(
            re.compile(r"^El círculo cerrará a las .+, dentro de \d minutos?\.$")
        )
        console.locator("#end-session").click()
        end.locator("input[name=how][value=now]").check()
        end.locator("button[value=confirm]").click()
        expect(ana.locator("[data-goodbye-title]")).to_have_text("El círculo terminó", timeout=WAIT_MS)
        expect(connection).to_have_text(
            "La sesión terminó. Gracias por sostener el círculo.", timeout=WAIT_MS
        )

        assert heard(ana, "pageAnnounce") == ["Estás en el círculo."]
        said = heard(ana, "announce")
        assert said_in_order(
            said,
            [
                "Bo levantó la mano.",
                "Levantaste la mano. Tienes el número 2 en la fila.",
                "La palabra pasó a Bo.",
                "Ahora tienes el número 1 en la fila.",
                "La palabra está libre.",
                "Es tu turno: tienes la palabra. Tómate tu tiempo; «Pasar» siempre está bien.",
                "La palabra está libre.",
                # The round gives Ana the floor: the stage says so before the round's own word.
                "Es tu turno: tienes la palabra.",
                "Comenzó la ronda de llegada.",
                "La palabra pasó a Bo.",
                "La ronda terminó.",
            ],
        ), "\n".join(said)
        _clean(ana, ana_problems)
        _clean(console, console_problems)
    finally:
        bo.close()
