"""The facilitator's pages: their upcoming sessions, and the console of one session."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext

from service.delivery import mail
from service.domain import crisis, endpoint_health, notes, oncall_policy
from service.domain.attendance import attendance_select
from service.domain.errors import DomainError
from service.domain.sessions import ROOM_CLOSE_GRACE
from service.extensions import db
from service.models import (
    NOTE_MAX_LENGTH,
    Attendance,
    CircleSession,
    Facilitator,
    Group,
    GroupFacilitator,
    SessionNote,
    utcnow,
)
from service.schemas.notes import NoteFormSchema
from service.web.csrf import check_csrf
from service.web.language import speak
from service.web.mode_labels import LABELS, modes_for_browser
from service.web.signin import signed_in_facilitator

bp = Blueprint("console", __name__)

# How far ahead the facilitator's list looks.
UPCOMING_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class Upcoming:
    """One session in a facilitator's list, with its times in the group's own zone."""

    session: CircleSession
    group: Group
    starts: datetime
    ends: datetime

    @property
    def live(self) -> bool:
        """Whether the room has been opened."""
        return self.session.status == "live"


def upcoming_sessions(facilitator: Facilitator, now: datetime) -> list[Upcoming]:
    """Scheduled or live sessions of the facilitator's groups in the next two weeks, soonest first.

    A session still running (or in its closing grace) is included, so an open room stays listed.
    """
    rows = db.session.execute(
        db.select(CircleSession, Group)
        .join(Group, Group.id == CircleSession.group_id)
        .join(GroupFacilitator, GroupFacilitator.group_id == Group.id)
        .where(
            GroupFacilitator.facilitator_id == facilitator.id,
            CircleSession.organization_id == facilitator.organization_id,
            CircleSession.status.in_(("scheduled", "live")),
            CircleSession.ends_at >= now - ROOM_CLOSE_GRACE,
            CircleSession.starts_at <= now + UPCOMING_WINDOW,
        )
        .order_by(CircleSession.starts_at, Group.title)
    ).all()
    return [
        Upcoming(
            session=session,
            group=group,
            starts=session.starts_at.astimezone(ZoneInfo(group.timezone)),
            ends=session.ends_at.astimezone(ZoneInfo(group.timezone)),
        )
        for session, group in rows
    ]


@dataclass(frozen=True)
class Came:
    """One person's presence, as the console lists it after the session: no name, no rating."""

    facilitator: bool
    how: str
    joined: datetime
    left: datetime | None
    agreed: bool


def who_came(session: CircleSession, zone: ZoneInfo) -> list[Came]:
    """Everyone who joined the session, in the order they first came in."""
    rows = db.session.execute(
        attendance_select(session.organization_id, session_id=session.id).order_by(
            Attendance.joined_at, Attendance.id
        )
    ).scalars()
    return [
        Came(
            facilitator=row.facilitator_id is not None,
            how=gettext("facilitating") if row.facilitator_id else str(LABELS[row.mode].status),
            joined=row.joined_at.astimezone(zone),
            left=row.left_at.astimezone(zone) if row.left_at else None,
            agreed=row.agreement_accepted_at is not None,
        )
        for row in rows
    ]


def _assigned_session(facilitator: Facilitator, raw_id: str) -> tuple[CircleSession, Group]:
    """The session if the facilitator facilitates its group; otherwise 404, telling nothing more."""
    try:
        session_id = uuid.UUID(raw_id)
    except ValueError:
        abort(404)
    session = db.session.get(CircleSession, session_id)
    if session is None or session.organization_id != facilitator.organization_id:
        abort(404)
    group = db.session.get(Group, session.group_id)
    if all(link.facilitator_id != facilitator.id for link in group.facilitator_links):
        abort(404)
    return session, group


@bp.get("/facilitator")
def home():
    facilitator = signed_in_facilitator()
    if facilitator is None:
        return redirect(url_for("signin.sign_in"))
    return render_template(
        "facilitator_home.html",
        name=facilitator.name,
        sessions=upcoming_sessions(facilitator, utcnow()),
    )


