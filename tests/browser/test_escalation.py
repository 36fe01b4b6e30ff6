"""The escalation path between real browsers: a participant's page and the facilitator's console."""

from __future__ import annotations

import socket
import time

from playwright.sync_api import expect

from tests.browser.helpers import SCREENSHOTS, sign_in
from tests.browser.room_helpers import Host, get_ready, in_room
from tests.browser.test_console import TIMEOUT, open_console
from tests.live_server import free_port

LATENCY = SCREENSHOTS.parent / "support-alert-latency.txt"


def console_with_room_open(circle, open_page):
    console = open_page()
    sign_in(console, circle)
    open_console(console, circle)
    console.get_by_role("button", name="Open the room").click()
    expect(console.get_by_role("button", name="Open the room")).to_be_hidden(timeout=TIMEOUT)
    return console


def admit(console, name: str, page) -> None:
    console.get_by_role("button", name=f"Admit {name}").click()
    in_room(page)


def test_i_need_support_reaches_the_console_at_once_and_opens_a_private_channel(make_circle, open_page):
    circle = make_circle(participants=1)
    console = console_with_room_open(circle, open_page)
    sam = open_page()
    get_ready(sam, circle.join_links[0], "Sam", "listen_only")
    admit(console, "Sam", sam)

    asked = time.monotonic()
    sam.get_by_role("button", name="I need support").click()
    take = console.locator("#alerts-list").get_by_role("button", name="Take Sam's alert")
    expect(take).to_be_visible(timeout=TIMEOUT)
    latency_ms = (time.monotonic() - asked) * 1000
    LATENCY.parent.mkdir(parents=True, exist_ok=True)
    LATENCY.write_text(f"'I need support' pressed to the alert shown in the console: {latency_ms:.0f} ms\n")
    print(f"\n'I need support' pressed to the alert shown in the console: {latency_ms:.0f} ms")

    # The person sees help for their region at once, without leaving the room.
    panel = sam.locator("[data-stage] [data-support-panel]")
    expect(panel.get_by_text("A facilitator has been told")).to_be_visible(timeout=TIMEOUT)
    assert panel.locator("a[href^='tel:'], a[href^='sms:']").count() > 0

    take.click()
    expect(console.locator("#alerts-list")).to_contain_text("You took this.", timeout=TIMEOUT)
    expect(console.locator("#private-text")).to_be_focused(timeout=TIMEOUT)
    console.keyboard.type("I'm here with you. Would you like to talk here?")
    console.get_by_role("button", name="Send privately").click()
    private = sam.locator("[data-stage] [data-private-log]")
    expect(private).to_contain_text("I'm here with you.", timeout=TIMEOUT)


def test_risk_language_alerts_the_console_and_shows_only_its_author_the_resources(make_circle, open_page):
    circle = make_circle(participants=2)
    console = console_with_room_open(circle, open_page)
    sam, ari = open_page(), open_page()
    get_ready(sam, circle.join_links[0], "Sam", "listen_only")
    get_ready(ari, circle.join_links[1], "Ari", "listen_only")
    admit(console, "Sam", sam)
    admit(console, "Ari", ari)

    message = "honestly i dont want to be here anymore, thinking of ending it all"
    sam.get_by_role("textbox", name="Your message to the circle").fill(message)
    sam.get_by_role("button", name="Send", exact=True).click()

    # The author: a private, gentle card with the resources.
    card = sam.locator("[data-stage] [data-support-panel]")
    expect(card.get_by_text("You are not alone")).to_be_visible(timeout=TIMEOUT)
    # The facilitators: an alert carrying the message.
    expect(console.locator("#alerts-list")).to_contain_text(message, timeout=TIMEOUT)
    # Everyone else: the message as written, and nothing about the detection.
    expect(ari.locator("[data-chat-log] li")).to_contain_text(message, timeout=TIMEOUT)
    sam.get_by_role("textbox", name="Your message to the circle").fill("thank you all for listening")
    sam.get_by_role("button", name="Send", exact=True).click()
    expect(ari.locator("[data-chat-log] li")).to_have_count(2, timeout=TIMEOUT)
    assert ari.locator("[data-support-panel]").is_hidden()
    assert ari.get_by_text("You are not alone").count() == 0
    assert ari.locator("#alerts-list").count() == 0


def told_nobody_in_the_lobby(circle, open_page, *, never: str):
    """Sam asks for support from the lobby; their panel ends saying nobody was reached, 999 and the lines."""
    sam = open_page()
    get_ready(sam, circle.join_links[0], "Sam", "listen_only")
    sam.locator("[data-lobby-support]").click()
    panel = sam.locator("[data-lobby-support-panel]")
    expect(panel.get_by_role("heading", name="We could not reach anyone right now")).to_be_visible(
        timeout=TIMEOUT
    )
    expect(panel).to_contain_text("please call 999 now")
    expect(panel).not_to_contain_text(never)
    assert panel.locator("a[href^='tel:'], a[href^='sms:']").count() > 0


def test_with_nobody_to_reach_the_person_is_told_so_and_whom_to_call(make_circle, open_page):
    # No facilitator connected, and the organization has no on-call route.
    circle = make_circle(participants=1)
    told_nobody_in_the_lobby(circle, open_page, never="A facilitator has been told")
    # The facilitator arriving later sees the alert, that nobody was reached, and whom to call.
    console = open_page()
    sign_in(console, circle)
    open_console(console, circle)
    expect(console.locator("#on-call-readiness")).to_contain_text("no on-call route")
    alerts = console.locator("#alerts-list")
    expect(alerts).to_contain_text("Not delivered: your organization has no on-call route", timeout=TIMEOUT)
    expect(alerts.locator(".notice-urgent")).to_contain_text("call 999 (GB) yourself")


