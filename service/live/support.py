"""The escalation path in a live room: support requests, risk language, taking alerts, escalating.

An alert is never lost: it is stored before anyone is told, and it goes down a fallback chain:
the connected lead facilitators are alerted first, then (if none of them takes it within the
take deadline, or none is connected) the connected co-facilitators, then the organization's
on-call policy through an incident. Every facilitator's room state lists every alert all along,
so anyone may take it at any step; the chain decides whom it interrupts.
"""

from __future__ import annotations

import functools
import json
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from service.domain import crisis, escalation, outbox, risk
from service.domain.errors import Conflict, Forbidden, Invalid, NotFound
from service.domain.incidents import record_incident
from service.extensions import db
from service.live import notify, private
from service.live.access import Member, registration_of_seat, seat_id_for, session_context
from service.live.runtime import seat_secret
from service.live.session import current_state
from service.models import SYSTEM, CircleSession, Incident, Registration, SupportAlert
from service.rooms.errors import NoSuchSeat
from service.rooms.store import RoomStore

CHECKLIST_FILE = Path(__file__).resolve().parent.parent / "data" / "safe_messaging.json"
# How urgent an incident is when the server raises it because no facilitator answered.
FALLBACK_SEVERITY = {"support_request": "medium", "risk_language": "high"}
# The pseudonym of someone escalated about after they left the room without raising an alert.
LEFT_UNNAMED = "(left the room)"


@functools.cache
def checklist() -> list[str]:
    """The short safe-messaging checklist a facilitator gets when they escalate."""
    return json.loads(CHECKLIST_FILE.read_text())


def alert_view(alert: SupportAlert) -> dict[str, Any]:
    """An alert as facilitators see it (the protocol's `Alert`)."""
    return {
        "id": str(alert.id),
        "kind": alert.kind,
        "seat_id": alert.seat_id,
        "display_name": alert.display_name,
        "text": alert.text,
        "created_at": alert.created_at.isoformat(),
        "taken_by": alert.taken_by_seat_id,
        # Nobody in the room took it: the incident the on-call policy follows (incident:status).
        "on_call_incident_id": str(alert.incident_id) if alert.stage == "on_call" else None,
    }


def alerts_of(session_id: str) -> list[dict[str, Any]]:
    """Every alert of the session, open or taken, oldest first."""
    alerts = db.session.execute(
        db.select(SupportAlert)
        .where(SupportAlert.session_id == uuid.UUID(session_id))
        .order_by(SupportAlert.created_at, SupportAlert.id)
    ).scalars()
    return [alert_view(alert) for alert in alerts]


def facilitator_seats(room: dict[str, Any]) -> list[str]:
    """The facilitator seats of a room, connected or reconnecting."""
    return [seat_id for seat_id, seat in room["seats"].items() if seat["role"] == "facilitator"]


def resources(member: Member) -> tuple[str | None, list[dict[str, Any]]]:
    """The member's region (their registration's, else the group's) and its crisis resources."""
    group = db.session.get(CircleSession, uuid.UUID(member.session_id)).group
    registration = db.session.get(Registration, member.registration_id) if member.registration_id else None
    region = crisis.region_for(registration, group)
    return region, crisis.resources_for(member.organization_id, region)


def _seat(store: RoomStore, member: Member) -> dict[str, Any]:
    if member.is_facilitator:
        raise Forbidden("Facilitators are not the ones to ask for support here.")
    room = current_state(store, member.session_id)
    if room is None or member.seat_id not in room["seats"]:
        raise NoSuchSeat("Accept the agreement first.")
    return room["seats"][member.seat_id]


def connected_by_role(room: dict[str, Any], session_id: uuid.UUID) -> dict[str, list[str]]:
    """The connected facilitator seats of the room by their role in the group: lead and co."""
    group = db.session.get(CircleSession, session_id).group
    secret = seat_secret()
    roles = {
        seat_id_for(secret, session_id, "facilitator", link.facilitator_id): link.role
        for link in group.facilitator_links
    }
    found: dict[str, list[str]] = {"lead": [], "co": []}
    for seat_id, seat in room["seats"].items():
        if seat["role"] == "facilitator" and seat["connected"]:
            found[roles.get(seat_id, "co")].append(seat_id)
    return found


