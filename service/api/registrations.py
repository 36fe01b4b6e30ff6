"""Registrations: seats in a group or one session, and each person's join link."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import api_actor, current_organization_id
from service.api.created import created
from service.api.idempotency import idempotent
from service.api.pagination import page_schema, paginate
from service.api.shown_once import ShownOnce
from service.domain import lookup, registrations
from service.extensions import db
from service.live import seats
from service.live.runtime import room_store, seat_secret
from service.models import Registration, utcnow
from service.schemas.registrations import (
    RegistrationCreateSchema,
    RegistrationListArgs,
    RegistrationSchema,
    RegistrationWithLinkSchema,
)

blp = Blueprint("registrations", __name__, url_prefix="/api/v1", description="Registrations")


def _with_link(issued: registrations.IssuedRegistration) -> ShownOnce:
    join_url = f"{current_app.config['HEARTH_BASE_URL']}/join/{issued.token}"
    return ShownOnce(issued.registration, join_url=join_url, calendar_url=f"{join_url}/calendar.ics")


def _page(condition: sa.ColumnElement[bool], args: dict) -> dict:
    select = db.select(Registration).where(
        Registration.organization_id == current_organization_id(), condition
    )
    if "status" in args:
        select = select.where(Registration.status == args["status"])
    return paginate(
        select,
        order=[Registration.created_at, Registration.id],
        descending=False,
        limit=args["limit"],
        cursor=args.get("cursor"),
    )


def _created(issued: registrations.IssuedRegistration):
    return created(
        _with_link(issued), "registrations.RegistrationById", registration_id=issued.registration.id
    )


@blp.route("/groups/<uuid:group_id>/registrations")
class GroupRegistrations(MethodView):
    @blp.arguments(RegistrationListArgs, location="query")
    @blp.response(200, page_schema(RegistrationSchema))
    def get(self, args, group_id: uuid.UUID):
        """List everyone registered in a group, for the series or for one of its sessions"""
        group = lookup.get_group(current_organization_id(), group_id)
        return _page(Registration.group_id == group.id, args)

    @idempotent
    @blp.arguments(RegistrationCreateSchema)
    @blp.response(201, RegistrationWithLinkSchema)
    def post(self, data, group_id: uuid.UUID):
        """Register a person for every upcoming session of a group (or its waitlist when full)"""
        issued = registrations.register_for_group(current_organization_id(), group_id, **data)
        return _created(issued)


@blp.route("/sessions/<uuid:session_id>/registrations")
class SessionRegistrations(MethodView):
    @blp.arguments(RegistrationListArgs, location="query")
    @blp.response(200, page_schema(RegistrationSchema))
    def get(self, args, session_id: uuid.UUID):
        """List the people registered for this one session (series seats are listed on the group)"""
        session = lookup.get_session(current_organization_id(), session_id)
        return _page(Registration.session_id == session.id, args)

    @idempotent
    @blp.arguments(RegistrationCreateSchema)
    @blp.response(201, RegistrationWithLinkSchema)
    def post(self, data, session_id: uuid.UUID):
        """Register a person for one session (or its waitlist when full)"""
        issued = registrations.register_for_session(current_organization_id(), session_id, **data)
        return _created(issued)


@blp.route("/registrations/<uuid:registration_id>")
class RegistrationById(MethodView):
    @blp.response(200, RegistrationSchema)
    def get(self, registration_id: uuid.UUID):
        """Read one registration (its join link is never shown again)"""
        return registrations.get_registration(current_organization_id(), registration_id)

    @blp.response(200, RegistrationSchema)
    def delete(self, registration_id: uuid.UUID):
        """Remove a person: their link stops working, they leave any live room, the waitlist moves up"""
        registration = registrations.get_registration(current_organization_id(), registration_id)
        return seats.remove_registration(room_store(), registration, api_actor(), seat_secret(), utcnow())


@blp.route("/registrations/<uuid:registration_id>/join-link")
class RegistrationJoinLink(MethodView):
    @blp.response(201, RegistrationWithLinkSchema)
    def post(self, registration_id: uuid.UUID):
        """Issue a new join link; the earlier one stops working at once, also in a live room"""
        registration = registrations.get_registration(current_organization_id(), registration_id)
        issued = seats.replace_join_link(room_store(), registration, api_actor(), seat_secret(), utcnow())
        return _with_link(issued)
