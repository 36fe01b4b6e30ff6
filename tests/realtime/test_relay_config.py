"""What `rtc:config` tells a seat about relaying: TURN alone when the group relays, never a fallback."""

from __future__ import annotations

import pytest

from service.extensions import db
from service.live.media import credential_seconds
from service.models import Organization

STUN = ["stun:stun.example.org:3478"]
TURN = ["turn:turn.example.org:3478?transport=udp"]


@pytest.fixture
def ice(circle):
    circle.app.config.update(HEARTH_STUN_URLS=STUN, HEARTH_TURN_URLS=TURN, HEARTH_TURN_SECRET="shared")
    return circle.app.config


def config_of(circle) -> dict:
    client, _ = circle.participant("Sam", "listen_only")
    answer = client.emit("rtc:config", callback=True)
    assert answer["ok"] is True, answer
    return answer


def choose(circle, *, group: bool | None = None, organization: bool | None = None) -> None:
    circle.group.relay_media = group
    db.session.get(Organization, circle.group.organization_id).relay_media = organization
    db.session.commit()


def test_outside_production_nothing_chosen_means_direct_media(circle, ice):
    answer = config_of(circle)
    assert answer["relay"] == "off" and answer["ice_transport_policy"] == "all"
    assert [server["urls"] for server in answer["ice_servers"]] == [STUN, TURN]


def test_the_deployment_default_relays_when_nothing_is_chosen(circle, ice):
    ice["HEARTH_RELAY_MEDIA_DEFAULT"] = True
    answer = config_of(circle)
    assert answer["relay"] == "on" and answer["ice_transport_policy"] == "relay"
    # Only TURN: a relayed connection has no use for STUN, so the browser never asks it.
    (turn,) = answer["ice_servers"]
    assert turn["urls"] == TURN and turn["username"].endswith(":" + answer_seat(turn))


def answer_seat(turn: dict) -> str:
    return turn["username"].split(":", 1)[1]


@pytest.mark.parametrize(
    ("group", "organization", "default", "relayed"),
    [
        (None, True, False, True),
        (False, True, True, False),
        (True, False, False, True),
        (None, False, True, False),
    ],
)
def test_the_group_choice_wins_then_the_organization_then_the_deployment(
    circle, ice, group, organization, default, relayed
):
    ice["HEARTH_RELAY_MEDIA_DEFAULT"] = default
    choose(circle, group=group, organization=organization)
    answer = config_of(circle)
    assert answer["ice_transport_policy"] == ("relay" if relayed else "all")
    assert answer["relay"] == ("on" if relayed else "off")


def test_relaying_without_a_turn_server_says_so_and_offers_no_server(circle, ice):
    choose(circle, group=True)
    # TURN went away after the group chose relaying (the deployment's settings changed).
    ice.update(HEARTH_TURN_URLS=[], HEARTH_TURN_SECRET=None)
    answer = config_of(circle)
    assert answer["relay"] == "unavailable"
    assert answer["ice_transport_policy"] == "relay" and answer["ice_servers"] == []


def test_a_group_setting_changed_during_the_session_applies_to_the_next_request(circle, ice):
    client, _ = circle.participant("Ari", "listen_only")
    assert client.emit("rtc:config", callback=True)["relay"] == "off"
    choose(circle, group=True)
    assert client.emit("rtc:config", callback=True)["relay"] == "on"


def test_a_turn_credential_lasts_to_the_sessions_end_and_never_past_a_day(circle, ice):
    ice["HEARTH_TURN_TTL_SECONDS"] = 600
    ends_at = circle.session.ends_at.timestamp()
    expires = int(config_of(circle)["ice_servers"][-1]["username"].split(":", 1)[0])
    # A credential that lapsed mid-session would cut the relay off at coturn's next refresh.
    assert ends_at + 14 * 60 < expires <= ends_at + 16 * 60
    assert credential_seconds(600, ends_at=10_000.0, now=9_000.0) == 1_900
    assert credential_seconds(3600, ends_at=10_000.0, now=9_900.0) == 3600
    assert credential_seconds(600, ends_at=500_000.0, now=0.0) == 86_400
