"""/api/v1/sessions/{id}/notes: what the facilitators noted about a session."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import current_organization_id
from service.api.pagination import page_schema, paginate
from service.domain.lookup import get_session
from service.domain.notes import notes_of
from service.models import SessionNote
from service.schemas.base import PageArgs
from service.schemas.notes import SessionNoteSchema

blp = Blueprint("notes", __name__, url_prefix="/api/v1", description="Session notes")


@blp.route("/sessions/<uuid:session_id>/notes")
class SessionNotes(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(SessionNoteSchema))
    def get(self, args, session_id: uuid.UUID):
        """List the notes facilitators wrote about a session, oldest first"""
        session = get_session(current_organization_id(), session_id)
        return paginate(
            notes_of(session),
            order=[SessionNote.created_at, SessionNote.id],
            descending=False,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )
