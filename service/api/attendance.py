"""/api/v1/attendance: who came to which session, how, and to which agreement (never ratings)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.auth import current_organization_id
from service.api.pagination import page_schema, paginate
from service.domain import attendance
from service.domain.lookup import get_group, get_session
from service.models import Attendance
from service.schemas.attendance import AttendanceFilterArgs, AttendanceListArgs, AttendanceSchema
from service.schemas.base import PageArgs

blp = Blueprint("attendance", __name__, url_prefix="/api/v1", description="Attendance")


def _filtered(args: dict[str, Any]):
    organization_id = current_organization_id()
    if "group_id" in args:
        get_group(organization_id, args["group_id"])
    return attendance.attendance_select(
        organization_id, group_id=args.get("group_id"), from_=args.get("from_"), to=args.get("to")
    )


def _page(select, args: dict[str, Any]) -> dict[str, Any]:
    return paginate(
        select,
        order=[Attendance.joined_at, Attendance.id],
        descending=False,
        limit=args["limit"],
        cursor=args.get("cursor"),
    )


@blp.route("/attendance")
class AttendanceList(MethodView):
    @blp.arguments(AttendanceListArgs, location="query")
    @blp.response(200, page_schema(AttendanceSchema))
    def get(self, args):
        """List attendance across the organization, by group and the sessions' start"""
        return _page(_filtered(args), args)


@blp.route("/attendance.csv")
class AttendanceExport(MethodView):
    @blp.arguments(AttendanceFilterArgs, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, args):
        """Export the same attendance as CSV, every row, streamed"""
        lines = attendance.csv_lines(_filtered(args))
        return Response(
            stream_with_context(lines),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="attendance.csv"'},
        )


@blp.route("/sessions/<uuid:session_id>/attendance")
class SessionAttendance(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(AttendanceSchema))
    def get(self, args, session_id: uuid.UUID):
        """List who came to one session"""
        organization_id = current_organization_id()
        get_session(organization_id, session_id)
        return _page(attendance.attendance_select(organization_id, session_id=session_id), args)
