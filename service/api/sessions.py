"""/api/v1/sessions: the occurrences of groups."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import api_actor, current_organization_id
from service.api.pagination import page_schema, paginate
from service.api.query_args import RememberingQueryParser
from service.domain import sessions
from service.domain.lookup import get_group, get_session
from service.extensions import db
from service.live import session as live_session
from service.live.runtime import room_store
from service.models import CircleSession, Group, utcnow
from service.schemas.sessions import (
    SESSION_COLUMNS,
    CancelSchema,
    GroupSessionListArgs,
    RescheduleSchema,
    SessionListArgs,
    SessionSchema,
    dump_session_row,
)

blp = Blueprint("sessions", __name__, url_prefix="/api/v1", description="Sessions")
# Set before the routes below are declared: their decorators take the parser they find.
blp.ARGUMENTS_PARSER = RememberingQueryParser()


def horizon_weeks() -> int:
    """How many weeks ahead sessions are materialized."""
    return current_app.config["HEARTH_SCHEDULE_HORIZON_WEEKS"]


def list_sessions(args: dict[str, Any], group_id: uuid.UUID | None = None) -> Response:
    """One page of the organization's sessions, as materialized (a read never writes).

    Read in one statement of the columns the page shows, and answered as the page schema would
    dump it (`dump_session_row`, keys in order), which the response decorator passes through.
    """
    organization_id = current_organization_id()
    select = (
        db.select(*SESSION_COLUMNS)
        .join(Group, Group.id == CircleSession.group_id)
        .where(CircleSession.organization_id == organization_id)
    )
    group_id = group_id or args.get("group_id")
    if group_id is not None:
        select = select.where(CircleSession.group_id == group_id)
    if "from_" in args:
        select = select.where(CircleSession.ends_at > args["from_"])
    if "to" in args:
        select = select.where(CircleSession.starts_at < args["to"])
    if "status" in args:
        select = select.where(CircleSession.status == args["status"])
    page = paginate(
        select,
        order=[CircleSession.starts_at, CircleSession.id],
        descending=args["sort"].startswith("-"),
        limit=args["limit"],
        cursor=args.get("cursor"),
        columns=True,
    )
    return current_app.json.ordered_response(
        {
            "items": [dump_session_row(row) for row in page["items"]],
            "next": page["next"],
            "next_cursor": page["next_cursor"],
        }
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
        return get_session(current_organization_id(), session_id)


@blp.route("/sessions/<uuid:session_id>/reschedule")
class SessionReschedule(MethodView):
    @blp.arguments(RescheduleSchema)
    @blp.response(200, SessionSchema)
    def post(self, data, session_id: uuid.UUID):
        """Move one scheduled session; schedule changes of its group leave it alone afterwards"""
        return sessions.reschedule_session(
            current_organization_id(), session_id, data["starts_at"], data.get("duration_minutes"), utcnow()
        )


@blp.route("/sessions/<uuid:session_id>/cancel")
class SessionCancel(MethodView):
    @blp.arguments(CancelSchema)
    @blp.response(200, SessionSchema)
    def post(self, data, session_id: uuid.UUID):
        """Cancel one session that has not ended: a live one closes, and everyone in its room is told"""
        session = get_session(current_organization_id(), session_id)
        live_session.cancel(room_store(), session, api_actor(), data["reason"], utcnow())
        return session
