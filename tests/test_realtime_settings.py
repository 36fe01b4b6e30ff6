"""The live room's settings come from the environment."""

from __future__ import annotations

from service.config import Settings


def test_reconnect_grace_and_room_clock_are_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HEARTH_RECONNECT_GRACE_SECONDS", "60")
    monkeypatch.setenv("HEARTH_ROOM_CLOCK_SECONDS", "15")
    config = Settings.from_environ().flask_config(str(tmp_path))
    assert (config["HEARTH_RECONNECT_GRACE_SECONDS"], config["HEARTH_ROOM_CLOCK_SECONDS"]) == (60, 15)


def test_defaults(monkeypatch, tmp_path):
    monkeypatch.delenv("HEARTH_RECONNECT_GRACE_SECONDS", raising=False)
    monkeypatch.delenv("HEARTH_ROOM_CLOCK_SECONDS", raising=False)
    monkeypatch.setenv("HEARTH_ENV", "development")
    config = Settings.from_environ().flask_config(str(tmp_path))
    assert (config["HEARTH_RECONNECT_GRACE_SECONDS"], config["HEARTH_ROOM_CLOCK_SECONDS"]) == (180, 1)
    monkeypatch.setenv("HEARTH_ENV", "testing")
    assert Settings.from_environ().flask_config(str(tmp_path))["HEARTH_ROOM_CLOCK_SECONDS"] == 0


def test_the_alert_take_deadline_is_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("HEARTH_ALERT_TAKE_SECONDS", raising=False)
    assert Settings.from_environ().flask_config(str(tmp_path))["HEARTH_ALERT_TAKE_SECONDS"] == 120
    monkeypatch.setenv("HEARTH_ALERT_TAKE_SECONDS", "45")
    assert Settings.from_environ().flask_config(str(tmp_path))["HEARTH_ALERT_TAKE_SECONDS"] == 45
    monkeypatch.setenv("HEARTH_ALERT_TAKE_SECONDS", "-5")
    assert Settings.from_environ().flask_config(str(tmp_path))["HEARTH_ALERT_TAKE_SECONDS"] == 0
