"""Every JSON response carries exactly the fields its OpenAPI schema declares, of the declared types.

One representative call of every operation that answers with a JSON body, on data where each
optional part is present (a group's facilitators, an incident's notes, a delivery's attempts), is
checked field by field against the document, nested objects too: schema and response cannot drift.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from service.domain import audit, notes, outbox
from service.domain.check_ins import last_complete_month
from service.extensions import db
from service.models import SupportAlert, WebhookAttempt, WebhookDelivery, utcnow
from tests.api.attendance_rows import attend, facilitator_attends
from tests.api.helpers import make_group, make_session
from tests.api.test_incidents import add_incident
from tests.realtime.conftest import add_facilitator, add_registration

JSON_TYPES = {
    type(None): "null",
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def _types(schema: dict) -> set[str]:
    declared = schema.get("type", [])
    types = {declared} if isinstance(declared, str) else set(declared)
    return types | {"integer"} if "number" in types else types


class Shapes:
    """Calls the API as `org`, checks each body against the document, and notes the operations seen."""

    def __init__(self, spec: dict, org) -> None:
        self.spec = spec
        self.org = org
        self.seen: set[tuple[str, str]] = set()
        self.problems: list[str] = []

    def _resolve(self, schema: dict, value: Any) -> dict | None:
        if "$ref" in schema:
            return self._resolve(self.spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]], value)
        for combined in ("anyOf", "allOf", "oneOf"):
            if combined in schema:
                options = [s for s in schema[combined] if s != {"type": "null"}]
                if value is None:
                    return None if len(options) < len(schema[combined]) else options[0]
                return self._resolve(options[0], value)
        return schema

    def check(self, schema: dict, value: Any, where: str) -> None:
        resolved = self._resolve(schema, value)
        if resolved is None:
            return
        kind = JSON_TYPES[type(value)]
        if resolved.get("type") and kind not in _types(resolved):
            self.problems.append(f"{where}: {kind}, declared {resolved['type']}")
            return
        if kind == "object" and "properties" in resolved:
            declared = set(resolved["properties"])
            if set(value) != declared:
                missing, extra = sorted(declared - set(value)), sorted(set(value) - declared)
                self.problems.append(f"{where}: missing {missing}, not declared {extra}")
            for name in declared & set(value):
                self.check(resolved["properties"][name], value[name], f"{where}.{name}")
        if kind == "array" and "items" in resolved:
            for index, item in enumerate(value):
                self.check(resolved["items"], item, f"{where}[{index}]")

    def call(
        self, method: str, template: str, *, json: dict | None = None, query: str = "", **ids: Any
    ) -> dict:
        """Make the call, check its body against the operation's schema, and return the body."""
        url = template.format(**ids) + query
        response = self.org.client.open(url, method=method, headers=self.org.headers(), json=json)
        assert 200 <= response.status_code < 300, (method, template, response.json)
        operation = self.spec["paths"][template][method.lower()]
        content = operation["responses"][str(response.status_code)]["content"]["application/json"]
        self.check(content["schema"], response.json, f"{method} {template}")
        self.seen.add((method.lower(), template))
        return response.json


def _json_operations(spec: dict) -> set[tuple[str, str]]:
    return {
        (method, path)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
        and any(
            "application/json" in answer.get("content", {})
            for status, answer in operation["responses"].items()
            if status.startswith("2")
        )
    }


@pytest.fixture
def shapes(app, org) -> Shapes:
    shapes = Shapes(app.extensions["hearth_api"].spec.to_dict(), org)
    _walk_every_resource(shapes)
    return shapes


