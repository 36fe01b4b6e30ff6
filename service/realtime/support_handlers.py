"""Socket.IO adapters of the escalation path: ask for support, crisis resources, alerts, escalation."""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app

from service.live import support
from service.live.access import Member
from service.realtime import schemas
from service.realtime.handlers import _broadcast, _emit_to_seats, _now, _store, event


def tell_facilitators(member: Member, raised: support.Raised) -> None:
    """Every facilitator seat of the session gets the new alert and a room state that lists it."""
    room = _store().snapshot(member.session_id)
    if room is None or not raised.new:
        return
    _emit_to_seats(member, support.facilitator_seats(room), "alert:new", raised.alert)
    _broadcast(member, facilitators_only=True)


@event("support:request")
def on_support_request(member: Member) -> dict[str, Any]:
    """A participant asks for support: the facilitators are alerted, the person gets resources."""
    raised = support.request_support(_store(), member, _now())
    # The facilitators first: the alert is committed, and nothing after it may hold it back.
    tell_facilitators(member, raised)
    return {"alert_id": raised.alert["id"], "resources": support.resources(member)[1]}


@event("resources:get")
def on_resources(member: Member) -> dict[str, Any]:
    """The crisis lines and warmlines for the member's region."""
    region, resources = support.resources(member)
    return {"region": region, "resources": resources}


@event("alert:take", schemas.AlertSchema)
def on_take(member: Member, alert_id: uuid.UUID) -> None:
    """A facilitator takes an alert and a private channel opens with the person."""
    support.take_alert(_store(), member, alert_id, _now())
    _broadcast(member, facilitators_only=True)


@event("incident:escalate", schemas.EscalateSchema)
def on_escalate(
    member: Member, seat_id: str, severity: str, observed: str, alert_id: uuid.UUID | None
) -> dict[str, Any]:
    """Record an incident, committed before this answers, and hand back the safe-messaging checklist."""
    incident_id = support.escalate(
        _store(),
        member,
        current_app.config["SECRET_KEY"],
        seat_id=seat_id,
        severity=severity,
        observed=observed,
        alert_id=alert_id,
        now=_now(),
    )
    return {"incident_id": str(incident_id), "checklist": support.checklist()}
