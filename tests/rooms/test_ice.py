"""ICE configuration: STUN as given, TURN with coturn shared-secret credentials that expire."""

from __future__ import annotations

import base64
import hashlib
import hmac

from service.config import Settings
from service.rooms.ice import ice_servers

STUN = ["stun:stun.example.org:3478"]
TURN = ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349?transport=tcp"]


def test_stun_and_turn_with_an_expiring_credential():
    servers = ice_servers(STUN, TURN, "s3cret", 3600, "person-42", now=1_700_000_000.9)

    assert servers[0] == {"urls": STUN}
    turn = servers[1]
    assert turn["urls"] == TURN
    expiry, identity = turn["username"].split(":", 1)
    assert int(expiry) == 1_700_003_600 and identity == "person-42"
    # Independent of the module: what coturn computes from its static-auth-secret.
    expected = base64.b64encode(
        hmac.new(b"s3cret", b"1700003600:person-42", digestmod="sha1").digest()
    ).decode()
    assert turn["credential"] == expected
    assert len(base64.b64decode(turn["credential"])) == hashlib.sha1().digest_size


def test_the_credential_differs_per_identity_and_time():
    a = ice_servers([], TURN, "s3cret", 60, "a", now=1000)[0]
    b = ice_servers([], TURN, "s3cret", 60, "b", now=1000)[0]
    later = ice_servers([], TURN, "s3cret", 60, "a", now=2000)[0]
    assert a["username"] == "1060:a"
    assert len({a["credential"], b["credential"], later["credential"]}) == 3


def test_no_turn_without_secret_or_urls():
    assert ice_servers(STUN, TURN, None, 3600, "x", now=0) == [{"urls": STUN}]
    assert ice_servers(STUN, TURN, "", 3600, "x", now=0) == [{"urls": STUN}]
    assert ice_servers(STUN, [], "s3cret", 3600, "x", now=0) == [{"urls": STUN}]
    assert ice_servers([], [], None, 3600, "x", now=0) == []


def test_settings_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HEARTH_STUN_URLS", " stun:a.example:3478 , stun:b.example:3478,")
    monkeypatch.setenv("HEARTH_TURN_URLS", "turn:t.example:3478")
    monkeypatch.setenv("HEARTH_TURN_SECRET", "shared")
    monkeypatch.setenv("HEARTH_TURN_TTL_SECONDS", "600")
    config = Settings.from_environ().flask_config(str(tmp_path))
    assert config["HEARTH_STUN_URLS"] == ["stun:a.example:3478", "stun:b.example:3478"]
    assert config["HEARTH_TURN_URLS"] == ["turn:t.example:3478"]
    assert config["HEARTH_TURN_SECRET"] == "shared"
    assert config["HEARTH_TURN_TTL_SECONDS"] == 600


def test_settings_defaults(monkeypatch, tmp_path):
    for name in ("HEARTH_STUN_URLS", "HEARTH_TURN_URLS", "HEARTH_TURN_SECRET", "HEARTH_TURN_TTL_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    config = Settings.from_environ().flask_config(str(tmp_path))
    assert config["HEARTH_STUN_URLS"] == [] and config["HEARTH_TURN_URLS"] == []
    assert config["HEARTH_TURN_SECRET"] is None and config["HEARTH_TURN_TTL_SECONDS"] == 3600
