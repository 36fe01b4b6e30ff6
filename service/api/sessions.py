"""/api/v1/sessions: the occurrences of groups."""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import current_organization_id
from service.api.pagination import page_schema, paginate
from service.domain import sessions
from service.domain.lookup import get_group, get_session
from service.domain.recurrence import zone
from service.extensions import db
from service.models import CircleSession, utcnow
from service.schemas.sessions import (
    CancelSchema,
    GroupSessionListArgs,
    RescheduleSchema,
    SessionListArgs,
    SessionSchema,
)

blp = Blueprint("sessions", __name__, url_prefix="/api/v1", description="Sessions")

_SESSION_FIELDS = (
    "id",
    "group_id",
    "starts_at",
    "ends_at",
    "original_start",
    "status",
    "rescheduled",
    "cancel_reason",
    "started_at",
    "ended_at",
)


def horizon_weeks() -> int:
    """How many weeks ahead sessions are materialized."""
    return current_app.config["HEARTH_SCHEDULE_HORIZON_WEEKS"]


def dump_session(session: CircleSession) -> dict[str, Any]:
    """The API view of a session."""
    tz = session.group.timezone
    return {
        **{field: getattr(session, field) for field in _SESSION_FIELDS},
        "timezone": tz,
        "local_start": session.starts_at.astimezone(zone(tz)).replace(tzinfo=None).isoformat(),
    }


def list_sessions(args: dict[str, Any], group_id: uuid.UUID | None = None) -> dict[str, Any]:
    """One page of the organization's sessions, as materialized (a read never writes)."""
    organization_id = current_organization_id()
    select = db.select(CircleSession).where(CircleSession.organization_id == organization_id)
    group_id = group_id or args.get("group_id")
    if group_id is not None:
        select = select.where(CircleSession.group_id == group_id)
    if "from_" in args:
        select = select.where(CircleSession.ends_at > args["from_"])
    if "to" in args:
        select = select.where(CircleSession.starts_at < args["to"])
    if "status" in args:
        select = select.where(CircleSession.status == args["status"])
    return paginate(
        select,
        order=[CircleSession.starts_at, CircleSession.id],
        descending=args["sort"].startswith("-"),
        limit=args["limit"],
        cursor=args.get("cursor"),
        serialize=dump_session,
    )


@blp.route("/sessions")
class Sessions(MethodView):
    @blp.arguments(SessionListArgs, location="query")
    @blp.response(200, page_schema(SessionSchema))
    def get(self, args):
        """List sessions (overlapping `from`-`to`, if given)"""
        return list_sessions(args)


@blp.route("/groups/<uuid:group_id>/sessions")
class GroupSessions(MethodView):
    @blp.arguments(GroupSessionListArgs, location="query")
    @blp.response(200, page_schema(SessionSchema))
    def get(self, args, group_id: uuid.UUID):
        """List the sessions of one group"""
        get_group(current_organization_id(), group_id)
        return list_sessions(args, group_id)


@blp.route("/sessions/<uuid:session_id>")
class SessionById(MethodView):
    @blp.response(200, SessionSchema)
    def get(self, session_id: uuid.UUID):
        """Read one session"""
        return dump_session(get_session(current_organization_id(), session_id))


@blp.route("/sessions/<uuid:session_id>/reschedule")
class SessionReschedule(MethodView):
    @blp.arguments(RescheduleSchema)
    @blp.response(200, SessionSchema)
    def post(self, data, session_id: uuid.UUID):
        """Move one scheduled session; schedule changes of its group leave it alone afterwards"""
        session = sessions.reschedule_session(
            current_organization_id(), session_id, data["starts_at"], data.get("duration_minutes"), utcnow()
        )
        return dump_session(session)


@blp.route("/sessions/<uuid:session_id>/cancel")
class SessionCancel(MethodView):
    @blp.arguments(CancelSchema)
    @blp.response(200, SessionSchema)
    def post(self, data, session_id: uuid.UUID):
        """Cancel one scheduled session"""
        session = sessions.cancel_session(current_organization_id(), session_id, data["reason"], utcnow())
        return dump_session(session)