def _walk_every_resource(shapes: Shapes) -> None:
    """One call of each operation with a JSON answer, on data that fills every optional part."""
    call = shapes.call
    api = "/api/v1"

    call("GET", f"{api}/organization")
    call("PATCH", f"{api}/organization", json={"name": "Riverside Circles"})
    key = call("POST", f"{api}/api-keys", json={"name": "Scheduler"})
    call("GET", f"{api}/api-keys")
    call("GET", api + "/api-keys/{key_id}", key_id=key["id"])

    amira = call("POST", f"{api}/facilitators", json={"name": "Amira", "email": "amira@example.org"})
    robin = call("POST", f"{api}/facilitators", json={"name": "Robin", "email": "robin@example.org"})
    call("GET", f"{api}/facilitators")
    call("GET", api + "/facilitators/{facilitator_id}", facilitator_id=amira["id"])
    call(
        "PATCH", api + "/facilitators/{facilitator_id}", facilitator_id=amira["id"], json={"name": "Amira H."}
    )
    call("POST", api + "/facilitators/{facilitator_id}/password-link", facilitator_id=amira["id"])

    body = {
        "title": "Monday evening circle",
        "timezone": "Europe/London",
        "first_start": "2030-03-04T19:00:00",
        "recurrence": {"frequency": "weekly"},
        "facilitators": [{"facilitator_id": amira["id"]}, {"facilitator_id": robin["id"], "role": "co"}],
    }
    group = call("POST", f"{api}/groups", json=body)
    call("POST", api + "/facilitators/{facilitator_id}/deactivate", facilitator_id=robin["id"])
    assert call("GET", api + "/facilitators/{facilitator_id}/groups", facilitator_id=amira["id"])["items"]
    call("GET", f"{api}/groups")
    call("GET", api + "/groups/{group_id}", group_id=group["id"])
    call("PATCH", api + "/groups/{group_id}", group_id=group["id"], json={"topic": "Loneliness"})
    other = call("POST", f"{api}/groups", json={**body, "facilitators": [], "recurrence": None})
    call("POST", api + "/groups/{group_id}/archive", group_id=other["id"])

    sessions = call("GET", api + "/groups/{group_id}/sessions", group_id=group["id"])["items"]
    call("GET", f"{api}/sessions")
    call("GET", api + "/sessions/{session_id}", session_id=sessions[0]["id"])
    moved = {"starts_at": "2030-03-05T19:00:00+00:00", "duration_minutes": 90}
    call("POST", api + "/sessions/{session_id}/reschedule", session_id=sessions[0]["id"], json=moved)
    call(
        "POST",
        api + "/sessions/{session_id}/cancel",
        session_id=sessions[1]["id"],
        json={"reason": "Holiday"},
    )

    person = {"external_ref": "person-4711", "region": "us-ca"}
    seat = call("POST", api + "/groups/{group_id}/registrations", group_id=group["id"], json=person)
    call("GET", api + "/groups/{group_id}/registrations", group_id=group["id"])
    call("POST", api + "/sessions/{session_id}/registrations", session_id=sessions[2]["id"], json={})
    call("GET", api + "/sessions/{session_id}/registrations", session_id=sessions[2]["id"])
    call("GET", api + "/registrations/{registration_id}", registration_id=seat["id"])
    call("POST", api + "/registrations/{registration_id}/join-link", registration_id=seat["id"])
    call("DELETE", api + "/registrations/{registration_id}", registration_id=seat["id"])

    _walk_webhooks(shapes)
    _walk_crisis_resources(shapes)
    _walk_incidents(shapes)
    _walk_moderation(shapes)
    _walk_attendance(shapes)
    _walk_people(shapes)


def _walk_webhooks(shapes: Shapes) -> None:
    call = shapes.call
    base = "/api/v1/webhooks"
    hook = {
        "url": "https://hooks.example.org/hearth",
        "event_types": ["session.started"],
        "description": "Ops",
    }
    endpoint = call("POST", base, json=hook)
    call("GET", base)
    call("GET", base + "/{endpoint_id}", endpoint_id=endpoint["id"])
    call("PATCH", base + "/{endpoint_id}", endpoint_id=endpoint["id"], json={"description": "On call"})
    call("POST", base + "/{endpoint_id}/rotate-secret", endpoint_id=endpoint["id"])
    steps = [
        {"kind": "webhook", "endpoint_id": endpoint["id"], "ack_seconds": 120},
        {"kind": "email", "email": "on-call@example.org", "ack_seconds": 300},
    ]
    call("PUT", "/api/v1/on-call-policy", json={"steps": steps})
    call("GET", "/api/v1/on-call-policy")

    outbox.enqueue(shapes.org.id, "session.started", {"session_id": "s1"})
    db.session.commit()
    delivery = db.session.execute(db.select(WebhookDelivery)).scalar_one()
    db.session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            attempted_at=datetime.now(UTC),
            duration_ms=12,
            status_code=503,
            error="http_status",
            response_excerpt="Busy",
        )
    )
    db.session.commit()
    ids = {"endpoint_id": endpoint["id"], "delivery_id": delivery.id}
    call("GET", base + "/{endpoint_id}/deliveries", endpoint_id=endpoint["id"])
    call("GET", base + "/{endpoint_id}/deliveries/{delivery_id}", **ids)
    call("POST", base + "/{endpoint_id}/deliveries/{delivery_id}/redeliver", **ids)


def _walk_crisis_resources(shapes: Shapes) -> None:
    call = shapes.call
    base = "/api/v1/crisis-resources"
    line = {
        "name": "Riverside warmline",
        "kind": "warmline",
        "region": "US",
        "contacts": [{"channel": "call", "value": "555-0100", "note": "Evenings"}],
        "hours": "Evenings",
        "url": "https://riverside.example.org",
        "source": "https://riverside.example.org/warmline",
    }
    resource = call("POST", base, json=line)
    call("GET", base)
    call("GET", base + "/{resource_id}", resource_id=resource["id"])
    call("PATCH", base + "/{resource_id}", resource_id=resource["id"], json={"hours": "Nights"})
    call("GET", f"{base}/directory", query="?region=US")


