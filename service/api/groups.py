"""/api/v1/groups: recurring series of circles, and their calendar feed."""

from __future__ import annotations

import uuid

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import current_organization_id
from service.api.created import created
from service.api.idempotency import idempotent
from service.api.pagination import page_schema, paginate
from service.api.sessions import horizon_weeks
from service.domain import calendar, groups
from service.domain.lookup import get_group
from service.extensions import db
from service.live.runtime import ice_settings
from service.models import Group, utcnow
from service.schemas.groups import GroupCreateSchema, GroupListArgs, GroupSchema, GroupUpdateSchema

blp = Blueprint("groups", __name__, url_prefix="/api/v1/groups", description="Groups")


@blp.route("")
class Groups(MethodView):
    @blp.arguments(GroupListArgs, location="query")
    @blp.response(200, page_schema(GroupSchema))
    def get(self, args):
        """List groups"""
        select = db.select(Group).where(Group.organization_id == current_organization_id())
        if "status" in args:
            select = select.where(Group.status == args["status"])
        if "public" in args:
            select = select.where(Group.public.is_(args["public"]))
        column = Group.title if args["sort"].lstrip("-") == "title" else Group.created_at
        return paginate(
            select,
            order=[column, Group.id],
            descending=args["sort"].startswith("-"),
            limit=args["limit"],
            cursor=args.get("cursor"),
        )

    @idempotent
    @blp.arguments(GroupCreateSchema)
    @blp.response(201, GroupSchema)
    def post(self, data):
        """Create a group; its sessions are scheduled for the coming weeks"""
        group = groups.create_group(
            current_organization_id(),
            data,
            utcnow(),
            horizon_weeks(),
            relay_possible=ice_settings().turn_configured,
        )
        return created(group, "groups.GroupById", group_id=group.id)


@blp.route("/<uuid:group_id>")
class GroupById(MethodView):
    @blp.response(200, GroupSchema)
    def get(self, group_id: uuid.UUID):
        """Read one group"""
        return get_group(current_organization_id(), group_id)

    @blp.arguments(GroupUpdateSchema(partial=True))
    @blp.response(200, GroupSchema)
    def patch(self, changes, group_id: uuid.UUID):
        """Change some fields; schedule changes reschedule untouched future sessions"""
        return groups.update_group(
            current_organization_id(),
            group_id,
            changes,
            utcnow(),
            horizon_weeks(),
            relay_possible=ice_settings().turn_configured,
        )


@blp.route("/<uuid:group_id>/archive")
class GroupArchive(MethodView):
    @blp.response(200, GroupSchema)
    def post(self, group_id: uuid.UUID):
        """Archive a group: past sessions stay, future scheduled ones are cancelled"""
        return groups.archive_group(current_organization_id(), group_id, utcnow())


@blp.route("/<uuid:group_id>/calendar.ics")
class GroupCalendar(MethodView):
    @blp.response(200, content_type="text/calendar")
    def get(self, group_id: uuid.UUID):
        """The group's series as an iCalendar feed"""
        group = get_group(current_organization_id(), group_id)
        return Response(calendar.group_feed(group), mimetype="text/calendar")
