"""Alerts, escalation, private messages, norms and chat moderation in the console.

Most tests run against the real server end to end. One routes the page's WebSocket through
the test, which plays the server's part for the support and escalation events, to show every
shape of the contract (refusals included) on the page.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from playwright.sync_api import expect

from tests.browser.helpers import axe_serious, sign_in
from tests.browser.test_console import TIMEOUT, open_console, participant

EVENT = re.compile(r"^42(\d*)(\[.*\])$", re.DOTALL)
NORMS = ["One voice at a time.", "Pass is always an answer."]
CHECKLIST = ["Stay with the person and listen.", "Share the crisis resources for their region."]
NO_ROUTE = {
    "status": "no_route",
    "delivered_to_step": None,
    "next_step_at": None,
    "acknowledged_by": None,
    "attempts": [],
    "emergency": {
        "region": "GB",
        "number": "999",
        "instruction": "Nobody at your organization has been reached. If you think the person may be in "
        "danger, call 999 (GB) yourself now, and stay with them.",
    },
}


class PlayedServer:
    """The page's WebSocket, passed through to Hearth, with some events answered by the test."""

    def __init__(self, page) -> None:
        self.page = page
        self.sent: list[list] = []
        self.upgraded = False
        self.answers: dict[str, list[dict]] = {}  # event -> acks to give, in order
        self.ws = None
        page.route_web_socket(re.compile(r"/socket\.io/"), self._route)

    def _route(self, ws) -> None:
        self.ws = ws
        server = ws.connect_to_server()
        ws.on_message(lambda message: self._from_page(message, server))
        server.on_message(lambda message: ws.send(self._from_server(message)))

    def _from_page(self, message, server) -> None:
        if message == "5":
            self.upgraded = True
        match = EVENT.match(message) if isinstance(message, str) else None
        if match:
            ack_id, event = match.group(1), json.loads(match.group(2))
            self.sent.append(event)
            if self.answers.get(event[0]):
                self.ws.send(f"43{ack_id}{json.dumps([self.answers[event[0]].pop(0)])}")
                return
        server.send(message)

    def _from_server(self, message):
        match = EVENT.match(message) if isinstance(message, str) else None
        if match:
            event = json.loads(match.group(2))
            if event[0] == "room:state" and "norms" not in event[1]:
                event[1]["norms"] = NORMS
                return f"42{json.dumps(event)}"
        return message

    def wait(self, test, what: str) -> None:
        for _ in range(TIMEOUT // 50):
            if test():
                return
            self.page.wait_for_timeout(50)
        raise AssertionError(f"{what}; sent: {self.sent}")

    def emit(self, event: str, payload: dict) -> None:
        """Send the page a server event."""
        self.ws.send(f"42{json.dumps([event, payload])}")

    def expect_sent(self, *event) -> None:
        self.wait(lambda: list(event) in self.sent, f"{list(event)} not sent")


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def test_an_alert_is_taken_messaged_and_escalated(make_circle, open_page):
    circle = make_circle(participants=1)
    page = open_page()
    played = PlayedServer(page)
    sign_in(page, circle)
    open_console(page, circle)
    played.wait(lambda: played.upgraded, "the connection never moved to WebSocket")
    page.get_by_role("button", name="Open the room").click()
    sam = participant(circle, 0, "Sam")
    try:
        page.get_by_role("button", name="Admit Sam").click()
        seat = sam.state(lambda s: (s["you"] or {}).get("where") == "room")["you"]["seat_id"]

        played.emit(
            "alert:new",
            {
                "id": "alert-1",
                "kind": "risk_language",
                "seat_id": seat,
                "display_name": "Sam",
                "text": "i dont want to be here anymore",
                "created_at": now_iso(),
                "taken_by": None,
            },
        )
        alerts = page.locator("#alerts-list")
        expect(alerts).to_contain_text("i dont want to be here anymore", timeout=TIMEOUT)
        expect(page.locator("#console-urgent")).to_contain_text("Sam", timeout=TIMEOUT)
        expect(page.locator("#alerts-count")).to_have_text("(1 not taken)")
        assert axe_serious(page) == []

        played.answers["alert:take"] = [{"ok": True}]
        alerts.get_by_role("button", name="Take Sam's alert").click()
        played.expect_sent("alert:take", {"alert_id": "alert-1"})
        expect(alerts).to_contain_text("You took this.", timeout=TIMEOUT)
        expect(page.get_by_label("To", exact=True)).to_have_value(seat)
        expect(page.get_by_label("Message", exact=True)).to_be_focused()

        expect(page.locator("#private-text")).to_be_focused(timeout=TIMEOUT)
        page.keyboard.type("I'm here with you.")
        page.get_by_role("button", name="Send privately").click()
        played.expect_sent("private:send", {"to": seat, "text": "I'm here with you."})
        played.emit(
            "private:message",
            {
                "id": "pm-1",
                "from": seat,
                "to": "f-x",
                "display_name": "Sam",
                "text": "thank you",
                "sent_at": now_iso(),
            },
        )
        expect(page.locator("#private-list")).to_contain_text("Sam to you", timeout=TIMEOUT)
        expect(page.locator("#private-list")).to_contain_text("thank you")

        # Escalate: a refusal is shown in the form; then the checklist from the ack.
        escalate = alerts.get_by_role("button", name="Escalate about Sam")
        escalate.click()
        dialog = page.get_by_role("dialog", name="Escalate about Sam")
        expect(dialog).to_be_visible()
        dialog.get_by_label("High").check()
        dialog.get_by_label("What you observed").fill("Wrote about not wanting to be here.")
        played.answers["incident:escalate"] = [
            {
                "ok": False,
                "error": {"code": "internal", "message": "The incident could not be recorded; try again."},
            },
            {"ok": True, "incident_id": "inc-1", "checklist": CHECKLIST, "notification": NO_ROUTE},
        ]
        dialog.get_by_role("button", name="Escalate").click()
        expect(dialog.locator("#escalate-error")).to_have_text(
            "The incident could not be recorded; try again.", timeout=TIMEOUT
        )
        dialog.get_by_role("button", name="Escalate").click()
        expect(dialog.get_by_role("heading", name="Incident recorded")).to_be_focused(timeout=TIMEOUT)
        expect(dialog.get_by_role("listitem")).to_have_text(CHECKLIST)
        # The truth of the on-call policy, and whom to call when nobody was reached.
        expect(dialog.locator("#escalate-notification")).to_have_text(
            "Not delivered: your organization has no on-call route, so nobody there has been told."
        )
        expect(dialog.get_by_role("alert")).to_have_text(NO_ROUTE["emergency"]["instruction"])
        escalated = {
            "seat_id": seat,
            "severity": "high",
            "observed": "Wrote about not wanting to be here.",
            "alert_id": "alert-1",
        }
        assert [e for e in played.sent if e[0] == "incident:escalate"] == [
            ["incident:escalate", escalated]
        ] * 2
        dialog.get_by_role("button", name="Close").click()
        expect(dialog).to_be_hidden()
        expect(escalate).to_be_focused()
    finally:
        sam.close()


def test_norm_reminders_and_chat_deletion_reach_the_participant(make_circle, open_page):
    circle = make_circle(participants=1)
    page = open_page()
    sign_in(page, circle)
    open_console(page, circle)
    page.get_by_role("button", name="Open the room").click()
    sam = participant(circle, 0, "Sam")
    try:
        page.get_by_role("button", name="Admit Sam").click()
        norms = sam.state(lambda s: (s["you"] or {}).get("where") == "room")["norms"]

        page.get_by_role("button", name="Room controls").click()
        page.get_by_label("Norm", exact=True).select_option(label=norms[1])
        page.get_by_role("button", name="Remind the room").click()
        assert sam.wait_for("norm:reminder") == {"norm": norms[1], "private": False}
        page.keyboard.press("Escape")

        people = page.locator("#people-list")
        people.get_by_role("button", name="Actions for Sam").click()
        people.get_by_label("Remind Sam privately of").select_option(label=norms[0])
        people.get_by_role("button", name="Send reminder").click()
        assert sam.wait_for("norm:reminder") == {"norm": norms[0], "private": True}

        assert sam.emit("chat:send", {"text": "hello everyone"})["ok"] is True
        chat = page.locator("#chat-list")
        expect(chat).to_contain_text("hello everyone", timeout=TIMEOUT)
        message_id = sam.wait_for("chat:message")["id"]
        chat.get_by_role("button", name="Delete Sam's message").click()
        assert sam.wait_for("chat:deleted") == {"id": message_id}
        expect(chat.get_by_role("listitem")).to_have_count(0, timeout=TIMEOUT)
        expect(page.locator("#chat-heading")).to_be_focused()
    finally:
        sam.close()


def test_a_real_support_request_reaches_the_console(make_circle, open_page):
    """End to end on the server: request, alert, reload, take, private channel, escalate."""
    circle = make_circle(participants=1)
    page = open_page()
    sign_in(page, circle)
    open_console(page, circle)
    page.get_by_role("button", name="Open the room").click()
    sam = participant(circle, 0, "Sam")
    try:
        page.get_by_role("button", name="Admit Sam").click()
        seat = sam.state(lambda s: (s["you"] or {}).get("where") == "room")["you"]["seat_id"]

        ack = sam.emit("support:request")
        assert ack["ok"] is True and ack["resources"], ack
        take = page.locator("#alerts-list").get_by_role("button", name="Take Sam's alert")
        expect(take).to_be_visible(timeout=TIMEOUT)

        page.reload()
        expect(take).to_be_visible(timeout=TIMEOUT)  # the alert stays until taken
        take.click()
        expect(page.locator("#alerts-list")).to_contain_text("You took this.", timeout=TIMEOUT)
        expect(page.get_by_label("To", exact=True)).to_have_value(seat)
        expect(page.locator("#private-text")).to_be_focused(timeout=TIMEOUT)
        page.keyboard.type("I'm here with you.")
        page.get_by_role("button", name="Send privately").click()
        assert sam.wait_for("private:message")["text"] == "I'm here with you."

        page.locator("#alerts-list").get_by_role("button", name="Escalate about Sam").click()
        dialog = page.get_by_role("dialog", name="Escalate about Sam")
        dialog.get_by_label("Medium").check()
        dialog.get_by_label("What you observed").fill("Asked for support and said they feel unsafe.")
        dialog.get_by_role("button", name="Escalate").click()
        expect(dialog.get_by_role("heading", name="Incident recorded")).to_be_focused(timeout=TIMEOUT)
        assert dialog.get_by_role("listitem").count() >= 1
        incidents = circle.api.get(f"{circle.api_url}/incidents").json()["items"]
        assert [incident["severity"] for incident in incidents] == ["medium"]
    finally:
        sam.close()
