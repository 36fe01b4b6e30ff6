"""The public directory from a real server: found by its discovery tag, read as a finder app would."""

from __future__ import annotations

import re

import pytest
import requests

from tests.directory_spec import check_feed
from tests.live_server import live_server
from tests.realtime_e2e.helpers import Api

pytestmark = pytest.mark.slow

SIGN_UP = "https://riverside.example.org/circles/sign-up"
DISCOVERY = re.compile(r'<link rel="alternate" type="application/json" title="Meetings Feed" href="([^"]+)">')


def group(api: Api, title: str, **fields) -> dict:
    body = {"title": title, "timezone": "Europe/London", "first_start": "2027-03-02T19:00:00", **fields}
    return api.post("/groups", {**body, "recurrence": {"frequency": "weekly"}})


def test_a_finder_app_reads_only_the_listed_circles(tmp_path):
    with live_server(f"sqlite:///{tmp_path / 'directory.db'}") as server:
        api = Api(server)
        robin = api.post("/facilitators", {"name": "Robin Quill", "email": "robin@example.org"})
        lead = [{"facilitator_id": robin["id"], "role": "lead"}]
        listed = group(
            api, "Tuesday evening circle", public=True, registration_url=SIGN_UP, facilitators=lead
        )
        unlisted = group(api, "Unlisted circle", registration_url=SIGN_UP)
        for made in (listed, unlisted):
            api.post(f"/groups/{made['id']}/registrations", {"external_ref": "person-4711", "region": "GB"})
        other = Api(server)
        group(other, "Another organization's circle", public=True, registration_url=SIGN_UP)
        organization = api.get("/organization")

        page = requests.get(f"{server.url}/directory/{organization['id']}", timeout=10)
        assert page.status_code == 200
        feed_url = DISCOVERY.search(page.text).group(1)
        assert feed_url == f"{server.url}/directory/{organization['id']}/meetings.json"
        response = requests.get(feed_url, timeout=10)
        assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
        feed = response.json()
        check_feed(feed)
        assert [(m["slug"], m["name"], m["day"], m["time"]) for m in feed] == [
            (listed["id"], "Tuesday evening circle", 2, "19:00")
        ]
        assert feed[0]["entity"] == organization["name"] and feed[0]["conference_url"] == SIGN_UP
        # Never a person, nor what is not listed: not on the feed, not on the page.
        for text in (response.text, page.text):
            for absent in ("Robin", "robin@example.org", "person-4711", "/join/", unlisted["id"], "Another"):
                assert absent not in text
