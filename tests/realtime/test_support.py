"""The escalation path end to end: support requests, risk language, alerts, escalation, fallbacks."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from service.domain import crisis
from service.extensions import db
from service.live import private, support
from service.models import GroupFacilitator, Incident, Registration, SupportAlert
from tests.realtime.acks import error_code
from tests.realtime.conftest import add_facilitator, add_registration, last_state, peek_state, received
from tests.realtime.ticks import clock_tick

RISKY = "I want to kill myself tonight"
ALERT_KEYS = {
    "id",
    "kind",
    "seat_id",
    "display_name",
    "text",
    "created_at",
    "taken_by",
    "on_call_incident_id",
}


def add_co_facilitator(circle, name: str = "Kai"):
    """A second facilitator of the circle's group, as its co-facilitator."""
    person = add_facilitator(circle.group, name)
    link = db.session.get(GroupFacilitator, (circle.group.id, person.id))
    link.role = "co"
    db.session.commit()
    return person


def resources_of(circle, registration: Registration | None) -> list[dict]:
    region = crisis.region_for(registration, circle.group)
    return crisis.resources_for(circle.group.organization_id, region)


def incidents() -> list[Incident]:
    db.session.rollback()  # only what was committed is seen
    return list(db.session.execute(db.select(Incident).order_by(Incident.created_at)).scalars())


def only_alert() -> SupportAlert:
    db.session.rollback()  # only what was committed is seen
    return db.session.execute(db.select(SupportAlert)).scalar_one()


def types(events) -> list[str]:
    return [event_type for _, event_type, _ in events]


@pytest.fixture
def channels(monkeypatch) -> list[tuple]:
    """Every private channel opened, as (session id, facilitator seat, participant seat)."""
    opened: list[tuple] = []
    original = private.open_channel

    def record(store, session_id, facilitator_seat_id, participant_seat_id):
        opened.append((session_id, facilitator_seat_id, participant_seat_id))
        original(store, session_id, facilitator_seat_id, participant_seat_id)

    monkeypatch.setattr(private, "open_channel", record)
    return opened


@pytest.fixture
def host(circle):
    client = circle.host()
    assert client.emit("room:open", callback=True) == {"ok": True}
    return client


def test_a_support_request_alerts_the_lead_lists_it_for_everyone_and_answers_resources(
    circle, host, outbox_events
):
    co = circle.host(add_co_facilitator(circle))
    registration, token = add_registration(circle.group, region="GB")
    sam = circle.join(token)
    sam.emit("room:agree", {"display_name": "Sam", "mode": "listen_only"}, callback=True)
    sam_seat = last_state(sam)["you"]["seat_id"]
    host.get_received()
    co.get_received()

    ack = sam.emit("support:request", callback=True)

    assert ack["ok"] is True
    assert ack["resources"] == resources_of(circle, registration)
    assert ack["resources"]
    assert (ack["reached"], ack["emergency_number"]) == ("facilitator", "999")
    host_events, co_events = host.get_received(), co.get_received()
    # The lead is alerted first; the co-facilitator is not interrupted yet, but sees it listed.
    assert [e for e in co_events if e["name"] == "alert:new"] == []
    alerts = [e["args"][0] for e in host_events if e["name"] == "alert:new"]
    assert len(alerts) == 1
    alert = alerts[0]
    assert set(alert) == ALERT_KEYS
    assert (alert["id"], alert["kind"], alert["seat_id"], alert["display_name"]) == (
        ack["alert_id"],
        "support_request",
        sam_seat,
        "Sam",
    )
    assert (alert["text"], alert["taken_by"], alert["on_call_incident_id"]) == (None, None, None)
    for events in (host_events, co_events):
        states = [e["args"][0] for e in events if e["name"] == "room:state"]
        assert states[-1]["alerts"] == [alert]
    # The person asking is answered, and told nothing else.
    assert sam.get_received() == []
    assert host.emit("room:lock", {"locked": False}, callback=True) == {"ok": True}
    assert "alerts" not in last_state(sam)
    assert last_state(host)["alerts"][0]["id"] == ack["alert_id"]
    assert types(outbox_events) == ["support.requested"]
    _, _, data = outbox_events[0]
    assert data["alert_id"] == ack["alert_id"]
    assert data["seat_id"] == sam_seat
    assert data["facilitator_connected"] is True
    assert data["incident_id"] is None
    assert "Sam" not in json.dumps(data)
    assert incidents() == []


