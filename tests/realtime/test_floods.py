"""One seat cannot flood a room: every event has a budget per seat, and connections per seat are capped."""

from __future__ import annotations

from service.live.limits import CONNECTIONS_PER_SEAT, EVENT_LIMIT
from tests.realtime.acks import emit, error_code
from tests.realtime.conftest import add_registration, received, refusal


def test_a_flood_of_one_event_is_cut_at_its_budget(circle):
    host = circle.host()
    assert emit(host, "room:open") == {"ok": True}
    sam, _ = circle.admitted("Sam", host)
    alex, _ = circle.admitted("Alex", host)
    received(alex, "room:state")
    answers = [emit(sam, "presence:away") for _ in range(EVENT_LIMIT[0] + 15)]
    assert [error_code(answer) for answer in answers[EVENT_LIMIT[0] :]] == ["rate_limited"] * 15
    assert all(answer == {"ok": True} for answer in answers[: EVENT_LIMIT[0]])
    assert len(received(alex, "room:state")) <= EVENT_LIMIT[0]


def test_a_join_link_opens_a_few_connections_not_fifteen(app, circle):
    _, token = add_registration(circle.group)
    tabs = [circle.join(token) for _ in range(CONNECTIONS_PER_SEAT)]
    assert all(tab.is_connected() for tab in tabs)
    assert refusal(app, {"token": token})["code"] == "too_many_connections"
    tabs[0].disconnect()
    again = circle.join(token)
    assert again.is_connected()
