"""The organization's moderation: end a live session, remove or bar a person, read the audit log."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import api_actor, current_organization_id
from service.api.pagination import page_schema, paginate
from service.domain.lookup import get_session
from service.domain.registrations import get_registration
from service.extensions import db
from service.live import seats
from service.live import session as live_session
from service.live.runtime import room_store, seat_secret
from service.models import AuditEntry, utcnow
from service.schemas.moderation import AuditEntrySchema, AuditListArgs, RemovalSchema
from service.schemas.sessions import SessionSchema

blp = Blueprint("moderation", __name__, url_prefix="/api/v1", description="Moderation")


@blp.route("/sessions/<uuid:session_id>/audit")
class SessionAudit(MethodView):
    @blp.arguments(AuditListArgs, location="query")
    @blp.response(200, page_schema(AuditEntrySchema))
    def get(self, args, session_id: uuid.UUID):
        """The session's moderation log, oldest first: who did what to which seat, and when (never content)"""
        session = get_session(current_organization_id(), session_id)
        select = db.select(AuditEntry).where(
            AuditEntry.session_id == session.id, AuditEntry.organization_id == session.organization_id
        )
        return paginate(
            select,
            order=[AuditEntry.created_at, AuditEntry.id],
            descending=False,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )


@blp.route("/sessions/<uuid:session_id>/end")
class SessionEnd(MethodView):
    @blp.response(200, SessionSchema)
    def post(self, session_id: uuid.UUID):
        """End a live session now: everyone in its room is told it has ended"""
        session = get_session(current_organization_id(), session_id)
        live_session.end(room_store(), session, api_actor(), utcnow())
        return session


def _remove(session_id: uuid.UUID, registration_id: uuid.UUID, *, bar: bool) -> dict[str, Any]:
    organization_id = current_organization_id()
    session = get_session(organization_id, session_id)
    registration = get_registration(organization_id, registration_id)
    removal = seats.remove_from_session(
        room_store(), session, registration, api_actor(), seat_secret(), utcnow(), bar=bar
    )
    return {
        "session_id": session.id,
        "registration_id": registration.id,
        "seat_id": removal.seat_id,
        "reason": removal.reason,
    }


@blp.route("/sessions/<uuid:session_id>/participants/<uuid:registration_id>/remove")
class ParticipantRemove(MethodView):
    @blp.response(200, RemovalSchema)
    def post(self, session_id: uuid.UUID, registration_id: uuid.UUID):
        """Remove a person from this session: their live connections are dropped, and they cannot rejoin it"""
        return _remove(session_id, registration_id, bar=False)


@blp.route("/sessions/<uuid:session_id>/participants/<uuid:registration_id>/bar")
class ParticipantBar(MethodView):
    @blp.response(200, RemovalSchema)
    def post(self, session_id: uuid.UUID, registration_id: uuid.UUID):
        """Bar a person from the group: removed from this session, and their join link is revoked for good"""
        return _remove(session_id, registration_id, bar=True)
