"""A read never writes: GET requests run no INSERT, UPDATE or DELETE."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from service.extensions import db
from tests.api.helpers import create_group, register

WRITES = ("INSERT", "UPDATE", "DELETE")


def test_get_requests_never_write(org, app):
    soon = (datetime.now(UTC) + timedelta(days=2)).replace(tzinfo=None, microsecond=0)
    group = create_group(org, timezone="UTC", first_start=soon.isoformat())
    token = register(org, group["id"])
    session_id = org.get(f"/api/v1/groups/{group['id']}/sessions?limit=1").json["items"][0]["id"]
    # A horizon that fell behind is what the list used to extend (and deadlock on) in a request.
    app.config["HEARTH_SCHEDULE_HORIZON_WEEKS"] += 8
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        for url in (
            "/api/v1/sessions?limit=100",
            f"/api/v1/groups/{group['id']}/sessions",
            f"/api/v1/sessions/{session_id}",
            "/api/v1/groups",
            f"/api/v1/groups/{group['id']}",
            f"/api/v1/groups/{group['id']}/calendar.ics",
        ):
            assert org.get(url).status_code == 200, url
        for url in (f"/join/{token}", f"/join/{token}/calendar.ics", "/readyz", "/healthz"):
            assert org.client.get(url).status_code == 200, url
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert statements, "the requests ran no SQL at all"
    writes = [s for s in statements if s.lstrip().upper().startswith(WRITES)]
    assert writes == []