def test_when_the_on_call_route_then_fails_the_persons_panel_says_nobody_was_reached(make_circle, open_page):
    # No facilitator connected; the only route is e-mail, and this server has no SMTP: it fails.
    circle = make_circle(participants=1)
    policy = {"steps": [{"kind": "email", "email": "on-call@example.org", "ack_seconds": 60}]}
    response = circle.api.put(f"{circle.api_url}/on-call-policy", json=policy)
    assert response.status_code == 200, response.text
    # Told at first that on-call is being contacted, then, once the route failed, the truth.
    told_nobody_in_the_lobby(circle, open_page, never="on-call team is being contacted")


def _on_call_through_a_webhook_that_fails(circle, port: int | None = None) -> None:
    """The only on-call step: a webhook on `port` (else one refusing); it fails, is retried, fails again."""
    endpoint = circle.api.post(
        f"{circle.api_url}/webhooks",
        json={"url": f"http://127.0.0.1:{port or free_port()}/on-call", "event_types": ["incident.created"]},
    )
    assert endpoint.status_code == 201, endpoint.text
    step = {"kind": "webhook", "endpoint_id": endpoint.json()["id"], "ack_seconds": 60}
    response = circle.api.put(f"{circle.api_url}/on-call-policy", json={"steps": [step]})
    assert response.status_code == 200, response.text


def _unreached(circle) -> bool:
    incidents = circle.api.get(f"{circle.api_url}/incidents", params={"session_id": circle.session_id}).json()
    return [i["notification_status"] for i in incidents["items"]] == ["unreached"]


def test_a_person_offline_while_nobody_could_be_reached_is_told_when_back_and_on_every_load(
    make_circle, open_page
):
    circle = make_circle(participants=1)
    _on_call_through_a_webhook_that_fails(circle)
    sam = open_page()
    get_ready(sam, circle.join_links[0], "Sam", "listen_only")
    sam.locator("[data-lobby-support]").click()
    panel = sam.locator("[data-lobby-support-panel]")
    contacting = panel.get_by_role("heading", name="We are contacting the organization's on-call team")
    expect(contacting).to_be_visible(timeout=TIMEOUT)

    # The connection drops before the step's retry fails: the change happens while Sam is away.
    sam.context.set_offline(True)
    expect(sam.locator("[data-lobby-status]")).to_contain_text("Reconnecting", timeout=TIMEOUT)
    deadline = time.monotonic() + 30
    while not _unreached(circle):
        assert time.monotonic() < deadline, "the on-call step never ended unreached"
        time.sleep(0.3)
    time.sleep(2)  # the room clock looked for whom to tell, and Sam was not there
    expect(contacting).to_be_visible()

    sam.context.set_offline(False)
    nobody = panel.get_by_role("heading", name="We could not reach anyone right now")
    expect(nobody).to_be_visible(timeout=20_000)
    expect(panel).to_contain_text("please call 999 now")
    assert panel.locator("a[href^='tel:'], a[href^='sms:']").count() > 0

    # A reload: the page says so before any connection (the help panel, rendered by the server),
    # and the support panel says so again once the seat is back in the lobby.
    sam.reload()
    help_panel = sam.locator("#help-now [data-own-reach]")
    expect(help_panel.get_by_role("heading", name="We could not reach anyone right now")).to_be_visible()
    expect(help_panel).to_contain_text("please call 999 now")
    expect(nobody).to_be_visible(timeout=TIMEOUT)
    # Without scripts at all, the page says the same.
    plain = open_page(javascript=False)
    plain.goto(circle.join_links[0])
    expect(plain.locator("#help-now [data-own-reach]")).to_contain_text("We could not reach anyone right now")


def test_a_person_removed_before_nobody_could_be_reached_is_told_on_the_page_they_were_left_on(
    make_circle, open_page
):
    circle = make_circle(participants=1)
    # A receiver that takes the connection and never answers: each try waits out its timeout
    # (10 seconds), so nobody is known to be unreachable until well after Sam is removed.
    silent = socket.create_server(("127.0.0.1", 0))
    _on_call_through_a_webhook_that_fails(circle, silent.getsockname()[1])
    sam = open_page()
    get_ready(sam, circle.join_links[0], "Sam", "listen_only")
    sam.locator("[data-lobby-support]").click()
    panel = sam.locator("[data-lobby-support-panel]")
    expect(
        panel.get_by_role("heading", name="We are contacting the organization's on-call team")
    ).to_be_visible(timeout=TIMEOUT)
    # The facilitator arrives only now, and takes Sam out: Sam's page has no connection any more.
    host_page = open_page()
    sign_in(host_page, circle)
    host = Host(host_page, circle.session_id)
    [seat] = host.lobby()
    assert host.send("seat:remove", {"seat_id": seat["seat_id"]})["ok"]
    sam.locator('[data-step="removed"]').wait_for(timeout=TIMEOUT)
    assert not _unreached(circle)
    reach = sam.locator("#help-now [data-own-reach]")
    expect(
        reach.get_by_role("heading", name="We are contacting the organization's on-call team")
    ).to_be_visible(timeout=20_000)
    # The step's retry fails: the page, asking now and then, says so without any connection.
    expect(reach.get_by_role("heading", name="We could not reach anyone right now")).to_be_visible(
        timeout=40_000
    )
    expect(reach).to_contain_text("please call 999 now")
    assert _unreached(circle)
    silent.close()
