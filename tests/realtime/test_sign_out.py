"""A facilitator's sign-in ends on the server: pages, new connections and open connections alike."""

from __future__ import annotations

from service.domain.facilitators import deactivate_facilitator, end_sign_ins
from service.extensions import db
from service.realtime.session import drop_signed_out
from tests.realtime.acks import emit
from tests.realtime.conftest import add_facilitator, refusal


def test_signing_out_ends_the_open_connection_within_a_sweep(circle):
    host = circle.host()
    assert emit(host, "room:open") == {"ok": True}
    assert drop_signed_out() == 0
    end_sign_ins(circle.facilitator)
    assert drop_signed_out() == 1
    assert [e["args"][0] for e in host.queue if e["name"] == "room:removed"] == [{"reason": "signed_out"}]
    assert not host.is_connected()


def test_a_deactivated_facilitator_loses_the_room_and_cannot_connect_again(app, circle):
    host = circle.host()
    assert emit(host, "room:open") == {"ok": True}
    deactivate_facilitator(circle.facilitator.organization_id, circle.facilitator.id)
    assert drop_signed_out() == 1
    assert not host.is_connected()
    db.session.expire_all()
    flask_client = app.test_client()
    assert refusal(app, {"session_id": str(circle.session.id)}, flask_client)["code"] == "not_signed_in"


def test_another_facilitator_stays(circle):
    kim = add_facilitator(circle.group, "Kim")
    host, other = circle.host(), circle.host(kim)
    end_sign_ins(circle.facilitator)
    assert drop_signed_out() == 1
    assert other.is_connected() and not host.is_connected()
