"""The Meeting Guide specification (github.com/code4recovery/spec, README), as checks on a feed."""

from __future__ import annotations

import re
from zoneinfo import available_timezones

# The spec's reserved meeting types (its "Meeting Types" table) that Hearth may send.
SPEC_TYPES = {"EN", "S", "O", "C", "D", "BE", "W", "M", "Y", "SEN", "LGBTQ"}
HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
UPDATED = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
SLUG = re.compile(r"^[A-Za-z0-9._~-]{1,64}$")
STRING_FIELDS = {
    "name", "slug", "time", "end_time", "timezone", "conference_url", "conference_url_notes",
    "url", "notes", "updated", "entity",
}  # fmt: skip


def check_meeting(meeting: dict) -> None:
    """Every field as the specification defines it; AssertionError naming the first that is not."""
    assert isinstance(meeting["name"], str) and 0 < len(meeting["name"]) <= 255
    assert SLUG.match(meeting["slug"]), meeting["slug"]
    days = meeting["day"] if isinstance(meeting["day"], list) else [meeting["day"]]
    assert days and all(type(day) is int and 0 <= day <= 6 for day in days), meeting["day"]
    assert HH_MM.match(meeting["time"]) and HH_MM.match(meeting["end_time"])
    assert meeting["timezone"] in available_timezones()
    assert meeting["conference_url"].startswith(("https://", "http://"))
    assert isinstance(meeting["types"], list) and set(meeting["types"]) <= SPEC_TYPES
    assert UPDATED.match(meeting["updated"])
    for name in STRING_FIELDS & meeting.keys():
        assert isinstance(meeting[name], str), name
    # Online meetings must have a conference_url (or phone) to be considered active.
    assert meeting.get("conference_url") or meeting.get("conference_phone")


def check_feed(feed: object) -> None:
    """A plain array of meetings whose slugs are unique in the data set."""
    assert isinstance(feed, list)
    for meeting in feed:
        check_meeting(meeting)
    slugs = [meeting["slug"] for meeting in feed]
    assert len(slugs) == len(set(slugs))
