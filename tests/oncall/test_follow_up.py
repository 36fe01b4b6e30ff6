"""After a crisis: a follow-up due the next day, its reminder, and the list of overdue ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from service.delivery import oncall
from tests.oncall.conftest import email_step, set_policy, webhook_step
from tests.oncall.test_escalation import raise_incident


def test_an_incident_is_due_a_follow_up_the_next_day(org):
    start = datetime.now(UTC)
    incident = raise_incident(org, now=start)
    body = org.get(f"/api/v1/incidents/{incident.id}").json
    assert datetime.fromisoformat(body["follow_up_due_at"]) == start + timedelta(days=1)


def test_overdue_follow_ups_are_listed_until_resolved(org, other_org):
    late = raise_incident(org, now=datetime.now(UTC) - timedelta(days=2))
    raise_incident(org)
    raise_incident(other_org, now=datetime.now(UTC) - timedelta(days=2))
    overdue = org.get("/api/v1/incidents?follow_up=overdue").json["items"]
    assert [item["id"] for item in overdue] == [str(late.id)]
    assert org.post(f"/api/v1/incidents/{late.id}/resolve").status_code == 200
    assert org.get("/api/v1/incidents?follow_up=overdue").json["items"] == []
    assert org.get("/api/v1/incidents?follow_up=soon").status_code == 422


def test_a_due_follow_up_is_reminded_once_through_every_route(org, receiver, smtp):
    receiver.start()
    set_policy(org, webhook_step(org, receiver), email_step("lead@example.org"))
    start = datetime.now(UTC)
    incident = raise_incident(org, now=start)
    assert oncall.remind_due(start + timedelta(hours=23)) == 0
    assert oncall.remind_due(start + timedelta(days=1, seconds=1)) == 1
    assert oncall.remind_due(start + timedelta(days=1, seconds=2)) == 0
    [hook] = [
        json.loads(r.body)
        for r in receiver.received
        if json.loads(r.body)["type"] == "incident.follow_up_due"
    ]
    assert hook["data"]["incident_id"] == str(incident.id)
    [mail] = [m for m in smtp.mailbox.messages if m["Subject"] == "Hearth: a follow-up is due"]
    assert mail["To"] == "lead@example.org"
    attempts = org.get(f"/api/v1/incidents/{incident.id}").json["notification"]["attempts"]
    assert sorted(
        (a["purpose"], a["kind"], a["status"]) for a in attempts if a["purpose"] == "follow_up"
    ) == [
        ("follow_up", "email", "delivered"),
        ("follow_up", "webhook", "delivered"),
    ]


def test_a_resolved_incident_is_not_reminded(org, smtp):
    set_policy(org, email_step())
    start = datetime.now(UTC)
    incident = raise_incident(org, now=start)
    org.post(f"/api/v1/incidents/{incident.id}/resolve")
    assert oncall.remind_due(start + timedelta(days=2)) == 0