def test_asking_again_before_anyone_takes_it_raises_nothing_new(circle, host, outbox_events):
    sam, _ = circle.participant("Sam")
    first = sam.emit("support:request", callback=True)
    host.get_received()
    again = sam.emit("support:request", callback=True)
    assert again["alert_id"] == first["alert_id"]
    assert again["resources"] == first["resources"]
    assert received(host, "alert:new") == []
    assert types(outbox_events) == ["support.requested"]


def test_an_alert_stays_in_the_facilitators_state_until_taken_and_taking_opens_a_channel(
    circle, host, channels
):
    sam, sam_seat = circle.admitted("Sam", host)
    alert_id = sam.emit("support:request", callback=True)["alert_id"]
    host.disconnect()
    back = circle.host()
    alerts = last_state(back)["alerts"]
    assert [(a["id"], a["taken_by"]) for a in alerts] == [(alert_id, None)]

    assert back.emit("alert:take", {"alert_id": alert_id}, callback=True) == {"ok": True}

    facilitator_seat = peek_state(back)["you"]["seat_id"]
    assert last_state(back)["alerts"][0]["taken_by"] == facilitator_seat
    assert channels == [(str(circle.session.id), facilitator_seat, sam_seat)]
    alert = only_alert()
    assert alert.taken_by_facilitator_id == circle.facilitator.id
    assert alert.taken_at is not None
    # A taken alert is no longer one to escalate for want of an answer.
    alert.created_at -= timedelta(hours=1)
    db.session.commit()
    clock_tick()
    assert incidents() == []


def test_another_facilitator_cannot_take_an_alert_held_by_someone_still_here(circle, host, channels):
    co = circle.host(add_co_facilitator(circle))
    sam, _ = circle.participant("Sam")
    alert_id = sam.emit("support:request", callback=True)["alert_id"]
    assert host.emit("alert:take", {"alert_id": alert_id}, callback=True) == {"ok": True}
    assert error_code(co.emit("alert:take", {"alert_id": alert_id}, callback=True)) == "conflict"
    host.disconnect()
    assert co.emit("alert:take", {"alert_id": alert_id}, callback=True) == {"ok": True}
    assert only_alert().taken_by_seat_id == peek_state(co)["you"]["seat_id"]
    assert len(channels) == 2


def test_taking_an_unknown_or_another_sessions_alert_is_refused(app, org, circle, host):
    assert error_code(host.emit("alert:take", {"alert_id": str(uuid.uuid4())}, callback=True)) == "not_found"
    assert error_code(host.emit("alert:take", {"alert_id": "not-a-uuid"}, callback=True)) == "invalid"
    assert error_code(host.emit("alert:take", {"alert_id": str(uuid.uuid4()), "x": 1}, callback=True)) == (
        "invalid"
    )
    sam, _ = circle.participant("Sam")
    alert_id = sam.emit("support:request", callback=True)["alert_id"]
    other = circle.session.__class__(
        organization_id=circle.session.organization_id,
        group_id=circle.group.id,
        original_start=circle.session.starts_at + timedelta(days=1),
        starts_at=circle.session.starts_at + timedelta(days=1),
        ends_at=circle.session.ends_at + timedelta(days=1),
    )
    db.session.add(other)
    db.session.commit()
    alert = only_alert()
    alert.session_id = other.id
    db.session.commit()
    assert error_code(host.emit("alert:take", {"alert_id": alert_id}, callback=True)) == "not_found"
    assert only_alert().taken_at is None


