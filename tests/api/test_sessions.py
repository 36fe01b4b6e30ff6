"""Sessions: listing with filters, reschedule, cancel, state changes, and keeping up with the schedule."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from service.api import query_args
from service.api.pagination import page_schema
from service.domain import sessions as session_domain
from service.domain.errors import Conflict
from service.extensions import db
from service.models import CircleSession, Group, utcnow
from service.schemas.sessions import SESSION_COLUMNS, SessionListArgs, SessionSchema
from tests.api.helpers import create_group, instant, make_group, make_session, register, sessions_of


def test_sessions_follow_the_rule_and_carry_local_times(org):
    group = create_group(org, timezone="America/New_York", first_start="2027-03-07T19:00:00")
    items = sessions_of(org, group["id"])
    assert [s["local_start"] for s in items[:3]] == [
        "2027-03-07T19:00:00",
        "2027-03-14T19:00:00",
        "2027-03-21T19:00:00",
    ]
    assert [s["starts_at"] for s in items[:2]] == ["2027-03-08T00:00:00+00:00", "2027-03-14T23:00:00+00:00"]
    first = items[0]
    assert first["timezone"] == "America/New_York" and first["status"] == "scheduled"
    assert first["original_start"] == first["starts_at"] and first["rescheduled"] is False
    assert instant(first["ends_at"]) - instant(first["starts_at"]) == timedelta(hours=1)
    assert org.get(f"/api/v1/sessions/{first['id']}").json == first


def test_list_filters_by_group_range_and_status_and_sorts(org):
    a = create_group(org)
    b = create_group(org, title="Thursday circle", first_start="2027-03-04T12:00:00")
    everything = org.get("/api/v1/sessions?limit=100").json["items"]
    assert {s["group_id"] for s in everything} == {a["id"], b["id"]}
    starts = [s["starts_at"] for s in everything]
    assert starts == sorted(starts)
    only_a = org.get(f"/api/v1/sessions?group_id={a['id']}&limit=100").json["items"]
    assert {s["group_id"] for s in only_a} == {a["id"]}
    # Overlap: a session from 19:00 to 20:00 overlaps [19:30, 19:45) but not [20:00, ...).
    window = org.get("/api/v1/sessions?from=2027-03-01T19:30:00Z&to=2027-03-01T19:45:00Z").json["items"]
    assert [s["group_id"] for s in window] == [a["id"]]
    after = org.get("/api/v1/sessions?from=2027-03-01T20:00:00Z&to=2027-03-04T12:00:00Z").json["items"]
    assert after == []
    week = org.get("/api/v1/sessions?from=2027-03-01T00:00:00Z&to=2027-03-08T00:00:00Z&sort=-starts_at").json
    assert [s["local_start"] for s in week["items"]] == ["2027-03-04T12:00:00", "2027-03-01T19:00:00"]
    org.post(f"/api/v1/sessions/{only_a[1]['id']}/cancel", json={"reason": "Holiday"})
    cancelled = org.get("/api/v1/sessions?status=cancelled").json["items"]
    assert [s["id"] for s in cancelled] == [only_a[1]["id"]]
    in_group = org.get(f"/api/v1/groups/{a['id']}/sessions?status=cancelled").json["items"]
    assert [s["id"] for s in in_group] == [only_a[1]["id"]]


def test_list_bad_input_is_422(org):
    group = create_group(org)
    bad = org.get("/api/v1/sessions?from=2027-03-01T19:00:00&status=done&sort=title&group_id=x")
    assert bad.status_code == 422
    assert set(bad.json["errors"]) == {"from", "status", "sort", "group_id"}
    bad = org.get(f"/api/v1/groups/{group['id']}/sessions?to=tomorrow")
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"to"}


def test_missing_key_is_401(client, org):
    group = create_group(org)
    session = sessions_of(org, group["id"])[0]
    assert client.get("/api/v1/sessions").status_code == 401
    assert client.get(f"/api/v1/groups/{group['id']}/sessions").status_code == 401
    assert client.get(f"/api/v1/sessions/{session['id']}").status_code == 401
    assert client.post(f"/api/v1/sessions/{session['id']}/cancel", json={"reason": "x"}).status_code == 401
    later = {"starts_at": "2027-03-02T19:00:00Z"}
    assert client.post(f"/api/v1/sessions/{session['id']}/reschedule", json=later).status_code == 401


def test_another_organizations_sessions_are_404(org, other_org):
    group = create_group(org)
    session = sessions_of(org, group["id"])[0]
    assert other_org.get(f"/api/v1/sessions/{session['id']}").status_code == 404
    assert other_org.get(f"/api/v1/groups/{group['id']}/sessions").status_code == 404
    cancel = other_org.post(f"/api/v1/sessions/{session['id']}/cancel", json={"reason": "Mine now"})
    assert cancel.status_code == 404
    move = other_org.post(
        f"/api/v1/sessions/{session['id']}/reschedule", json={"starts_at": "2027-03-02T19:00:00Z"}
    )
    assert move.status_code == 404
    assert other_org.get(f"/api/v1/sessions?group_id={group['id']}").json["items"] == []
    assert org.get(f"/api/v1/sessions/{session['id']}").json["status"] == "scheduled"


def test_reschedule_moves_one_session(org):
    group = create_group(org)
    session = sessions_of(org, group["id"])[1]
    response = org.post(
        f"/api/v1/sessions/{session['id']}/reschedule",
        json={"starts_at": "2027-03-09T18:30:00+00:00", "duration_minutes": 90},
    )
    assert response.status_code == 200
    moved = response.json
    assert moved["rescheduled"] is True and moved["status"] == "scheduled"
    assert moved["original_start"] == session["original_start"]
    assert (
        moved["starts_at"] == "2027-03-09T18:30:00+00:00" and moved["ends_at"] == "2027-03-09T20:00:00+00:00"
    )
    assert moved["local_start"] == "2027-03-09T18:30:00"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"starts_at"}),
        ({"starts_at": "2027-03-09T18:30:00"}, {"starts_at"}),
        ({"starts_at": "2027-03-09T18:30:00Z", "duration_minutes": 5}, {"duration_minutes"}),
        ({"starts_at": "2027-03-09T18:30:00Z", "room": "b"}, {"room"}),
        ({"starts_at": "2020-03-09T18:30:00Z"}, {"starts_at"}),
    ],
)
def test_reschedule_bad_input_is_422(org, body, errors):
    session = sessions_of(org, create_group(org)["id"])[0]
    response = org.post(f"/api/v1/sessions/{session['id']}/reschedule", json=body)
    assert response.status_code == 422 and set(response.json["errors"]) == errors


def test_cancel_and_its_conflicts(org):
    session = sessions_of(org, create_group(org)["id"])[0]
    bad = org.post(f"/api/v1/sessions/{session['id']}/cancel", json={"reason": "   "})
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"reason"}
    assert org.post(f"/api/v1/sessions/{session['id']}/cancel", json={}).status_code == 422
    response = org.post(f"/api/v1/sessions/{session['id']}/cancel", json={"reason": "Facilitator is ill"})
    assert response.status_code == 200
    assert response.json["status"] == "cancelled" and response.json["cancel_reason"] == "Facilitator is ill"
    again = org.post(f"/api/v1/sessions/{session['id']}/cancel", json={"reason": "Again"})
    assert again.status_code == 409
    move = org.post(
        f"/api/v1/sessions/{session['id']}/reschedule", json={"starts_at": "2027-03-09T18:30:00Z"}
    )
    assert move.status_code == 409


def test_state_transitions(org):
    session_id = uuid.UUID(sessions_of(org, create_group(org)["id"])[0]["id"])
    with pytest.raises(Conflict):
        session_domain.end_session(org.id, session_id, utcnow())
    live = session_domain.start_session(org.id, session_id, utcnow())
    assert live.status == "live" and live.started_at is not None
    with pytest.raises(Conflict):
        session_domain.start_session(org.id, session_id, utcnow())
    ended = session_domain.end_session(org.id, session_id, utcnow())
    assert ended.status == "ended" and ended.ended_at is not None
    assert org.post(f"/api/v1/sessions/{session_id}/cancel", json={"reason": "Late"}).status_code == 409
    with pytest.raises(Conflict):
        session_domain.end_session(org.id, session_id, utcnow())


def test_time_change_moves_untouched_sessions_and_keeps_hand_made_ones(org):
    group = create_group(org, recurrence={"frequency": "weekly", "count": 6})
    first, second, third, fourth, *rest = sessions_of(org, group["id"])
    org.post(f"/api/v1/sessions/{second['id']}/cancel", json={"reason": "Holiday"})
    org.post(f"/api/v1/sessions/{third['id']}/reschedule", json={"starts_at": "2027-03-16T12:00:00Z"})
    response = org.patch(
        f"/api/v1/groups/{group['id']}", json={"first_start": "2027-03-01T18:00:00", "duration_minutes": 45}
    )
    assert response.status_code == 200
    after = {s["id"]: s for s in sessions_of(org, group["id"])}
    assert len(after) == 6
    for moved in (first, fourth, *rest):
        now = after[moved["id"]]
        assert now["local_start"] == moved["local_start"].replace("T19:", "T18:")
        assert instant(now["ends_at"]) - instant(now["starts_at"]) == timedelta(minutes=45)
    assert (
        after[second["id"]]["status"] == "cancelled"
        and after[second["id"]]["local_start"] == second["local_start"]
    )
    assert after[third["id"]]["starts_at"] == "2027-03-16T12:00:00+00:00"


def test_dropped_occurrences_are_deleted_or_cancelled_when_registered(org):
    group = create_group(org, recurrence={"frequency": "weekly", "weekdays": ["MO", "TH"], "count": 6})
    items = sessions_of(org, group["id"])
    thursdays = [s for s in items if s["local_start"].startswith(("2027-03-04", "2027-03-11", "2027-03-18"))]
    register(org, group["id"], thursdays[0]["id"])
    response = org.patch(
        f"/api/v1/groups/{group['id']}", json={"recurrence": {"frequency": "weekly", "count": 6}}
    )
    assert response.status_code == 200
    after = sessions_of(org, group["id"])
    scheduled = [s["local_start"][:10] for s in after if s["status"] == "scheduled"]
    assert scheduled == ["2027-03-01", "2027-03-08", "2027-03-15", "2027-03-22", "2027-03-29", "2027-04-05"]
    cancelled = [s for s in after if s["status"] == "cancelled"]
    assert [s["id"] for s in cancelled] == [thursdays[0]["id"]]
    assert cancelled[0]["cancel_reason"] == "The group's schedule changed"


def test_listing_never_extends_the_horizon_refreshing_does(org, app):
    soon = (datetime.now(UTC) + timedelta(days=1)).replace(tzinfo=None, microsecond=0)
    group = create_group(
        org, timezone="UTC", first_start=soon.isoformat(), recurrence={"frequency": "weekly"}
    )
    weeks = app.config["HEARTH_SCHEDULE_HORIZON_WEEKS"]
    assert weeks >= 12
    assert len(sessions_of(org, group["id"])) == weeks + 1
    app.config["HEARTH_SCHEDULE_HORIZON_WEEKS"] = weeks + 4
    # A read shows what is materialized; the schedule refresh is what moves the horizon.
    assert len(sessions_of(org, group["id"])) == weeks + 1
    assert session_domain.extend_horizons(utcnow(), weeks + 4) == 1
    assert len(sessions_of(org, group["id"])) == weeks + 5
    stored = db.session.get(Group, uuid.UUID(group["id"]))
    assert stored.materialized_until > datetime.now(UTC) + timedelta(weeks=weeks + 3)


def test_extend_horizons_materializes_every_active_group(org, other_org, app):
    soon = (datetime.now(UTC) + timedelta(days=1)).replace(tzinfo=None, microsecond=0)
    a = create_group(org, timezone="UTC", first_start=soon.isoformat())
    b = create_group(other_org, timezone="UTC", first_start=soon.isoformat())
    archived = create_group(org, timezone="UTC", first_start=soon.isoformat())
    org.post(f"/api/v1/groups/{archived['id']}/archive")
    count_before = len(sessions_of(org, a["id"]))
    weeks = app.config["HEARTH_SCHEDULE_HORIZON_WEEKS"]
    # Three weeks on, the horizon has moved past two more weekly occurrences.
    later = datetime.now(UTC) + timedelta(weeks=3)
    assert session_domain.extend_horizons(later, weeks) == 2
    assert len(sessions_of(org, a["id"])) == count_before + 2
    assert len(sessions_of(other_org, b["id"])) == count_before + 2
    assert all(s["status"] == "cancelled" for s in sessions_of(org, archived["id"]))
    assert session_domain.extend_horizons(later, weeks) == 0


def _local_now(zone_name: str) -> datetime:
    return datetime.now(ZoneInfo(zone_name)).replace(tzinfo=None, second=0, microsecond=0)


def test_a_series_that_began_minutes_ago_still_has_todays_session(org):
    began = _local_now("Europe/London") - timedelta(minutes=5)
    group = create_group(org, first_start=began.isoformat(), duration_minutes=60)
    first = sessions_of(org, group["id"])[0]
    assert first["local_start"] == began.isoformat()
    assert first["status"] == "scheduled" and instant(first["ends_at"]) > datetime.now(UTC)


def test_an_occurrence_already_over_is_not_made(org):
    over = _local_now("Europe/London") - timedelta(minutes=90)
    group = create_group(org, first_start=over.isoformat(), duration_minutes=60)
    first = sessions_of(org, group["id"])[0]
    assert first["local_start"] == (over + timedelta(weeks=1)).isoformat()


def test_a_schedule_change_to_minutes_ago_gives_todays_session(org):
    group = create_group(org)
    began = _local_now("Europe/London") - timedelta(minutes=3)
    response = org.patch(
        f"/api/v1/groups/{group['id']}",
        json={"first_start": began.isoformat(), "recurrence": {"frequency": "weekly"}},
    )
    assert response.status_code == 200, response.json
    assert sessions_of(org, group["id"])[0]["local_start"] == began.isoformat()


def test_a_reschedule_onto_the_next_session_is_409(org):
    items = sessions_of(org, create_group(org)["id"])
    # The first Monday's circle moved to 18:30 on the next Monday runs into that one (19:00-20:00 London).
    clash = org.post(
        f"/api/v1/sessions/{items[0]['id']}/reschedule", json={"starts_at": "2027-03-08T18:30:00Z"}
    )
    assert clash.status_code == 409 and clash.mimetype == "application/problem+json"
    assert items[1]["id"] in clash.json["errors"]["starts_at"][0]
    assert org.get(f"/api/v1/sessions/{items[0]['id']}").json["starts_at"] == items[0]["starts_at"]
    # Ending as the next one begins is no overlap, and a cancelled session is no obstacle.
    ends_in_time = {"starts_at": "2027-03-08T17:30:00Z", "duration_minutes": 90}
    assert org.post(f"/api/v1/sessions/{items[0]['id']}/reschedule", json=ends_in_time).status_code == 200
    org.post(f"/api/v1/sessions/{items[2]['id']}/cancel", json={"reason": "Holiday"})
    onto_cancelled = {"starts_at": items[2]["starts_at"]}
    assert org.post(f"/api/v1/sessions/{items[1]['id']}/reschedule", json=onto_cancelled).status_code == 200


def _schema_page_body(app, objects: list, next_cursor: str | None, next_url: str | None) -> bytes:
    """The body flask-smorest answers for a page of these sessions: the page schema's dump, as JSON."""
    dumped = page_schema(SessionSchema)().dump(
        {"items": objects, "next_cursor": next_cursor, "next": next_url}
    )
    return app.json.response(dumped).get_data()


