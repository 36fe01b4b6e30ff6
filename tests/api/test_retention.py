"""Retention: each organization's settings, and a purge that leaves nothing past them and all within."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from service.domain import retention
from service.domain.check_ins import Month, last_complete_month
from service.extensions import db
from service.live import support
from service.models import (
    RETENTION_DEFAULTS,
    AnonymousRating,
    Attendance,
    AuditEntry,
    CircleSession,
    EndpointNotice,
    Erasure,
    EscalationAttempt,
    Facilitator,
    IdempotencyRecord,
    Incident,
    IncidentNote,
    Organization,
    Registration,
    SessionNote,
    SessionRemoval,
    SupportAlert,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    utcnow,
)
from service.rooms.memory import MemoryRoomStore
from tests.api.attendance_rows import attend, facilitator_attends
from tests.api.helpers import make_group, make_session

SHORTEST = {f"{kind}_days": 1 for kind in RETENTION_DEFAULTS} | {
    "incidents_days": 30,
    "on_call_attempts_days": 30,
}
LONGEST = {f"{kind}_days": 3650 for kind in RETENTION_DEFAULTS} | {
    "webhook_deliveries_days": 365,
    "idempotency_keys_days": 30,
}


def _retain(org, settings: dict) -> dict:
    response = org.patch("/api/v1/organization", json={"retention": settings})
    assert response.status_code == 200, response.json
    return response.json["retention"]


def _session(group, at: datetime, status: str = "ended") -> CircleSession:
    return make_session(group, starts_in=at - utcnow(), status=status)


def _keep_everything(org, at: datetime) -> None:
    """One record of every kind the organization keeps, made at `at`, of a session three hours before."""
    group = make_group(org.id)
    session = _session(group, at - timedelta(hours=3))
    facilitator = Facilitator(
        organization_id=org.id, name="Kai", email=f"kai-{uuid.uuid4().hex[:6]}@example.org"
    )
    db.session.add(facilitator)
    db.session.commit()
    seat = attend(session, check_in=2, check_out=4)  # a seat in the whole series: not over yet
    facilitator_attends(session, facilitator)
    once = Registration(
        organization_id=org.id,
        group_id=group.id,
        session_id=session.id,
        external_ref="person-0815",
        token_hash=uuid.uuid4().hex,
    )
    removed = Registration(
        organization_id=org.id,
        group_id=group.id,
        external_ref="person-0816",
        token_hash=uuid.uuid4().hex,
        status="removed",
        removed_at=at,
    )
    db.session.add_all([once, removed])
    db.session.flush()
    db.session.add(
        SessionRemoval(session_id=session.id, registration_id=once.id, organization_id=org.id, removed_at=at)
    )
    month = Month.of(session.starts_at).start().date()
    db.session.add(
        AnonymousRating(
            organization_id=org.id,
            group_id=group.id,
            month=month,
            contributor=uuid.uuid4(),
            check_in_rating=3,
        )
    )
    alert = SupportAlert(
        organization_id=org.id,
        session_id=session.id,
        registration_id=seat.registration_id,
        seat_id="p-seat",
        display_name="Sam",
        kind="support_request",
        created_at=at,
    )
    db.session.add(alert)
    db.session.flush()
    incident = Incident(
        organization_id=org.id,
        session_id=session.id,
        registration_id=seat.registration_id,
        seat_id="p-seat",
        pseudonym="Sam",
        external_ref="person-4711",
        severity="high",
        observed="Said they have a plan for tonight.",
        escalated_by=str(facilitator.id),
        source_alert_id=alert.id,
        status="resolved",
        resolved_at=at,
        created_at=at,
    )
    db.session.add(incident)
    db.session.flush()
    db.session.add(IncidentNote(incident_id=incident.id, text="Called back.", created_at=at))
    db.session.add(
        EscalationAttempt(
            organization_id=org.id,
            incident_id=incident.id,
            position=1,
            kind="email",
            status="delivered",
            attempted_at=at,
        )
    )
    db.session.add(
        SessionNote(organization_id=org.id, session_id=session.id, body="Quiet evening.", created_at=at)
    )
    db.session.add(
        AuditEntry(
            organization_id=org.id,
            session_id=session.id,
            actor_kind="organization",
            action="room:end",
            created_at=at,
        )
    )
    db.session.add(Erasure(organization_id=org.id, scope="registration", counts={}, erased_at=at))
    endpoint = WebhookEndpoint(
        organization_id=org.id,
        url="https://hooks.example.org/",
        sealed_secret="v1.unused",
        secret_hint="whsec_",
        event_types=[],
    )
    event = WebhookEvent(
        id=f"msg_{uuid.uuid4().hex}",
        organization_id=org.id,
        event_type="session.ended",
        body="{}",
        created_at=at,
    )
    db.session.add_all([endpoint, event])
    db.session.flush()
    delivery = WebhookDelivery(
        organization_id=org.id,
        endpoint_id=endpoint.id,
        event_id=event.id,
        status="delivered",
        created_at=at,
        retry_started_at=at,
    )
    db.session.add(delivery)
    db.session.flush()
    db.session.add(WebhookAttempt(delivery_id=delivery.id, attempted_at=at, duration_ms=5, status_code=200))
    db.session.add(
        EndpointNotice(
            organization_id=org.id,
            endpoint_id=endpoint.id,
            kind="down",
            noticed_at=at,
            status="sent",
            sent_at=at,
        )
    )
    db.session.add(
        IdempotencyRecord(
            organization_id=org.id, key="k-1", endpoint="/api/v1/groups", request_hash="0" * 64, created_at=at
        )
    )
    db.session.commit()


def _kept(org) -> dict[str, int]:
    """How many rows of each kind the organization has now, read from the tables themselves."""

    def count(model, *where) -> int:
        return db.session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()

    of_org = lambda model: model.organization_id == org.id  # noqa: E731
    incidents = sa.select(Incident.id).where(of_org(Incident))
    deliveries = sa.select(WebhookDelivery.id).where(of_org(WebhookDelivery))
    rated = sa.or_(Attendance.check_in_rating.is_not(None), Attendance.check_out_rating.is_not(None))
    return {
        "attendance": count(Attendance, of_org(Attendance)),
        "ratings": count(Attendance, of_org(Attendance), rated)
        + count(AnonymousRating, of_org(AnonymousRating)),
        "registrations_over": count(
            Registration, of_org(Registration), Registration.id.not_in(_series_seats(org))
        ),
        "session_removals": count(SessionRemoval, of_org(SessionRemoval)),
        "support_alerts": count(SupportAlert, of_org(SupportAlert)),
        "incidents": count(Incident, of_org(Incident)),
        "incident_notes": count(IncidentNote, IncidentNote.incident_id.in_(incidents)),
        "on_call_attempts": count(EscalationAttempt, of_org(EscalationAttempt)),
        "session_notes": count(SessionNote, of_org(SessionNote)),
        "audit_entries": count(AuditEntry, of_org(AuditEntry)) + count(Erasure, of_org(Erasure)),
        "webhook_deliveries": count(WebhookDelivery, of_org(WebhookDelivery)),
        "webhook_attempts": count(WebhookAttempt, WebhookAttempt.delivery_id.in_(deliveries)),
        "webhook_events": count(WebhookEvent, of_org(WebhookEvent)),
        "endpoint_notices": count(EndpointNotice, of_org(EndpointNotice)),
        "idempotency_keys": count(IdempotencyRecord, of_org(IdempotencyRecord)),
    }


def _series_seats(org) -> sa.Select:
    """Active seats in a whole series: never over, so no retention ends them."""
    return sa.select(Registration.id).where(
        Registration.organization_id == org.id,
        Registration.session_id.is_(None),
        Registration.status == "active",
    )


def test_the_organization_reads_and_changes_its_retention_within_bounds(org, other_org):
    defaults = org.get("/api/v1/organization").json["retention"]
    assert defaults == {f"{kind}_days": days for kind, days in RETENTION_DEFAULTS.items()}
    changed = _retain(org, {"attendance_days": 90, "idempotency_keys_days": 7})
    assert changed == {**defaults, "attendance_days": 90, "idempotency_keys_days": 7}
    assert org.get("/api/v1/organization").json["retention"] == changed
    assert other_org.get("/api/v1/organization").json["retention"] == defaults

    bad = {
        "attendance_days": 0,
        "incidents_days": 29,
        "webhook_deliveries_days": 366,
        "session_notes_days": "30",
    }
    response = org.patch("/api/v1/organization", json={"retention": {**bad, "chat_days": 1}})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert set(response.json["errors"]) == {f"retention.{field}" for field in (*bad, "chat_days")}
    for value in (True, 1.5, None, 10**12):
        response = org.patch("/api/v1/organization", json={"retention": {"audit_entries_days": value}})
        assert response.status_code == 422, value
    assert org.get("/api/v1/organization").json["retention"] == changed


def test_within_retention_everything_remains(org):
    _retain(org, SHORTEST)
    now = utcnow()
    _keep_everything(org, now)
    before = _kept(org)
    assert all(before.values()), before
    retention.purge(now + timedelta(hours=12))
    assert _kept(org) == before


def test_past_retention_nothing_is_left_and_another_organizations_settings_keep_its_own(org, other_org):
    _retain(org, SHORTEST)
    _retain(other_org, LONGEST)
    now = utcnow()
    _keep_everything(org, now)
    # The other organization's records were made later, but are just as old as ours would be.
    _keep_everything(other_org, now + timedelta(days=15))
    theirs = _kept(other_org)

    removed = retention.purge(now + timedelta(days=40))
    assert _kept(org) == dict.fromkeys(_kept(org), 0)
    assert _kept(other_org) == theirs
    # The resolved incident took its on-call attempts with it.
    assert {kind for kind, n in removed.items() if n} == set(RETENTION_DEFAULTS) - {"on_call_attempts"}
    # The person's seat in the series stays (it is not over), without their attendance.
    assert db.session.execute(_series_seats(org)).scalars().all() != []
    assert retention.purge(now + timedelta(days=40)) == {kind: 0 for kind in RETENTION_DEFAULTS}


def test_what_is_still_being_followed_up_or_delivered_is_kept(org):
    _retain(org, SHORTEST)
    now = utcnow()
    _keep_everything(org, now)
    db.session.execute(sa.update(Incident).values(status="acknowledged", resolved_at=None))
    db.session.execute(sa.update(WebhookDelivery).values(status="pending"))
    db.session.execute(sa.update(EndpointNotice).values(status="pending", sent_at=None))
    db.session.commit()
    retention.purge(now + timedelta(days=40))
    kept = _kept(org)
    assert (kept["incidents"], kept["incident_notes"], kept["on_call_attempts"]) == (1, 1, 1)
    assert (kept["webhook_deliveries"], kept["webhook_events"], kept["endpoint_notices"]) == (1, 1, 1)


def _rated_month(group, month: Month, people: int = 5) -> None:
    session = make_session(
        group, starts_in=month.start() + timedelta(days=9, hours=18) - utcnow(), status="ended"
    )
    for n in range(people):
        attend(session, external_ref=f"person-{month}-{n}", check_in=2, check_out=4)


def _check_ins(org, group, first: Month, last: Month) -> dict:
    response = org.get(f"/api/v1/groups/{group.id}/check-ins?from={first}&to={last}")
    assert response.status_code == 200, response.json
    return response.json


def test_ratings_go_by_whole_months_and_the_aggregates_then_say_too_few_honestly(org):
    _retain(org, {"check_ins_days": 90})
    group = make_group(org.id)
    latest = last_complete_month(utcnow())
    earlier = latest.minus(1)
    _rated_month(group, earlier)
    _rated_month(group, latest)
    assert _check_ins(org, group, earlier, latest)["arrival"]["months"] == [str(earlier), str(latest)]

    # Ninety days after the start of the latest month: the one before it ended longer ago than that.
    retention.purge(latest.start() + timedelta(days=90, hours=12))
    assert _check_ins(org, group, earlier, latest)["arrival"]["months"] == [str(latest)]
    withheld = _check_ins(org, group, earlier, earlier)
    assert (withheld["arrival"]["shown"], withheld["arrival"]["reason"], withheld["arrival"]["mean"]) == (
        False,
        "too_few_people",
        None,
    )
    # Their attendance is still kept: only the ratings went.
    assert len(db.session.execute(db.select(Attendance)).scalars().all()) == 10


def test_attendance_that_goes_before_its_ratings_leaves_the_aggregates_as_they_were(org):
    _retain(org, {"attendance_days": 30, "check_ins_days": 730})
    group = make_group(org.id)
    month = last_complete_month(utcnow())
    _rated_month(group, month)
    before = _check_ins(org, group, month, month)
    assert before["arrival"]["shown"] is True

    retention.purge(month.next().start() + timedelta(days=31))
    assert db.session.execute(db.select(Attendance)).scalars().all() == []
    assert _check_ins(org, group, month, month) == before
    contributors = db.session.execute(db.select(AnonymousRating.contributor)).scalars().all()
    assert len(contributors) == len(set(contributors)) == 5


def test_a_create_is_replayed_for_as_long_as_the_organization_keeps_its_idempotency_key(org):
    _retain(org, {"idempotency_keys_days": 7})
    headers = {"Idempotency-Key": "weekly-import"}
    first = org.post("/api/v1/api-keys", json={"name": "Importer"}, headers=headers)
    db.session.execute(sa.update(IdempotencyRecord).values(created_at=utcnow() - timedelta(days=6)))
    db.session.commit()
    again = org.post("/api/v1/api-keys", json={"name": "Importer"}, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json == first.json

    _retain(org, {"idempotency_keys_days": 5})
    later = org.post("/api/v1/api-keys", json={"name": "Importer"}, headers=headers)
    assert later.status_code == 201 and "Idempotent-Replayed" not in later.headers
    assert later.json["id"] != first.json["id"]


def test_one_organization_that_cannot_be_purged_does_not_keep_the_others_from_it(org, other_org):
    _retain(org, SHORTEST)
    now = utcnow()
    _keep_everything(org, now)
    # A setting no API call could make: its cutoff is before the first year there is.
    never = sa.update(Organization).values(retain_attendance_days=999_999_999)
    db.session.execute(never.where(Organization.id == other_org.id))
    db.session.commit()
    with pytest.raises(retention.PurgeFailed):
        retention.purge(now + timedelta(days=40))
    assert _kept(org) == dict.fromkeys(_kept(org), 0)


@pytest.mark.real_commits  # threads with sessions of their own, purging at once
def test_processes_purging_at_once_set_each_rating_aside_once(app, org):
    _retain(org, {"attendance_days": 30, "check_ins_days": 730})
    group = make_group(org.id)
    month = last_complete_month(utcnow())
    _rated_month(group, month)
    at = month.next().start() + timedelta(days=31)
    failures: list[Exception] = []

    def purge() -> None:
        with app.app_context():
            try:
                retention.purge(at)
            except retention.PurgeFailed as error:
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=purge) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert db.session.execute(db.select(Attendance)).scalars().all() == []
    assert len(db.session.execute(db.select(AnonymousRating)).scalars().all()) == 5
    if db.engine.dialect.name == "postgresql":
        # Row claims let every process go on; SQLite's one writer may refuse a pass instead.
        assert failures == []


@pytest.mark.parametrize("stage", ["on_call", "lead"])
def test_an_alert_kept_longer_than_its_purged_incident_forgets_it_and_is_never_escalated_again(org, stage):
    # The alert is kept for ten years, the incident made of it (by nobody taking it, or by a
    # facilitator escalating it untaken) thirty days after its resolution.
    _retain(org, {"support_alerts_days": 3650, "incidents_days": 30})
    now = utcnow()
    session = _session(make_group(org.id), now - timedelta(hours=3))
    registration = attend(session).registration_id
    alert = SupportAlert(
        organization_id=org.id,
        session_id=session.id,
        registration_id=registration,
        seat_id="p-seat",
        display_name="Sam",
        kind="support_request",
        created_at=now,
        stage=stage,
        stage_started_at=now,
    )
    db.session.add(alert)
    db.session.flush()
    incident = Incident(
        organization_id=org.id,
        session_id=session.id,
        registration_id=registration,
        seat_id="p-seat",
        pseudonym="Sam",
        severity="medium",
        observed="Asked for support.",
        escalated_by="system",
        source_alert_id=alert.id,
        status="resolved",
        resolved_at=now,
    )
    db.session.add(incident)
    db.session.flush()
    alert.incident_id = incident.id
    db.session.commit()

    later = now + timedelta(days=40)
    assert retention.purge(later)["incidents"] == 1
    kept = db.session.execute(sa.select(SupportAlert)).scalars().one()
    assert kept.incident_id is None  # no id of an incident that is gone
    assert support.alert_view(kept)["on_call_incident_id"] is None
    # Its chain is over: the room clock does not raise it again as an alert nobody took.
    assert support.escalate_unanswered(MemoryRoomStore(), later, 120) == 0
    assert db.session.execute(sa.select(sa.func.count()).select_from(Incident)).scalar_one() == 0
    # Nor does it stand in the way of erasing the person as help still pending.
    assert org.post(f"/api/v1/registrations/{registration}/erase").status_code == 200
    assert db.session.execute(sa.select(SupportAlert)).scalars().all() == []