def _system_observed(alert: SupportAlert, why: str) -> str:
    if alert.kind == "support_request":
        return f'Asked for support with the room\'s "I need support" button; {why}.'
    finding = risk.assess(alert.text) if alert.text else None
    categories = f" ({', '.join(finding.categories)})" if finding else ""
    return f"Wrote risk language in the chat{categories}; {why}."


def _escalate_for_nobody(alert: SupportAlert, why: str, now: datetime) -> None:
    """Tell the organization through an incident, as nobody in the room is there to (no commit)."""
    registration = db.session.get(Registration, alert.registration_id) if alert.registration_id else None
    incident = record_incident(
        organization_id=alert.organization_id,
        session_id=alert.session_id,
        registration_id=alert.registration_id,
        seat_id=alert.seat_id,
        pseudonym=alert.display_name,
        external_ref=registration.external_ref if registration else None,
        severity=FALLBACK_SEVERITY[alert.kind],
        observed=_system_observed(alert, why),
        escalated_by=SYSTEM,
        source_alert_id=alert.id,
        now=now,
    )
    alert.incident_id, alert.stage, alert.stage_started_at = incident.id, "on_call", now


def _raise(
    store: RoomStore, member: Member, kind: str, name: str, text: str | None, now: datetime
) -> dict[str, Any]:
    """Store a new alert; the organization is told if nobody can take it, facilitators after the commit."""
    alert = SupportAlert(
        organization_id=member.organization_id,
        session_id=uuid.UUID(member.session_id),
        registration_id=member.registration_id,
        seat_id=member.seat_id,
        display_name=name,
        kind=kind,
        text=text,
        created_at=now,
    )
    db.session.add(alert)
    db.session.flush()
    room = current_state(store, member.session_id) or {"seats": {}}
    tiers = connected_by_role(room, alert.session_id)
    stage = next((role for role in ("lead", "co") if tiers[role]), None)
    attended = stage is not None
    if attended:
        alert.stage, alert.stage_started_at = stage, now
    else:
        _escalate_for_nobody(alert, "no facilitator was connected", now)
    alert.told_reached = reached(alert)
    # No names and no text: the organization reads those through the incident, if one is made.
    outbox.enqueue(
        member.organization_id,
        "support.requested",
        {
            "alert_id": str(alert.id),
            "kind": kind,
            "session_id": member.session_id,
            "seat_id": member.seat_id,
            "created_at": now.isoformat(),
            "facilitator_connected": attended,
            "incident_id": str(alert.incident_id) if alert.incident_id else None,
        },
    )
    view = alert_view(alert)
    # The first step of the chain is alerted, and every facilitator gets a room state listing it,
    # once it is committed.
    notify.send(member.session_id, tiers[stage] if attended else [], "alert:new", view)
    notify.room_changed(member, facilitators_only=True)
    notify.commit()
    return view


# What the on-call policy's state means for the person: whom their request has reached.
REACH_OF_STATUS = {"delivered": "on_call_delivered", "acknowledged": "on_call_acknowledged"}
# How long after an alert the person is still told when its reach changes.
REACH_WATCH = timedelta(hours=12)


def _reach_of(incident: Incident) -> str:
    if incident.notification_status in escalation.UNREACHED:
        return "nobody"
    return REACH_OF_STATUS.get(incident.notification_status, "on_call")


def reached(alert: SupportAlert) -> str:
    """Whom the alert has reached, from what happened: `facilitator`, `on_call…` or `nobody`."""
    # A facilitator who escalated the alert themselves was reached; only the server's own
    # escalation (nobody in the room took it) moves it to the on-call policy.
    if alert.stage != "on_call":
        return "facilitator"
    return _reach_of(db.session.get(Incident, alert.incident_id))