def test_the_list_answers_byte_for_byte_what_the_session_schema_dumps(app, org):
    now = datetime(2031, 3, 30, 0, 59, 59, 123456, tzinfo=UTC)
    varied = []
    # Zones with daylight saving, half- and quarter-hour offsets, and across their changes.
    for zone_name in ("America/New_York", "Asia/Kolkata", "Pacific/Chatham", "Europe/London", "UTC"):
        group = make_group(org.id, timezone=zone_name)
        varied.append(make_session(group, starts_in=now - datetime.now(UTC)))
        varied.append(make_session(group, starts_in=now - datetime.now(UTC) + timedelta(hours=1, minutes=1)))
    live, ended, cancelled, moved, unattended = varied[:5]
    live.status, live.started_at = "live", now + timedelta(microseconds=1)
    ended.status, ended.started_at, ended.ended_at = "ended", now, now + timedelta(minutes=59)
    cancelled.status, cancelled.cancel_reason = "cancelled", 'Holiday: "Día de la Raza" 🌧 \\ </script>'
    moved.rescheduled, moved.starts_at = True, now + timedelta(days=3, seconds=1)
    unattended.unattended_at = now + timedelta(minutes=5)
    db.session.commit()

    first = org.get("/api/v1/sessions?limit=7")
    assert first.status_code == 200 and first.mimetype == "application/json"
    page = first.json
    assert page["next_cursor"] is not None
    second = org.get(f"/api/v1/sessions?limit=7&cursor={page['next_cursor']}")
    assert len(page["items"]) + len(second.json["items"]) == len(varied)
    for response in (first, second):
        body = response.json
        objects = [db.session.get(CircleSession, uuid.UUID(item["id"])) for item in body["items"]]
        expected = _schema_page_body(app, objects, body["next_cursor"], body["next"])
        assert response.get_data() == expected
    assert {s["status"] for s in page["items"] + second.json["items"]} == {
        "scheduled",
        "live",
        "ended",
        "cancelled",
    }


