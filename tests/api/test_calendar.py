"""Calendar feeds: expanded by a calendar client, they give exactly the scheduled sessions."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from service.extensions import db
from service.models import Registration, utcnow
from tests.api.helpers import create_group, instant, register, sessions_of

FROM = datetime(2027, 1, 1, tzinfo=UTC)


def _feed(org, group_id: str) -> icalendar.Calendar:
    response = org.get(f"/api/v1/groups/{group_id}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.data)


def _expanded(cal: icalendar.Calendar, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    events = recurring_ical_events.of(cal).between(start, end)
    return sorted((e.start.astimezone(UTC), e.end.astimezone(UTC)) for e in events)


def _scheduled(org, group_id: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    query = f"&from={start.isoformat().replace('+00:00', 'Z')}&to={end.isoformat().replace('+00:00', 'Z')}"
    items = sessions_of(org, group_id, query)
    return sorted(
        (instant(s["starts_at"]), instant(s["ends_at"])) for s in items if s["status"] != "cancelled"
    )


def _assert_feed_matches_sessions(org, group: dict) -> list[tuple[datetime, datetime]]:
    until = instant(org.get(f"/api/v1/groups/{group['id']}").json["materialized_until"])
    feed = _expanded(_feed(org, group["id"]), FROM, until)
    assert feed == _scheduled(org, group["id"], FROM, until)
    return feed


@pytest.mark.parametrize(
    ("zone", "first_start", "recurrence"),
    [
        ("America/New_York", "2027-03-01T19:00:00", {"frequency": "weekly"}),
        ("America/New_York", "2027-10-04T19:00:00", {"frequency": "weekly", "interval": 2}),
        ("Europe/London", "2027-03-15T19:00:00", {"frequency": "weekly", "weekdays": ["MO", "TH"]}),
        ("Europe/London", "2027-10-18T19:00:00", {"frequency": "weekly", "until": "2027-11-30"}),
        ("Europe/London", "2027-03-09T19:00:00", {"frequency": "monthly"}),
        (
            "America/New_York",
            "2027-03-26T19:00:00",
            {"frequency": "monthly", "week_of_month": -1, "count": 4},
        ),
        ("Australia/Sydney", "2027-03-28T19:00:00", {"frequency": "weekly", "count": 5}),
    ],
)
def test_feed_expands_to_the_scheduled_sessions(org, zone, first_start, recurrence):
    group = create_group(org, timezone=zone, first_start=first_start, recurrence=recurrence)
    feed = _assert_feed_matches_sessions(org, group)
    assert feed and all(start.astimezone(ZoneInfo(zone)).hour == 19 for start, _ in feed)


def test_cancelled_and_moved_occurrences_across_daylight_saving(org):
    group = create_group(org, timezone="America/New_York", first_start="2027-03-01T19:00:00")
    items = sessions_of(org, group["id"])
    org.post(f"/api/v1/sessions/{items[1]['id']}/cancel", json={"reason": "Holiday"})
    org.post(
        f"/api/v1/sessions/{items[2]['id']}/reschedule",
        json={"starts_at": "2027-03-17T22:30:00Z", "duration_minutes": 90},
    )
    feed = _assert_feed_matches_sessions(org, group)
    assert instant(items[1]["starts_at"]) not in [start for start, _ in feed]
    assert (datetime(2027, 3, 17, 22, 30, tzinfo=UTC), datetime(2027, 3, 18, 0, 0, tzinfo=UTC)) in feed
    text = _feed(org, group["id"]).to_ical().decode()
    assert "BEGIN:VTIMEZONE" in text and "TZID:America/New_York" in text
    assert "DTSTART;TZID=America/New_York:20270301T190000" in text
    assert "RRULE:FREQ=WEEKLY" in text and "EXDATE;TZID=America/New_York:20270308T190000" in text
    assert "RECURRENCE-ID;TZID=America/New_York:20270315T190000" in text
    assert text.count(f"UID:group-{group['id']}@hearth") == 2


def test_feed_follows_a_schedule_change(org):
    group = create_group(org, recurrence={"frequency": "weekly", "count": 8})
    items = sessions_of(org, group["id"])
    org.post(f"/api/v1/sessions/{items[3]['id']}/reschedule", json={"starts_at": "2027-03-24T10:00:00Z"})
    org.patch(f"/api/v1/groups/{group['id']}", json={"first_start": "2027-03-01T18:30:00"})
    _assert_feed_matches_sessions(org, group)


def test_archived_series_ends(org):
    group = create_group(org, timezone="Europe/London", first_start="2027-03-01T19:00:00")
    org.post(f"/api/v1/groups/{group['id']}/archive")
    cal = _feed(org, group["id"])
    assert _expanded(cal, FROM, datetime(2030, 1, 1, tzinfo=UTC)) == []


def test_one_off_group_is_a_single_event(org):
    group = create_group(org, recurrence=None, title="Winter gathering")
    cal = _feed(org, group["id"])
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1 and "RRULE" not in events[0]
    assert str(events[0]["SUMMARY"]) == "Winter gathering"
    assert str(events[0]["UID"]) == f"group-{group['id']}@hearth"
    _assert_feed_matches_sessions(org, group)


def test_group_feed_needs_a_key_and_stays_in_its_organization(client, org, other_org):
    group = create_group(org)
    assert client.get(f"/api/v1/groups/{group['id']}/calendar.ics").status_code == 401
    assert other_org.get(f"/api/v1/groups/{group['id']}/calendar.ics").status_code == 404


def test_registration_feeds(client, org):
    group = create_group(org)
    session = sessions_of(org, group["id"])[2]
    series_token = register(org, group["id"])
    single_token = register(org, group["id"], session["id"])

    series = client.get(f"/join/{series_token}/calendar.ics")
    assert series.status_code == 200 and series.mimetype == "text/calendar"
    assert b"RRULE:FREQ=WEEKLY" in series.data and b"person-4711" not in series.data

    single = client.get(f"/join/{single_token}/calendar.ics")
    assert single.status_code == 200 and b"person-4711" not in single.data
    cal = icalendar.Calendar.from_ical(single.data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1 and "RRULE" not in events[0]
    assert events[0].start.astimezone(UTC) == instant(session["starts_at"])
    assert str(events[0]["UID"]) == f"session-{session['id']}@hearth"


def test_unknown_or_revoked_join_link_is_404(client, org):
    group = create_group(org)
    token = register(org, group["id"])
    assert client.get("/join/not-a-token/calendar.ics").status_code == 404
    db.session.execute(db.update(Registration).values(token_revoked_at=utcnow()))
    db.session.commit()
    assert client.get(f"/join/{token}/calendar.ics").status_code == 404


def test_participant_events_carry_their_join_link(client, org, app):
    group = create_group(org)
    session = sessions_of(org, group["id"])[2]
    org.post(f"/api/v1/sessions/{session['id']}/reschedule", json={"starts_at": "2027-03-15T18:00:00Z"})
    base = app.config["HEARTH_BASE_URL"]
    for token in (register(org, group["id"]), register(org, group["id"], session["id"])):
        events = list(
            icalendar.Calendar.from_ical(client.get(f"/join/{token}/calendar.ics").data).walk("VEVENT")
        )
        assert events
        for event in events:
            assert str(event["URL"]) == f"{base}/join/{token}"
            assert f"{base}/join/{token}" in str(event["DESCRIPTION"])
    # The organization's feed of the group names nobody's link.
    assert b"/join/" not in org.get(f"/api/v1/groups/{group['id']}/calendar.ics").data


def test_a_waitlisted_feed_says_so_instead_of_listing_the_series(client, org):
    group = create_group(org)
    first = sessions_of(org, group["id"])[0]
    token = register(org, group["id"], status="waitlisted")
    cal = icalendar.Calendar.from_ical(client.get(f"/join/{token}/calendar.ics").data)
    assert "waitlist" in str(cal["X-WR-CALNAME"])
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1 and "RRULE" not in events[0]
    (event,) = events
    assert str(event["SUMMARY"]).startswith("Waitlisted:") and str(event["STATUS"]) == "TENTATIVE"
    assert str(event["TRANSP"]) == "TRANSPARENT" and "waitlist" in str(event["DESCRIPTION"])
    assert event.start.astimezone(UTC) == instant(first["starts_at"])
    assert recurring_ical_events.of(cal).between(FROM, datetime(2028, 1, 1, tzinfo=UTC)) != []
    assert len(recurring_ical_events.of(cal).between(FROM, datetime(2028, 1, 1, tzinfo=UTC))) == 1


def test_a_spanish_circles_feed_speaks_spanish_unless_the_person_chose_english(client, org):
    group = create_group(org, language="es", duration_minutes=90)
    token = register(org, group["id"], status="waitlisted")

    cal = icalendar.Calendar.from_ical(client.get(f"/join/{token}/calendar.ics").data)
    (event,) = cal.walk("VEVENT")
    assert str(cal["X-WR-CALNAME"]) == f"{group['title']} (en lista de espera)"
    assert str(event["SUMMARY"]) == f"En lista de espera: {group['title']}"
    description = str(event["DESCRIPTION"])
    assert description.startswith("Estás en la lista de espera de este círculo")
    assert "Un círculo de apoyo entre pares de Hearth (90 minutos)." in description
    link = f"http://hearth.test/join/{token}"
    assert f"Entra con tu enlace personal (guárdalo solo para ti): {link}" in description

    client.get(f"/join/{token}?lang=en")
    english = icalendar.Calendar.from_ical(client.get(f"/join/{token}/calendar.ics").data)
    assert str(english.walk("VEVENT")[0]["SUMMARY"]) == f"Waitlisted: {group['title']}"
