"""Facilitators: edited, deactivated and reactivated with their history kept, and their groups listed."""

from __future__ import annotations

import re

from service.domain import audit
from service.extensions import db
from service.models import AuditEntry, GroupFacilitator
from tests.api.helpers import make_group, make_session
from tests.realtime.conftest import add_facilitator
from tests.web.test_signin import PASSWORD, make_facilitator, sign_in


def _create(org, name="Amira", email="amira@example.org"):
    response = org.post("/api/v1/facilitators", json={"name": name, "email": email})
    assert response.status_code == 201
    return response.json


def test_name_and_email_change_and_a_taken_email_is_409(org):
    amira = _create(org)
    _create(org, "Ben", "ben@example.org")
    url = f"/api/v1/facilitators/{amira['id']}"
    changed = org.patch(url, json={"name": " Amira H. ", "email": "Amira.H@Example.org"})
    assert changed.status_code == 200, changed.json
    assert (changed.json["name"], changed.json["email"]) == ("Amira H.", "amira.h@example.org")
    taken = org.patch(url, json={"email": "ben@example.org"})
    assert taken.status_code == 409 and "email" in taken.json["errors"]
    assert org.get(url).json["email"] == "amira.h@example.org"


def test_bad_or_unknown_fields_are_422_and_another_organizations_is_404(org, other_org):
    amira = _create(org)
    url = f"/api/v1/facilitators/{amira['id']}"
    bad = org.patch(url, json={"name": "", "email": "nope", "active": "yes", "password_hash": "x"})
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"name", "email", "active", "password_hash"}
    assert other_org.patch(url, json={"name": "Mine now"}).status_code == 404
    assert other_org.get(f"{url}/groups").status_code == 404


def test_deactivating_keeps_the_audit_history_and_reactivating_needs_a_new_link(org, client):
    group = make_group(org.id)
    robin = add_facilitator(group)
    session = make_session(group, days_ahead=-1)
    audit.record(session.id, audit.Actor(org.id, facilitator_id=robin.id), "seat:mute", "p-1", {"on": True})
    db.session.commit()
    url = f"/api/v1/facilitators/{robin.id}"

    off = org.patch(url, json={"active": False})
    assert off.status_code == 200 and off.json["active"] is False and off.json["deactivated_at"]
    [entry] = db.session.execute(db.select(AuditEntry)).scalars()
    assert entry.facilitator_id == robin.id
    log = org.get(f"/api/v1/sessions/{session.id}/audit").json["items"]
    assert [e["facilitator_name"] for e in log] == ["Robin"]
    assert org.post(f"{url}/password-link").status_code == 409

    on = org.patch(url, json={"active": True})
    assert on.json["active"] is True and on.json["deactivated_at"] is None
    link = org.post(f"{url}/password-link").json["password_setup_url"]
    assert client.get(link.removeprefix("http://hearth.test")).status_code == 200


def test_a_facilitators_groups_are_listed_and_paged(org):
    first, second, not_theirs = (make_group(org.id, title=t) for t in ("Monday", "Tuesday", "Wednesday"))
    robin = add_facilitator(first)
    add_facilitator(not_theirs, "Kai")
    db.session.add(GroupFacilitator(group_id=second.id, facilitator_id=robin.id, role="co"))
    db.session.commit()
    page = org.get(f"/api/v1/facilitators/{robin.id}/groups?limit=1").json
    rest = org.get(page["next"].removeprefix("http://localhost")).json
    assert [g["title"] for g in page["items"] + rest["items"]] == ["Monday", "Tuesday"]
    assert rest["next"] is None


def test_the_password_set_page_and_the_home_page_lead_to_sign_in(org, client):
    link = _create(org)["password_setup_url"].removeprefix("http://hearth.test")
    done = client.post(link, data={"password": "a long password", "confirm": "a long password"})
    assert done.status_code == 200
    assert re.search(r'<a href="/facilitator/sign-in">sign in', done.get_data(as_text=True)), done.data
    assert 'href="/facilitator/sign-in"' in client.get("/").get_data(as_text=True)


def test_reactivating_does_not_bring_back_a_sign_in_from_before(org, client):
    person = make_facilitator(org.id)
    assert sign_in(client, "amira@example.org", PASSWORD).status_code == 302
    assert client.get("/facilitator").status_code == 200
    org.patch(f"/api/v1/facilitators/{person.id}", json={"active": False})
    org.patch(f"/api/v1/facilitators/{person.id}", json={"active": True})
    assert client.get("/facilitator").status_code == 302, "the old cookie is signed out"