def tell_reach_changes(now: datetime) -> int:
    """Tell each person whose alert's reach changed since they were last told, once; how many were told."""
    # The on-call policy moves on in the background (a step delivered, every step failed, an
    # acknowledgement by link or API), so the clock compares and claims, and sends after the commit.
    watched = db.session.execute(
        db.select(SupportAlert, Incident)
        .join(Incident, Incident.id == SupportAlert.incident_id)
        .where(SupportAlert.stage == "on_call", SupportAlert.created_at >= now - REACH_WATCH)
    ).all()
    told = 0
    for alert, incident in watched:
        now_reached, before = _reach_of(incident), alert.told_reached
        if now_reached == before:
            continue
        was = SupportAlert.told_reached.is_(None) if before is None else SupportAlert.told_reached == before
        claimed = db.session.execute(
            sa.update(SupportAlert)
            .where(SupportAlert.id == alert.id, was)
            .values(told_reached=now_reached)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:  # another process told them a moment ago
            continue
        payload = {
            "alert_id": str(alert.id),
            "reached": now_reached,
            "emergency_number": escalation.emergency_advice(incident)["number"],
        }
        notify.send(str(alert.session_id), [alert.seat_id], "support:update", payload)
        told += 1
    notify.commit()
    return told


def support_answer(member: Member, alert: dict[str, Any]) -> dict[str, Any]:
    """What the person is told after asking: who was reached, their resources and emergency number."""
    region, lines = resources(member)
    stored = db.session.get(SupportAlert, uuid.UUID(alert["id"]))
    return {
        "alert_id": alert["id"],
        "reached": reached(stored),
        "emergency_number": crisis.emergency_number(member.organization_id, region),
        "resources": lines,
    }


def incident_status(member: Member, incident_id: uuid.UUID) -> dict[str, Any]:
    """A facilitator reads where the on-call policy stands for an incident of their session."""
    _require_facilitator(member)
    incident = db.session.get(Incident, incident_id)
    if incident is None or incident.session_id != uuid.UUID(member.session_id):
        raise NotFound("No such incident in this session.")
    return escalation.notification(incident)


def request_support(store: RoomStore, member: Member, now: datetime) -> dict[str, Any]:
    """A participant presses "I need support"; pressing again while nobody took it raises nothing new."""
    seat = _seat(store, member)
    waiting = (
        db.session.execute(
            db.select(SupportAlert).where(
                SupportAlert.session_id == uuid.UUID(member.session_id),
                SupportAlert.seat_id == member.seat_id,
                SupportAlert.kind == "support_request",
                SupportAlert.taken_at.is_(None),
            )
        )
        .scalars()
        .first()
    )
    if waiting is not None:
        return alert_view(waiting)
    return _raise(store, member, "support_request", seat["display_name"], None, now)


def notice_risk(
    store: RoomStore, member: Member, message: dict[str, Any], now: datetime
) -> dict[str, Any] | None:
    """Run the detector on a participant's chat message before it is delivered; the alert if it fires."""
    if member.is_facilitator or risk.assess(message["text"]) is None:
        return None
    return _raise(store, member, "risk_language", message["display_name"], message["text"], now)


def offer_resources(member: Member) -> None:
    """After the commit, send the person privately their region's crisis resources (nobody else learns)."""
    payload = {"reason": "chat", "resources": resources(member)[1]}
    notify.send(member.session_id, [member.seat_id], "support:resources", payload)


def _alert_of_session(member: Member, alert_id: uuid.UUID) -> SupportAlert:
    alert = db.session.get(SupportAlert, alert_id)
    if alert is None or alert.session_id != uuid.UUID(member.session_id):
        raise NotFound("No such alert in this session.")
    return alert


def _require_facilitator(member: Member) -> None:
    if not member.is_facilitator:
        raise Forbidden("Only a facilitator can do this.")


def take_alert(store: RoomStore, member: Member, alert_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    """A facilitator takes an alert: it is theirs, and a private channel opens with the person."""
    _require_facilitator(member)
    alert = _alert_of_session(member, alert_id)
    room = current_state(store, member.session_id) or {"seats": {}}
    holder = room["seats"].get(alert.taken_by_seat_id or "")
    # Another facilitator who dropped out of the room cannot keep an alert to themselves.
    if alert.taken_by_seat_id not in (None, member.seat_id) and holder and holder["connected"]:
        raise Conflict("Another facilitator has taken this alert.")
    alert.taken_by_facilitator_id, alert.taken_by_seat_id, alert.taken_at = (
        member.facilitator_id,
        member.seat_id,
        now,
    )
    if alert.seat_id in room["seats"]:
        private.open_channel(store, member.session_id, member.seat_id, alert.seat_id)
    notify.room_changed(member, facilitators_only=True)
    notify.commit()
    return alert_view(alert)


def _person(
    store: RoomStore, member: Member, secret: str, seat_id: str, alert: SupportAlert | None
) -> tuple[Registration | None, str]:
    """Who a seat of the session is: their registration and the name they used in the room."""
    room = current_state(store, member.session_id) or {"seats": {}}
    seat = room["seats"].get(seat_id)
    if seat is not None and seat["role"] != "participant":
        raise Invalid("Escalate about a participant.", fields={"seat_id": ["Not a participant."]})
    session_id = uuid.UUID(member.session_id)
    if alert is not None:
        registration = db.session.get(Registration, alert.registration_id) if alert.registration_id else None
    else:
        registration = registration_of_seat(secret, session_id, seat_id)
    if seat is not None:
        return registration, seat["display_name"]
    if registration is None and alert is None:
        raise NoSuchSeat("Nobody with this seat took part in this session.")
    # Someone who left: the name of their latest alert, if they raised one.
    named = (
        alert
        or db.session.execute(
            db.select(SupportAlert)
            .where(SupportAlert.session_id == session_id, SupportAlert.seat_id == seat_id)
            .order_by(SupportAlert.created_at.desc())
        )
        .scalars()
        .first()
    )
    return registration, named.display_name if named else LEFT_UNNAMED


def escalate(
    store: RoomStore,
    member: Member,
    secret: str,
    *,
    seat_id: str,
    severity: str,
    observed: str,
    alert_id: uuid.UUID | None,
    now: datetime,
) -> uuid.UUID:
    """A facilitator escalates their concern for one participant: the incident's id, once committed."""
    _require_facilitator(member)
    alert = _alert_of_session(member, alert_id) if alert_id is not None else None
    if alert is not None and alert.seat_id != seat_id:
        raise Invalid("This alert is about someone else.", fields={"seat_id": ["Not the alert's seat."]})
    session_id = uuid.UUID(member.session_id)
    registration, pseudonym = _person(store, member, secret, seat_id, alert)
    incident = record_incident(
        organization_id=member.organization_id,
        session_id=session_id,
        registration_id=registration.id if registration else None,
        seat_id=seat_id,
        pseudonym=pseudonym,
        external_ref=registration.external_ref if registration else None,
        severity=severity,
        observed=observed,
        escalated_by=str(member.facilitator_id),
        source_alert_id=alert.id if alert else None,
        now=now,
    )
    if alert is not None and alert.incident_id is None:
        alert.incident_id = incident.id
    db.session.commit()
    return incident.id


def escalate_unanswered(store: RoomStore, now: datetime, take_seconds: float) -> int:
    """Move every alert nobody took within `take_seconds` down the chain; how many became incidents.

    An alert waiting on the leads goes to the connected co-facilitators, if any; one waiting
    on the co-facilitators (or with none connected) becomes an incident for the on-call policy.
    """
    overdue = list(
        db.session.execute(
            db.select(SupportAlert)
            .where(
                SupportAlert.taken_at.is_(None),
                SupportAlert.incident_id.is_(None),
                SupportAlert.stage_started_at <= now - timedelta(seconds=take_seconds),
            )
            # Locked rows are another server process's to move on: each step happens once.
            .with_for_update(skip_locked=True)
        ).scalars()
    )
    made = 0
    for alert in overdue:
        # Every facilitator's list shows where the alert went.
        notify.room_changed(
            session_context(db.session.get(CircleSession, alert.session_id)), facilitators_only=True
        )
        room = current_state(store, str(alert.session_id)) or {"seats": {}}
        co = connected_by_role(room, alert.session_id)["co"] if alert.stage == "lead" else []
        if co:
            alert.stage, alert.stage_started_at = "co", now
            notify.send(str(alert.session_id), co, "alert:new", alert_view(alert))
        else:
            _escalate_for_nobody(
                alert, f"no facilitator took the alert within {int(take_seconds)} seconds", now
            )
            made += 1
    notify.commit()
    return made