def test_participants_cannot_take_or_escalate_and_facilitators_cannot_ask(circle, host, outbox_events):
    sam, sam_seat = circle.admitted("Sam", host)
    alert_id = sam.emit("support:request", callback=True)["alert_id"]
    outbox_events.clear()
    assert error_code(sam.emit("alert:take", {"alert_id": alert_id}, callback=True)) == "forbidden"
    escalation = {"seat_id": sam_seat, "severity": "high", "observed": "Worried.", "alert_id": alert_id}
    assert error_code(sam.emit("incident:escalate", escalation, callback=True)) == "forbidden"
    assert error_code(host.emit("support:request", callback=True)) == "forbidden"
    assert only_alert().taken_at is None
    assert incidents() == []
    assert outbox_events == []


def test_asking_for_support_needs_a_seat(circle, host):
    _, token = add_registration(circle.group)
    unseated = circle.join(token)
    assert error_code(unseated.emit("support:request", callback=True)) == "no_such_seat"
    assert db.session.execute(db.select(SupportAlert)).first() is None


def test_anyone_connected_can_read_the_resources_for_their_region(circle, host):
    circle.group.region = "US"
    registration, token = add_registration(circle.group, region="NZ")
    unseated = circle.join(token)
    assert unseated.emit("resources:get", callback=True) == {
        "ok": True,
        "region": "NZ",
        "resources": resources_of(circle, registration),
    }
    assert host.emit("resources:get", callback=True) == {
        "ok": True,
        "region": "US",
        "resources": resources_of(circle, None),
    }
    assert error_code(host.emit("resources:get", {"region": "GB"}, callback=True)) == "invalid"


def test_escalating_commits_an_incident_tells_the_organization_and_answers_the_checklist(
    circle, host, outbox_events
):
    sam, sam_seat = circle.admitted("Sam", host)
    alert_id = sam.emit("support:request", callback=True)["alert_id"]
    outbox_events.clear()
    escalation = {
        "seat_id": sam_seat,
        "severity": "critical",
        "observed": "  Said they have a plan for tonight.  ",
        "alert_id": alert_id,
    }

    ack = host.emit("incident:escalate", escalation, callback=True)

    assert ack["ok"] is True
    assert ack["checklist"] == json.loads(support.CHECKLIST_FILE.read_text())
    assert any("suicide" in item for item in ack["checklist"])
    (incident,) = incidents()
    assert str(incident.id) == ack["incident_id"]
    assert (incident.seat_id, incident.pseudonym, incident.external_ref) == (
        sam_seat,
        "Sam",
        "person-4711@example.org",
    )
    assert (incident.severity, incident.observed, incident.status) == (
        "critical",
        "Said they have a plan for tonight.",
        "open",
    )
    assert incident.escalated_by == str(circle.facilitator.id)
    assert str(incident.source_alert_id) == alert_id
    assert incident.session_id == circle.session.id
    assert only_alert().incident_id == incident.id
    assert types(outbox_events) == ["incident.created"]
    organization_id, _, data = outbox_events[0]
    assert organization_id == circle.group.organization_id
    assert (data["incident_id"], data["severity"], data["status"], data["seat_id"]) == (
        ack["incident_id"],
        "critical",
        "open",
        sam_seat,
    )
    assert "plan" not in json.dumps(data)


def test_escalating_without_an_alert_finds_the_person_by_their_seat(circle, host):
    _, sam_seat = circle.admitted("Sam", host)
    escalation = {"seat_id": sam_seat, "severity": "medium", "observed": "Withdrawn and tearful."}
    ack = host.emit("incident:escalate", escalation, callback=True)
    (incident,) = incidents()
    assert str(incident.id) == ack["incident_id"]
    assert (incident.pseudonym, incident.external_ref, incident.source_alert_id) == (
        "Sam",
        "person-4711@example.org",
        None,
    )
    assert incident.registration_id is not None


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"severity": "urgent"}, "invalid"),
        ({"observed": "   "}, "invalid"),
        ({"observed": "x" * 2001}, "invalid"),
        ({"observed": "bad\x07bell"}, "invalid"),
        ({"seat_id": "p-nobody"}, "no_such_seat"),
        ({"alert_id": "not-a-uuid"}, "invalid"),
        ({"alert_id": str(uuid.uuid4())}, "not_found"),
        ({"unexpected": True}, "invalid"),
    ],
)
def test_bad_escalations_are_refused_and_record_nothing(circle, host, change, code, outbox_events):
    _, sam_seat = circle.admitted("Sam", host)
    escalation = {"seat_id": sam_seat, "severity": "high", "observed": "Worried.", **change}
    assert error_code(host.emit("incident:escalate", escalation, callback=True)) == code
    assert incidents() == []
    assert outbox_events == []