def _walk_incidents(shapes: Shapes) -> None:
    call = shapes.call
    base = "/api/v1/incidents"
    incident = add_incident(shapes.org)
    call("GET", base)
    call("POST", base + "/{incident_id}/notes", incident_id=incident.id, json={"text": "Called back."})
    call("POST", base + "/{incident_id}/acknowledge", incident_id=incident.id)
    call("GET", base + "/{incident_id}", incident_id=incident.id)
    call("POST", base + "/{incident_id}/resolve", incident_id=incident.id)


def _walk_moderation(shapes: Shapes) -> None:
    call = shapes.call
    base = "/api/v1/sessions/{session_id}"
    group = make_group(shapes.org.id)
    session = make_session(group, starts_in=timedelta(minutes=-5), status="live")
    facilitator = add_facilitator(group, "Kai")
    audit.record(
        session.id,
        audit.Actor(shapes.org.id, facilitator_id=facilitator.id),
        "seat:mute",
        "p-1",
        {"on": True},
    )
    db.session.commit()
    for action in ("remove", "bar"):
        registration, _token = add_registration(group)
        url = base + "/participants/{registration_id}/" + action
        call("POST", url, session_id=session.id, registration_id=registration.id)
    call("POST", base + "/end", session_id=session.id)
    entries = call("GET", base + "/audit", session_id=session.id)["items"]
    assert {entry["facilitator_name"] for entry in entries} == {"Kai", None}


def _walk_attendance(shapes: Shapes) -> None:
    call = shapes.call
    group = make_group(shapes.org.id)
    session = make_session(group, days_ahead=-7, status="ended")
    attend(session, check_in=3, check_out=4)
    facilitator_attends(session, add_facilitator(group, "Noor"))
    rows = call("GET", "/api/v1/sessions/{session_id}/attendance", session_id=session.id)["items"]
    assert {row["registration_id"] is None for row in rows} == {True, False}
    call("GET", "/api/v1/attendance", query=f"?group_id={group.id}")
    month = last_complete_month(utcnow())
    rated = make_session(group, starts_in=month.start() + timedelta(days=9) - utcnow(), status="ended")
    for _ in range(5):
        attend(rated, check_in=2, check_out=3)
    query = f"?from={month}&to={month}"
    figures = call("GET", "/api/v1/groups/{group_id}/check-ins", group_id=group.id, query=query)
    assert figures["arrival"]["shown"] is True
    notes.add_note(session, add_facilitator(group, "Ines"), "Loneliness at the holidays came up.")
    [note] = call("GET", "/api/v1/sessions/{session_id}/notes", session_id=session.id)["items"]
    assert note["facilitator_name"] == "Ines"
    call("GET", "/api/v1/groups/{group_id}/check-ins", group_id=make_group(shapes.org.id).id)


def _walk_people(shapes: Shapes) -> None:
    call = shapes.call
    group = make_group(shapes.org.id)
    session = make_session(group, days_ahead=-7, status="ended")
    registration = attend(session, external_ref="person-4711", check_in=3, check_out=4).registration
    db.session.add(
        SupportAlert(
            organization_id=shapes.org.id,
            session_id=session.id,
            registration_id=registration.id,
            seat_id="p-1",
            display_name="Sam",
            kind="risk_language",
            taken_at=utcnow(),
        )
    )
    incident = add_incident(shapes.org, session)
    incident.registration_id = registration.id
    db.session.commit()
    call("POST", "/api/v1/incidents/{incident_id}/notes", incident_id=incident.id, json={"text": "Called."})
    exported = call("GET", "/api/v1/registrations/{registration_id}/export", registration_id=registration.id)
    assert [len(exported[part]) for part in ("attendance", "support_alerts", "incidents")] == [1, 1, 1]
    call("POST", "/api/v1/people/export", json={"external_ref": "person-4711"})
    call("POST", "/api/v1/registrations/{registration_id}/erase", registration_id=registration.id)
    call("POST", "/api/v1/people/erase", json={"external_ref": "person-0815"})
    call("GET", "/api/v1/erasures")


def test_every_response_carries_exactly_the_fields_its_schema_declares(shapes):
    assert shapes.problems == []


def test_every_operation_with_a_json_answer_is_checked(shapes):
    assert _json_operations(shapes.spec) - shapes.seen == set()


def test_a_drifted_response_is_noticed(app, org):
    shapes = Shapes(app.extensions["hearth_api"].spec.to_dict(), org)
    schema = {"$ref": "#/components/schemas/Session"}
    shapes.check(schema, {"id": str(uuid.uuid4()), "surprise": 1}, "session")
    key = {**dict.fromkeys(("id", "name", "prefix"), "x"), "created_at": 1, "last_used_at": None}
    shapes.check({"$ref": "#/components/schemas/ApiKey"}, {**key, "revoked_at": None}, "key")
    assert len(shapes.problems) == 2
    assert "not declared ['surprise']" in shapes.problems[0] and "'starts_at'" in shapes.problems[0]
    assert shapes.problems[1] == "key.created_at: integer, declared string"
