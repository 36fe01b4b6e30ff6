"""The delivery log and redeliver over the API, within the caller's organization only."""

from __future__ import annotations

import uuid
from datetime import timedelta

from service.delivery import worker
from service.domain import outbox
from service.extensions import db
from service.models import utcnow
from tests.webhooks.conftest import add_endpoint, add_issued_endpoint


def _base(endpoint) -> str:
    return f"/api/v1/webhooks/{endpoint.id}/deliveries"


def _enqueue(org, n: int = 1) -> None:
    for i in range(n):
        outbox.enqueue(org.id, "session.started", {"session_id": f"s{i}"})
        db.session.commit()


def test_the_log_lists_newest_first_page_by_page_and_filters_by_status(org, receiver):
    endpoint = add_endpoint(org.id, url=receiver.url)
    _enqueue(org, 3)
    receiver.start()
    worker.deliver_due()
    _enqueue(org, 2)  # these two stay pending

    first = org.get(f"{_base(endpoint)}?limit=4")
    assert first.status_code == 200
    second = org.get(first.json["next"].removeprefix("http://localhost"))
    items = first.json["items"] + second.json["items"]
    assert len(items) == 5 and second.json["next"] is None
    assert [i["status"] for i in items] == ["pending", "pending", "delivered", "delivered", "delivered"]
    assert [i["created_at"] for i in items] == sorted((i["created_at"] for i in items), reverse=True)
    delivered = items[-1]
    assert delivered["event_type"] == "session.started" and delivered["event_id"].startswith("msg_")
    assert (
        delivered["attempt_count"] == 1 and delivered["delivered_at"] and delivered["next_attempt_at"] is None
    )
    assert items[0]["next_attempt_at"] and items[0]["attempt_count"] == 0

    pending = org.get(f"{_base(endpoint)}?status=pending").json["items"]
    assert {i["id"] for i in pending} == {i["id"] for i in items[:2]}
    assert org.get(f"{_base(endpoint)}?status=failed").json["items"] == []
    refused = org.get(f"{_base(endpoint)}?status=lost")
    assert refused.status_code == 422 and "status" in refused.json["errors"]


def test_one_delivery_shows_its_body_and_attempts_and_no_secret(org, receiver):
    issued = add_issued_endpoint(org.id, url=receiver.url)
    endpoint = issued.endpoint
    _enqueue(org)
    worker.deliver_due()  # refused: the receiver is down
    receiver.start()
    worker.deliver_due(utcnow() + timedelta(minutes=1))
    [item] = org.get(_base(endpoint)).json["items"]

    response = org.get(f"{_base(endpoint)}/{item['id']}")
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "delivered"
    assert body["payload"]["type"] == "session.started" and body["payload"]["data"] == {"session_id": "s0"}
    assert [(a["status_code"], a["error"]) for a in body["attempts"]] == [
        (None, "connection_refused"),
        (204, None),
    ]
    assert set(body["attempts"][0]) == {
        "attempted_at",
        "duration_ms",
        "status_code",
        "error",
        "response_excerpt",
    }
    assert issued.secret not in response.get_data(as_text=True)


def test_redeliver_sends_a_failed_delivery_again_with_a_fresh_schedule(org, receiver):
    endpoint = add_endpoint(org.id, url=receiver.url)
    _enqueue(org)
    now = utcnow()
    while worker.deliver_due(now):  # the receiver stays down for a whole day
        [item] = org.get(_base(endpoint)).json["items"]
        now = utcnow() if item["next_attempt_at"] is None else now + timedelta(hours=3)
    [failed] = org.get(_base(endpoint)).json["items"]
    assert failed["status"] == "failed" and failed["failed_at"]

    response = org.post(f"{_base(endpoint)}/{failed['id']}/redeliver")
    assert response.status_code == 202
    assert response.json["status"] == "pending" and response.json["failed_at"] is None
    receiver.start()
    assert worker.deliver_due() == 1
    after = org.get(f"{_base(endpoint)}/{failed['id']}").json
    assert after["status"] == "delivered"
    assert after["attempt_count"] == failed["attempt_count"] + 1 == len(after["attempts"])
    assert len(receiver.received) == 1
    assert receiver.received[0].headers["webhook-id"] == failed["event_id"]

    again = org.post(f"{_base(endpoint)}/{failed['id']}/redeliver")
    assert again.status_code == 202 and again.json["status"] == "pending"
    worker.deliver_due()
    assert len(receiver.received) == 2


def test_redeliver_to_a_disabled_endpoint_is_409_and_changes_nothing(org):
    endpoint = add_endpoint(org.id)
    _enqueue(org)
    [item] = org.get(_base(endpoint)).json["items"]
    assert org.patch(f"/api/v1/webhooks/{endpoint.id}", json={"enabled": False}).status_code == 200
    before = org.get(f"{_base(endpoint)}/{item['id']}").json
    response = org.post(f"{_base(endpoint)}/{item['id']}/redeliver")
    assert response.status_code == 409 and "disabled" in response.json["detail"]
    assert org.get(f"{_base(endpoint)}/{item['id']}").json == before


def test_another_organizations_endpoints_and_deliveries_are_404(org, other_org):
    endpoint = add_endpoint(org.id)
    own_other_endpoint = add_endpoint(org.id)
    _enqueue(org)
    [item] = org.get(_base(endpoint)).json["items"]
    delivery = f"{_base(endpoint)}/{item['id']}"
    for url in (_base(endpoint), delivery):
        assert other_org.get(url).status_code == 404
    assert other_org.post(f"{delivery}/redeliver").status_code == 404
    # Their own endpoint id with our delivery id is no way in either.
    theirs = add_endpoint(other_org.id)
    assert other_org.get(f"{_base(theirs)}/{item['id']}").status_code == 404
    assert other_org.post(f"{_base(theirs)}/{item['id']}/redeliver").status_code == 404
    # Nor is one of our deliveries under another of our endpoints.
    assert org.get(f"{_base(own_other_endpoint)}/{item['id']}").status_code == 404
    assert org.get(f"{_base(endpoint)}/{uuid.uuid4()}").status_code == 404
    assert org.get(f"/api/v1/webhooks/{uuid.uuid4()}/deliveries").status_code == 404