def test_escalating_about_a_facilitator_or_with_another_persons_alert_is_refused(circle, host):
    sam, _ = circle.admitted("Sam", host)
    _, ash_seat = circle.admitted("Ash", host)
    alert_id = sam.emit("support:request", callback=True)["alert_id"]
    host_seat = peek_state(host)["you"]["seat_id"]
    for seat_id, alert in ((host_seat, None), (ash_seat, alert_id)):
        escalation = {"seat_id": seat_id, "severity": "high", "observed": "Worried.", "alert_id": alert}
        assert error_code(host.emit("incident:escalate", escalation, callback=True)) == "invalid"
    assert incidents() == []


def test_risk_language_reaches_only_its_author_and_the_facilitators(circle, host, outbox_events):
    sam, sam_seat = circle.admitted("Sam", host)
    alex, _ = circle.admitted("Alex", host)
    for client in (host, sam, alex):
        client.get_received()

    ack = sam.emit("chat:send", {"text": RISKY}, callback=True)

    assert ack["ok"] is True
    message = {
        "id": ack["id"],
        "seat_id": sam_seat,
        "display_name": "Sam",
        "text": RISKY,
    }
    alex_got = alex.get_received()
    assert [event["name"] for event in alex_got] == ["chat:message"]
    assert {k: alex_got[0]["args"][0][k] for k in message} == message
    sam_got = sam.get_received()
    assert [event["name"] for event in sam_got] == ["chat:message", "support:resources"]
    registration = db.session.get(Registration, only_alert().registration_id)
    assert sam_got[1]["args"][0] == {"reason": "chat", "resources": resources_of(circle, registration)}
    host_got = host.get_received()
    assert [event["name"] for event in host_got] == ["chat:message", "alert:new", "room:state"]
    alert = host_got[1]["args"][0]
    assert (alert["kind"], alert["seat_id"], alert["display_name"], alert["text"]) == (
        "risk_language",
        sam_seat,
        "Sam",
        RISKY,
    )
    assert host_got[2]["args"][0]["alerts"] == [alert]
    assert types(outbox_events) == ["support.requested"]
    assert RISKY not in json.dumps([data for _, _, data in outbox_events])


def test_an_ordinary_message_raises_nothing(circle, host, outbox_events):
    sam, _ = circle.admitted("Sam", host)
    host.get_received()
    assert sam.emit("chat:send", {"text": "Thank you all for listening today."}, callback=True)["ok"]
    assert [event["name"] for event in host.get_received()] == ["chat:message"]
    assert db.session.execute(db.select(SupportAlert)).first() is None
    assert outbox_events == []


def test_a_facilitators_own_words_are_not_an_alert(circle, host):
    circle.admitted("Sam", host)
    assert host.emit("chat:send", {"text": RISKY}, callback=True)["ok"]
    assert db.session.execute(db.select(SupportAlert)).first() is None


def test_the_risk_message_is_forgotten_when_the_session_ends(circle, host):
    sam, _ = circle.admitted("Sam", host)
    sam.emit("chat:send", {"text": RISKY}, callback=True)
    assert only_alert().text == RISKY
    assert host.emit("room:end", callback=True) == {"ok": True}
    assert only_alert().text is None


def test_the_risk_message_is_forgotten_when_the_clock_ends_the_session(circle, host):
    sam, _ = circle.admitted("Sam", host)
    sam.emit("chat:send", {"text": RISKY}, callback=True)
    circle.session.ends_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    clock_tick()
    assert only_alert().text is None


