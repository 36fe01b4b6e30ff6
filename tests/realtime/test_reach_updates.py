"""The person is told again, once, whenever whom their request reached changes after they asked."""

from __future__ import annotations

from datetime import UTC, datetime

from service.delivery import oncall
from service.domain import incidents as incident_domain
from service.domain import oncall_policy
from tests.realtime.conftest import add_registration, received
from tests.realtime.test_fallback_chain import in_region, overdue
from tests.realtime.test_support import incidents
from tests.realtime.ticks import clock_tick


def email_route(circle) -> None:
    oncall_policy.replace_policy(
        circle.group.organization_id, [{"kind": "email", "email": "on-call@example.org", "ack_seconds": 300}]
    )


def test_when_every_route_fails_the_person_is_told_nobody_was_reached_and_whom_to_call(app, circle):
    in_region(circle, "GB")
    # An e-mail step while e-mail is not set up: it fails when it is tried.
    app.config["HEARTH_SMTP_HOST"] = None
    email_route(circle)
    sam, _ = circle.participant("Sam")
    ack = sam.emit("support:request", callback=True)
    assert ack["reached"] == "on_call"
    sam.get_received()
    clock_tick()
    assert received(sam, "support:update") == []

    assert oncall.page_due() == 1  # the step fails
    assert oncall.page_due() == 0  # nothing is left: the incident ends unreached
    assert incidents()[0].notification_status == "unreached"
    assert clock_tick().reach_told == 1
    assert received(sam, "support:update") == [
        {"alert_id": ack["alert_id"], "reached": "nobody", "emergency_number": "999"}
    ]
    # Told once.
    assert clock_tick().reach_told == 0
    assert received(sam, "support:update") == []


def test_the_person_is_told_when_the_on_call_team_is_sent_the_request_and_acts_on_it(circle, smtp):
    email_route(circle)
    sam, _ = circle.participant("Sam")
    alert_id = sam.emit("support:request", callback=True)["alert_id"]
    sam.get_received()
    oncall.page_due()
    assert smtp.mailbox.messages
    clock_tick()
    [update] = received(sam, "support:update")
    assert (update["alert_id"], update["reached"]) == (alert_id, "on_call_delivered")

    (incident,) = incidents()
    incident_domain.acknowledge(incident.organization_id, incident.id, None, datetime.now(UTC))
    clock_tick()
    assert [u["reached"] for u in received(sam, "support:update")] == ["on_call_acknowledged"]
    # Asking again answers the same truth.
    assert sam.emit("support:request", callback=True)["reached"] == "on_call_acknowledged"


def test_an_alert_nobody_in_the_room_took_tells_the_person_it_went_to_on_call(app, circle):
    email_route(circle)
    circle.host()
    sam, _ = circle.participant("Sam")
    assert sam.emit("support:request", callback=True)["reached"] == "facilitator"
    sam.get_received()
    overdue(app)
    clock_tick()
    assert [u["reached"] for u in received(sam, "support:update")] == ["on_call"]


def test_other_people_in_the_room_are_told_nothing(app, circle):
    app.config["HEARTH_SMTP_HOST"] = None
    email_route(circle)
    sam, _ = circle.participant("Sam")
    ash, _ = circle.participant("Ash")
    sam.emit("support:request", callback=True)
    ash.get_received()
    oncall.page_due()
    oncall.page_due()
    clock_tick()
    assert received(ash, "support:update") == []


def asked_then_dropped(circle) -> tuple[str, str]:
    """Sam asks for support, then the connection drops; Sam's join token and the alert's id."""
    _, token = add_registration(circle.group)
    sam = circle.join(token)
    sam.emit("room:agree", {"display_name": "Sam", "mode": "speak"}, callback=True)
    alert_id = sam.emit("support:request", callback=True)["alert_id"]
    sam.disconnect()
    return token, alert_id


def test_a_person_whose_connection_dropped_is_told_on_their_return_where_their_request_stands(app, circle):
    in_region(circle, "GB")
    app.config["HEARTH_SMTP_HOST"] = None  # the only step fails: nobody is reached
    email_route(circle)
    token, alert_id = asked_then_dropped(circle)
    # While Sam is away, every step of the policy fails, and the clock finds nobody to tell.
    oncall.page_due()
    oncall.page_due()
    assert incidents()[0].notification_status == "unreached"
    clock_tick()

    back = circle.join(token)
    assert received(back, "support:update") == [
        {"alert_id": alert_id, "reached": "nobody", "emergency_number": "999"}
    ]
    # A second return (a reload) is told the same truth again; the clock has nothing new to say.
    clock_tick()
    assert received(back, "support:update") == []
    again = circle.join(token)
    assert [u["reached"] for u in received(again, "support:update")] == ["nobody"]


def test_a_return_after_the_request_was_delivered_is_told_so_and_others_are_told_nothing(circle, smtp):
    email_route(circle)
    token, alert_id = asked_then_dropped(circle)
    oncall.page_due()
    assert smtp.mailbox.messages

    back = circle.join(token)
    [update] = received(back, "support:update")
    assert (update["alert_id"], update["reached"]) == (alert_id, "on_call_delivered")
    ash, _ = circle.participant("Ash")
    assert received(ash, "support:update") == []
    # Someone who never asked is told nothing on connecting.
    _, other = add_registration(circle.group)
    assert received(circle.join(other), "support:update") == []
