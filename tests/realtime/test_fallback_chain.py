"""The room's fallback chain (lead, then co-facilitators, then on-call) and what each person is told."""

from __future__ import annotations

from datetime import timedelta

from service.domain import oncall_policy
from service.extensions import db
from tests.realtime.acks import error_code
from tests.realtime.conftest import last_state, received
from tests.realtime.test_support import add_co_facilitator, incidents, only_alert
from tests.realtime.ticks import clock_tick


def overdue(app) -> None:
    """Make the only alert's current step older than the take deadline."""
    alert = only_alert()
    alert.stage_started_at -= timedelta(seconds=app.config["HEARTH_ALERT_TAKE_SECONDS"] + 1)
    db.session.commit()


def in_region(circle, region: str) -> None:
    circle.group.region = region
    db.session.commit()


def with_email_route(circle) -> None:
    oncall_policy.replace_policy(
        circle.group.organization_id, [{"kind": "email", "email": "on-call@example.org", "ack_seconds": 300}]
    )


def test_an_untaken_alert_goes_from_the_lead_to_the_co_facilitator_then_to_on_call(app, circle):
    lead = circle.host()
    co = circle.host(add_co_facilitator(circle))
    sam, sam_seat = circle.participant("Sam")
    lead.get_received()
    co.get_received()
    ack = sam.emit("support:request", callback=True)
    assert [a["id"] for a in received(lead, "alert:new")] == [ack["alert_id"]]
    assert received(co, "alert:new") == []

    overdue(app)
    clock_tick()
    assert [a["id"] for a in received(co, "alert:new")] == [ack["alert_id"]]
    assert received(lead, "alert:new") == []
    assert (only_alert().stage, incidents()) == ("co", [])

    overdue(app)
    clock_tick()
    (incident,) = incidents()
    assert (incident.escalated_by, incident.seat_id, only_alert().stage) == ("system", sam_seat, "on_call")
    # Facilitators see that it went to the on-call policy, and can read where that stands.
    listed = last_state(lead)["alerts"]
    assert [a["on_call_incident_id"] for a in listed] == [str(incident.id)]


def test_without_a_lead_in_the_room_the_co_facilitator_is_first(circle):
    co = circle.host(add_co_facilitator(circle))
    sam, _ = circle.participant("Sam")
    co.get_received()
    ack = sam.emit("support:request", callback=True)
    assert [a["id"] for a in received(co, "alert:new")] == [ack["alert_id"]]
    assert only_alert().stage == "co"


def test_with_nobody_in_the_room_and_no_route_the_person_is_told_nobody_was_reached(circle):
    in_region(circle, "GB")
    sam, _ = circle.participant("Sam")
    ack = sam.emit("support:request", callback=True)
    assert ack["reached"] == "nobody"
    # The group's region decides the number, never an address.
    assert ack["emergency_number"] == "999"
    (incident,) = incidents()
    assert incident.notification_status == "no_route"
    # Asking again answers the same truth.
    assert sam.emit("support:request", callback=True)["reached"] == "nobody"


def test_with_nobody_in_the_room_and_a_route_the_person_is_told_on_call_is_being_contacted(circle):
    with_email_route(circle)
    sam, _ = circle.participant("Sam")
    ack = sam.emit("support:request", callback=True)
    assert ack["reached"] == "on_call"
    (incident,) = incidents()
    assert (incident.notification_status, incident.next_step_position) == ("queued", 1)


def test_escalating_with_no_route_tells_the_facilitator_to_call_the_emergency_number(circle):
    in_region(circle, "GB")
    host = circle.host()
    assert host.emit("room:open", callback=True) == {"ok": True}
    _, sam_seat = circle.admitted("Sam", host)
    ack = host.emit(
        "incident:escalate",
        {"seat_id": sam_seat, "severity": "critical", "observed": "Has a plan."},
        callback=True,
    )
    told = ack["notification"]
    assert (told["status"], told["attempts"]) == ("no_route", [])
    assert told["emergency"]["number"] == "999"
    assert "yourself" in told["emergency"]["instruction"]
    assert not any("has been notified" in line for line in ack["checklist"])
    again = host.emit("incident:status", {"incident_id": ack["incident_id"]}, callback=True)
    assert again == {"ok": True, "notification": told}


def test_escalating_with_a_route_says_it_is_queued_not_delivered(circle):
    with_email_route(circle)
    host = circle.host()
    assert host.emit("room:open", callback=True) == {"ok": True}
    _, sam_seat = circle.admitted("Sam", host)
    ack = host.emit(
        "incident:escalate", {"seat_id": sam_seat, "severity": "high", "observed": "Worried."}, callback=True
    )
    assert (ack["notification"]["status"], ack["notification"]["emergency"]) == ("queued", None)


def test_only_a_facilitator_of_the_session_reads_an_incidents_status(circle):
    host = circle.host()
    assert host.emit("room:open", callback=True) == {"ok": True}
    sam, sam_seat = circle.admitted("Sam", host)
    ack = host.emit(
        "incident:escalate", {"seat_id": sam_seat, "severity": "low", "observed": "Quiet."}, callback=True
    )
    asked = {"incident_id": ack["incident_id"]}
    assert error_code(sam.emit("incident:status", asked, callback=True)) == "forbidden"
    unknown = {"incident_id": "00000000-0000-4000-8000-000000000000"}
    assert error_code(host.emit("incident:status", unknown, callback=True)) == "not_found"
    assert error_code(host.emit("incident:status", {"incident_id": "nope"}, callback=True)) == "invalid"


def test_a_facilitator_escalating_an_alert_still_counts_as_reached_by_a_facilitator(circle):
    host = circle.host()
    assert host.emit("room:open", callback=True) == {"ok": True}
    sam, sam_seat = circle.admitted("Sam", host)
    alert_id = sam.emit("support:request", callback=True)["alert_id"]
    escalation = {"seat_id": sam_seat, "severity": "high", "observed": "Worried.", "alert_id": alert_id}
    assert host.emit("incident:escalate", escalation, callback=True)["ok"]
    # Nobody took the alert: asking again answers it, and a facilitator has it.
    again = sam.emit("support:request", callback=True)
    assert (again["alert_id"], again["reached"]) == (alert_id, "facilitator")
    assert only_alert().stage == "lead"
