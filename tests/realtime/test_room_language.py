"""What the server says in words over Socket.IO speaks the room's language, or the person's choice."""

from __future__ import annotations

import json

from flask_socketio import SocketIOTestClient

from service.extensions import db, socketio
from service.live import support
from service.web.language import CHOICE_COOKIE
from service.web.signin import remember_sign_in

CHECKLISTS = json.loads(support.CHECKLIST_FILE.read_text(encoding="utf-8"))


def _host(circle, language: str | None = None) -> SocketIOTestClient:
    """The circle's facilitator, connected from a browser that chose `language` on a page (or none)."""
    browser = circle.app.test_client()
    if language:
        browser.set_cookie(CHOICE_COOKIE, language)
    with browser.session_transaction() as cookie:
        remember_sign_in(cookie, circle.facilitator)
    host = socketio.test_client(
        circle.app, flask_test_client=browser, auth={"session_id": str(circle.session.id)}
    )
    assert host.emit("room:open", callback=True) == {"ok": True}
    return host


def _escalate(circle, host) -> dict:
    sam, seat = circle.admitted("Sam", host)
    ack = host.emit(
        "incident:escalate",
        {"seat_id": seat, "severity": "high", "observed": "Said goodbye to everyone."},
        callback=True,
    )
    assert ack["ok"] is True
    sam.disconnect()
    return ack


def test_every_language_has_the_whole_checklist():
    assert set(CHECKLISTS) == {"en", "es"}
    assert len(CHECKLISTS["es"]) == len(CHECKLISTS["en"])
    assert CHECKLISTS["es"] != CHECKLISTS["en"]


def test_a_spanish_rooms_facilitator_gets_the_checklist_and_the_instruction_in_spanish(circle):
    circle.group.language = "es-MX"
    db.session.commit()

    ack = _escalate(circle, _host(circle))

    assert ack["checklist"] == CHECKLISTS["es"]
    # Nobody is on call here: the console is told, in the room's language, to call for help itself.
    instruction = ack["notification"]["emergency"]["instruction"]
    assert instruction.startswith("No se ha localizado a nadie de tu organización.")
    assert ack["notification"]["status"] == "no_route", "codes stay codes"


def test_the_persons_own_choice_outranks_the_rooms_language(circle):
    circle.group.language = "es"
    db.session.commit()

    ack = _escalate(circle, _host(circle, language="en"))

    assert ack["checklist"] == CHECKLISTS["en"]
    assert ack["notification"]["emergency"]["instruction"].startswith(
        "Nobody at your organization has been reached."
    )


def test_an_english_room_is_told_in_english_and_refusals_stay_english(circle):
    host = _host(circle)
    assert _escalate(circle, host)["checklist"] == CHECKLISTS["en"]

    refused = host.emit(
        "incident:escalate", {"seat_id": "p-nobody", "severity": "high", "observed": "x"}, callback=True
    )
    assert refused["ok"] is False and refused["error"]["message"].isascii()