def test_the_fast_session_dump_names_every_field_of_the_schema():
    columns = {column.key for column in SESSION_COLUMNS}
    assert columns == set(SessionSchema().fields) - {"local_start"}


def test_a_list_query_asked_again_is_not_parsed_again_and_a_bad_one_fails_every_time(org, monkeypatch):
    group = create_group(org)
    loads = []
    load = SessionListArgs.load

    def counted(schema, *args, **kwargs):
        loads.append(type(schema).__name__)
        return load(schema, *args, **kwargs)

    monkeypatch.setattr(SessionListArgs, "load", counted)
    monkeypatch.setattr(query_args, "REMEMBERED_QUERIES", 2)
    query = f"/api/v1/sessions?limit=3&group_id={group['id']}&sort=-starts_at"
    first = org.get(query).json
    assert org.get(query).json == first and len(first["items"]) == 3
    assert len(loads) == 1
    for _ in range(2):
        bad = org.get(f"/api/v1/sessions?limit=0&group_id={group['id']}")
        assert bad.status_code == 422 and set(bad.json["errors"]) == {"limit"}
    assert len(loads) == 3
    # Two other queries later, the first is forgotten and parsed again.
    org.get(f"/api/v1/sessions?limit=4&group_id={group['id']}")
    org.get(f"/api/v1/sessions?limit=5&group_id={group['id']}")
    assert len(loads) == 5
    assert org.get(query).json == first and len(loads) == 6