def _console_page(
    facilitator: Facilitator,
    session: CircleSession,
    group: Group,
    note_error: str | None = None,
    draft: str = "",
) -> str:
    speak(group.language)
    zone = ZoneInfo(group.timezone)
    notable = session.status in notes.NOTABLE_STATUSES
    # Told before the room opens: an escalation from this room would reach nobody.
    on_call = oncall_policy.readiness(
        facilitator.organization_id, mail.configured(current_app.config)
    ).as_dict()
    return render_template(
        "console.html",
        name=facilitator.name,
        session=session,
        group=group,
        starts=session.starts_at.astimezone(zone),
        ends=session.ends_at.astimezone(zone),
        came=who_came(session, zone) if session.status == "ended" else None,
        notes=_notes(session, zone) if notable else None,
        note_error=note_error,
        draft=draft,
        note_max_length=NOTE_MAX_LENGTH,
        # Every way of taking part for the page's scripts; json.dumps keeps the table's order.
        mode_table=json.dumps(modes_for_browser()),
        on_call=on_call,
        on_call_message=gettext(on_call["message"]) if on_call["message"] else "",
        emergency_number=crisis.emergency_number(group.organization_id, group.region),
        failing_webhooks=_failing_webhooks(facilitator.organization_id, zone),
    )


@dataclass(frozen=True)
class FailingWebhook:
    """An endpoint of the organization that is down, as the console names it."""

    name: str
    since: datetime
    failures: int
    why: str
    on_call_step: bool


def _failing_webhooks(organization_id: uuid.UUID, zone: ZoneInfo) -> list[FailingWebhook]:
    """The organization's endpoints that are down, so facilitators know deliveries are failing."""
    down = endpoint_health.down_endpoints(
        organization_id, utcnow(), endpoint_health.down_after_of(current_app.config)
    )
    steps = {step.endpoint_id for step in oncall_policy.steps_of(organization_id)}
    return [
        FailingWebhook(
            endpoint_health.name_of(endpoint),
            endpoint.failing_since.astimezone(zone),
            endpoint.consecutive_failures,
            gettext(endpoint_health.ERROR_WORDS[endpoint.last_error])
            if endpoint.last_error in endpoint_health.ERROR_WORDS
            else gettext("it could not be reached"),
            endpoint.id in steps,
        )
        for endpoint in down
    ]


def _notes(session: CircleSession, zone: ZoneInfo) -> list[tuple[SessionNote, datetime]]:
    """The session's notes, oldest first, each with its time in the group's zone."""
    rows = db.session.execute(
        notes.notes_of(session).order_by(SessionNote.created_at, SessionNote.id)
    ).scalars()
    return [(note, note.created_at.astimezone(zone)) for note in rows]


@bp.get("/facilitator/sessions/<session_id>")
def console(session_id: str):
    facilitator = signed_in_facilitator()
    if facilitator is None:
        return redirect(url_for("signin.sign_in"))
    session, group = _assigned_session(facilitator, session_id)
    return _console_page(facilitator, session, group)


@bp.post("/facilitator/sessions/<session_id>/notes")
def add_note(session_id: str):
    facilitator = signed_in_facilitator()
    if facilitator is None:
        return redirect(url_for("signin.sign_in"))
    check_csrf()
    session, group = _assigned_session(facilitator, session_id)
    draft = request.form.get("body", "")
    try:
        notes.add_note(session, facilitator, NoteFormSchema().load(request.form)["body"])
    except ma.ValidationError:
        # The form's one rule: a note of one to NOTE_MAX_LENGTH characters.
        said = (
            gettext("Write a note first.")
            if not draft.strip()
            else gettext("A note can be at most %(count)d characters.", count=NOTE_MAX_LENGTH)
        )
        return _console_page(facilitator, session, group, said, draft), 422
    except DomainError as error:
        return _console_page(facilitator, session, group, gettext(error.message), draft), 409
    return redirect(url_for("console.console", session_id=session.id, _anchor="notes-heading"), 303)
