"""Attendance over the API and as CSV: who came and to which agreement, never how they felt."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from service.extensions import db
from service.models import Attendance
from tests.api.attendance_rows import attend, facilitator_attends
from tests.api.helpers import make_group, make_session
from tests.realtime.conftest import add_facilitator

RATING_WORDS = ("rating", "check_in", "check_out", "mood")


def test_a_sessions_attendance_lists_participants_and_facilitator_without_ratings(org):
    group = make_group(org.id)
    session = make_session(group, days_ahead=-7)
    robin = add_facilitator(group)
    came = attend(session, external_ref="crm-17", check_in=2, check_out=4)
    facilitator_attends(session, robin)

    page = org.get(f"/api/v1/sessions/{session.id}/attendance").json
    assert page["next"] is None
    host, person = page["items"]
    assert person["registration_id"] == str(came.registration_id) and person["external_ref"] == "crm-17"
    assert person["facilitator_id"] is None and person["mode"] == "speak"
    assert person["agreement_accepted"] is True and person["agreement_version"] == 1
    assert person["left_at"] is not None and person["group_id"] == str(group.id)
    assert host["facilitator_id"] == str(robin.id) and host["registration_id"] is None
    assert host["agreement_accepted"] is False and host["agreement_version"] is None
    for row in page["items"]:
        assert not any(word in key for key in row for word in RATING_WORDS)
        assert 2 not in row.values() and 4 not in row.values()


def test_the_version_accepted_follows_changes_of_the_agreement_text(org):
    group = make_group(org.id)
    session = make_session(group, days_ahead=-7)
    before = attend(session)
    org.patch(f"/api/v1/groups/{group.id}", json={"title": "Same words, new title"})
    unchanged = attend(session)
    response = org.patch(f"/api/v1/groups/{group.id}", json={"agreement": ["Be kind.", "Pass is fine."]})
    assert response.status_code == 200 and response.json["agreement_version"] == 2
    after = attend(session)
    db.session.expire_all()
    assert [db.session.get(Attendance, a.id).agreement_version for a in (before, unchanged, after)] == [
        1,
        1,
        2,
    ]
    # Accepting again, after the change, records the newer text.
    before.agreement_accepted_at = before.agreement_accepted_at + timedelta(minutes=1)
    db.session.commit()
    assert db.session.get(Attendance, before.id).agreement_version == 2


def test_organization_wide_filters_by_group_and_session_start_and_pages(org):
    mondays, tuesdays = make_group(org.id), make_group(org.id, title="Tuesday circle")
    old = make_session(mondays, days_ahead=-30)
    recent = make_session(mondays, days_ahead=-2)
    other = make_session(tuesdays, days_ahead=-2)
    rows = {
        name: attend(s, external_ref=name) for name, s in (("old", old), ("recent", recent), ("other", other))
    }

    def refs(query: str) -> set[str]:
        response = org.get(f"/api/v1/attendance?{query}")
        assert response.status_code == 200, response.json
        return {row["external_ref"] for row in response.json["items"]}

    assert refs("") == {"old", "recent", "other"}
    assert refs(f"group_id={mondays.id}") == {"old", "recent"}
    since = (recent.starts_at - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert refs(f"from={since}") == {"recent", "other"}
    until = (old.starts_at + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert refs(f"to={until}") == {"old"}
    first = org.get("/api/v1/attendance?limit=2").json
    second = org.get(first["next"].removeprefix("http://localhost")).json
    assert {r["id"] for r in first["items"] + second["items"]} == {str(r.id) for r in rows.values()}


def test_bad_filters_are_problems_and_other_organizations_are_not_found(org, other_org):
    group = make_group(org.id)
    session = make_session(group, days_ahead=-1)
    attend(session)
    bad = org.get("/api/v1/attendance?from=yesterday&to=2020-01-01T00:00:00Z&group_id=x")
    assert bad.status_code == 422 and bad.content_type == "application/problem+json"
    assert {"from", "group_id"} <= set(bad.json["errors"])
    backwards = org.get("/api/v1/attendance?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z")
    assert backwards.status_code == 422 and "to" in backwards.json["errors"]
    assert other_org.get(f"/api/v1/sessions/{session.id}/attendance").status_code == 404
    assert other_org.get(f"/api/v1/attendance?group_id={group.id}").status_code == 404
    assert other_org.get(f"/api/v1/attendance.csv?group_id={group.id}").status_code == 404
    assert other_org.get("/api/v1/attendance").json["items"] == []


def test_the_csv_export_streams_the_same_rows_as_an_attachment(org):
    group = make_group(org.id)
    session = make_session(group, days_ahead=-3)
    attend(session, external_ref='=HYPERLINK("http://evil")', check_in=1, check_out=5)
    attend(make_session(make_group(org.id), days_ahead=-3), external_ref="elsewhere")

    response = org.get(f"/api/v1/attendance.csv?group_id={group.id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    assert response.headers["Content-Disposition"] == 'attachment; filename="attendance.csv"'
    header, *rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert "external_ref" in header and not any(word in c for c in header for word in RATING_WORDS)
    [row] = [dict(zip(header, r, strict=True)) for r in rows]
    assert row["external_ref"] == '\'=HYPERLINK("http://evil")', "a reference never runs as a formula"
    assert row["agreement_accepted"] == "true" and row["agreement_version"] == "1"
    assert row["session_id"] == str(session.id) and row["facilitator_id"] == ""
