"""Socket.IO adapters of `service.live.support`: ask for support, crisis resources, alerts, escalation."""

from __future__ import annotations

import uuid
from typing import Any

from service.live import support
from service.live.access import Member
from service.live.runtime import room_store, seat_secret
from service.realtime import schemas
from service.realtime.adapter import Events, utc_now

events = Events()


@events.on("support:request")
def on_support_request(member: Member) -> dict[str, Any]:
    """A participant asks for support: the facilitators are alerted, the person gets resources."""
    alert = support.request_support(room_store(), member, utc_now())
    return support.support_answer(member, alert)


@events.on("resources:get")
def on_resources(member: Member) -> dict[str, Any]:
    """The crisis lines and warmlines for the member's region."""
    region, resources = support.resources(member)
    return {"region": region, "resources": resources}


@events.on("alert:take", schemas.AlertSchema)
def on_take(member: Member, alert_id: uuid.UUID) -> None:
    """A facilitator takes an alert and a private channel opens with the person."""
    support.take_alert(room_store(), member, alert_id, utc_now())


@events.on("incident:escalate", schemas.EscalateSchema)
def on_escalate(
    member: Member, seat_id: str, severity: str, observed: str, alert_id: uuid.UUID | None
) -> dict[str, Any]:
    """Record an incident, committed before this answers, and hand back the safe-messaging checklist."""
    incident_id = support.escalate(
        room_store(),
        member,
        seat_secret(),
        seat_id=seat_id,
        severity=severity,
        observed=observed,
        alert_id=alert_id,
        now=utc_now(),
    )
    return {
        "incident_id": str(incident_id),
        "checklist": support.checklist(member.language),
        "notification": support.incident_status(member, incident_id),
    }


@events.on("incident:status", schemas.IncidentStatusSchema)
def on_incident_status(member: Member, incident_id: uuid.UUID) -> dict[str, Any]:
    """Where the on-call policy stands for an incident of this session: every attempt, the truth."""
    return {"notification": support.incident_status(member, incident_id)}