def test_with_no_facilitator_connected_a_support_request_goes_to_the_organization(circle, outbox_events):
    sam, sam_seat = circle.participant("Sam")
    ack = sam.emit("support:request", callback=True)
    assert ack["ok"] is True
    assert ack["resources"] == resources_of(circle, None)
    (incident,) = incidents()
    assert (incident.escalated_by, incident.severity, incident.seat_id, incident.pseudonym) == (
        "system",
        "medium",
        sam_seat,
        "Sam",
    )
    assert incident.external_ref == "person-4711@example.org"
    assert "no facilitator was connected" in incident.observed
    assert only_alert().incident_id == incident.id
    assert types(outbox_events) == ["incident.created", "support.requested"]
    requested = outbox_events[1][2]
    assert requested["facilitator_connected"] is False
    assert requested["incident_id"] == str(incident.id)
    # The alert waits for a facilitator who arrives later.
    assert [a["id"] for a in last_state(circle.host())["alerts"]] == [ack["alert_id"]]


def test_with_the_facilitator_dropped_risk_language_goes_to_the_organization_as_high(circle, host):
    sam, _ = circle.admitted("Sam", host)
    host.disconnect()
    assert sam.emit("chat:send", {"text": RISKY}, callback=True)["ok"]
    (incident,) = incidents()
    assert (incident.escalated_by, incident.severity) == ("system", "high")
    assert RISKY not in incident.observed
    assert "risk language" in incident.observed


def test_the_co_facilitator_gets_the_alert_when_the_lead_is_absent(circle, outbox_events):
    co = circle.host(add_co_facilitator(circle))
    sam, sam_seat = circle.participant("Sam")
    co.get_received()
    ack = sam.emit("support:request", callback=True)
    alerts = received(co, "alert:new")
    assert [(a["id"], a["seat_id"]) for a in alerts] == [(ack["alert_id"], sam_seat)]
    assert incidents() == []
    assert types(outbox_events) == ["support.requested"]


def test_an_alert_nobody_takes_in_time_becomes_an_incident(app, circle, host, outbox_events):
    sam, sam_seat = circle.participant("Sam")
    sam.emit("support:request", callback=True)
    clock_tick()
    assert incidents() == []
    alert = only_alert()
    alert.stage_started_at -= timedelta(seconds=app.config["HEARTH_ALERT_TAKE_SECONDS"] + 1)
    db.session.commit()
    outbox_events.clear()

    clock_tick()
    clock_tick()

    (incident,) = incidents()
    assert (incident.escalated_by, incident.severity, incident.seat_id) == ("system", "medium", sam_seat)
    assert "within 120 seconds" in incident.observed
    assert only_alert().incident_id == incident.id
    assert types(outbox_events) == ["incident.created"]


def test_the_take_deadline_follows_the_setting(app, circle, host):
    app.config["HEARTH_ALERT_TAKE_SECONDS"] = 0
    sam, _ = circle.participant("Sam")
    sam.emit("support:request", callback=True)
    clock_tick()
    assert [incident.escalated_by for incident in incidents()] == ["system"]


def test_escalating_about_someone_who_left_keeps_what_is_known_of_them(circle, host):
    sam, sam_seat = circle.admitted("Sam", host)
    ash, ash_seat = circle.admitted("Ash", host)
    sam.emit("support:request", callback=True)
    for client in (sam, ash):
        assert client.emit("room:leave", callback=True) == {"ok": True}
    for seat_id in (sam_seat, ash_seat):
        escalation = {"seat_id": seat_id, "severity": "high", "observed": "Left abruptly."}
        assert host.emit("incident:escalate", escalation, callback=True)["ok"] is True
    named = {incident.seat_id: (incident.pseudonym, incident.external_ref) for incident in incidents()}
    assert named == {
        sam_seat: ("Sam", "person-4711@example.org"),
        ash_seat: (support.LEFT_UNNAMED, "person-4711@example.org"),
    }
