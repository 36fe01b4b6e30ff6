"""A person's data: export it and erase it, by registration or by your own reference; past erasures."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import api_actor, current_organization_id
from service.api.pagination import page_schema, paginate
from service.domain import people, registrations
from service.extensions import db
from service.live import seats
from service.live.runtime import room_store, seat_secret
from service.models import Erasure, utcnow
from service.schemas.base import PageArgs
from service.schemas.people import ErasureSchema, PersonExportSchema, PersonRefSchema

blp = Blueprint("people", __name__, url_prefix="/api/v1", description="A person's data")


def _erase(found: list, external_ref: str | None) -> Erasure:
    return seats.erase_person(room_store(), found, external_ref, api_actor(), seat_secret(), utcnow())


@blp.route("/registrations/<uuid:registration_id>/export")
class RegistrationExport(MethodView):
    @blp.response(200, PersonExportSchema)
    def get(self, registration_id: uuid.UUID):
        """Everything kept about the person of one registration: attendance, ratings, alerts, incidents"""
        registration = registrations.get_registration(current_organization_id(), registration_id)
        return people.export(current_organization_id(), [registration], None, utcnow())


@blp.route("/registrations/<uuid:registration_id>/erase")
class RegistrationErasure(MethodView):
    @blp.response(200, ErasureSchema)
    def post(self, registration_id: uuid.UUID):
        """Erase the person of one registration; if they are in a live room they are taken out at once"""
        registration = registrations.get_registration(current_organization_id(), registration_id)
        return _erase([registration], None)


# The reference travels in the body, never in a URL that a proxy might log.
@blp.route("/people/export")
class PersonExport(MethodView):
    @blp.arguments(PersonRefSchema)
    @blp.response(200, PersonExportSchema)
    def post(self, person):
        """Everything kept about the person with this reference, across all their registrations"""
        organization_id = current_organization_id()
        found = people.registrations_with_ref(organization_id, person["external_ref"])
        return people.export(organization_id, found, person["external_ref"], utcnow())


@blp.route("/people/erase")
class PersonErasure(MethodView):
    @blp.arguments(PersonRefSchema)
    @blp.response(200, ErasureSchema)
    def post(self, person):
        """Erase the person with this reference: every registration, and their incidents' references"""
        found = people.registrations_with_ref(current_organization_id(), person["external_ref"])
        return _erase(found, person["external_ref"])


@blp.route("/erasures")
class Erasures(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(ErasureSchema))
    def get(self, args):
        """List the erasures made, newest first: when, by which key, how much; never whose"""
        return paginate(
            db.select(Erasure).where(Erasure.organization_id == current_organization_id()),
            order=[Erasure.erased_at, Erasure.id],
            descending=True,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )
