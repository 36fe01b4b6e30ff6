"""/api/v1/incidents: concerns for a person's safety raised in a room, followed up by the organization."""

from __future__ import annotations

import uuid

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import current_organization_id
from service.api.created import created
from service.api.idempotency import idempotent
from service.api.pagination import page_schema, paginate
from service.domain import escalation, incidents
from service.models import Incident, utcnow
from service.schemas.incidents import (
    IncidentListArgs,
    IncidentNoteCreateSchema,
    IncidentNoteSchema,
    IncidentSchema,
    IncidentWithNotesSchema,
)

blp = Blueprint("incidents", __name__, url_prefix="/api/v1/incidents", description="Incidents")


class _Detail:
    """An incident with the truth of its on-call policy, as its schema dumps it."""

    def __init__(self, incident: Incident) -> None:
        self._incident = incident
        self.notification = escalation.notification(incident)

    def __getattr__(self, name: str):
        return getattr(self._incident, name)


@blp.route("")
class Incidents(MethodView):
    @blp.arguments(IncidentListArgs, location="query")
    @blp.response(200, page_schema(IncidentSchema))
    def get(self, args):
        """List incidents, newest first unless `sort=created_at`"""
        select = incidents.incidents_of(
            current_organization_id(),
            status=args.get("status"),
            severity=args.get("severity"),
            session_id=args.get("session_id"),
            since=args.get("since"),
            follow_up_overdue_at=utcnow() if args.get("follow_up") == "overdue" else None,
        )
        return paginate(
            select,
            order=[Incident.created_at, Incident.id],
            descending=args["sort"].startswith("-"),
            limit=args["limit"],
            cursor=args.get("cursor"),
        )


@blp.route("/<uuid:incident_id>")
class IncidentById(MethodView):
    @blp.response(200, IncidentWithNotesSchema)
    def get(self, incident_id: uuid.UUID):
        """Read one incident with its follow-up notes and every attempt to reach the on-call policy"""
        return _Detail(incidents.get_incident(current_organization_id(), incident_id))


@blp.route("/<uuid:incident_id>/acknowledge")
class IncidentAcknowledge(MethodView):
    @blp.response(200, IncidentWithNotesSchema)
    def post(self, incident_id: uuid.UUID):
        """Say the organization is acting on an open incident (409 unless it is open)"""
        return _Detail(incidents.acknowledge(current_organization_id(), incident_id, g.api_key_id, utcnow()))


@blp.route("/<uuid:incident_id>/resolve")
class IncidentResolve(MethodView):
    @blp.response(200, IncidentWithNotesSchema)
    def post(self, incident_id: uuid.UUID):
        """Close an incident (409 when it is already resolved)"""
        return _Detail(incidents.resolve(current_organization_id(), incident_id, utcnow()))


@blp.route("/<uuid:incident_id>/notes")
class IncidentNotes(MethodView):
    @idempotent
    @blp.arguments(IncidentNoteCreateSchema)
    @blp.response(201, IncidentNoteSchema)
    def post(self, data, incident_id: uuid.UUID):
        """Add a follow-up note (also after the incident is resolved)"""
        note = incidents.add_note(
            current_organization_id(), incident_id, data["text"], g.api_key_id, utcnow()
        )
        return created(note, "incidents.IncidentById", incident_id=incident_id)
