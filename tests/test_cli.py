"""The `hearth` command line."""

from __future__ import annotations

import json
import urllib.request

from tests.live_server import hearth_env, live_server, run_hearth


def test_create_org_json_prints_a_working_key(tmp_path):
    with live_server(f"sqlite:///{tmp_path / 'cli.db'}") as server:
        out = server.create_org("Harbour Circles")
        assert set(out) == {"organization_id", "api_key"}
        request = urllib.request.Request(
            f"{server.url}/api/v1/facilitators",
            headers={"Authorization": f"Bearer {out['api_key']}"},
        )
        with urllib.request.urlopen(request) as response:
            assert json.load(response)["items"] == []


def test_create_org_plain_output(tmp_path):
    env = hearth_env(f"sqlite:///{tmp_path / 'plain.db'}")
    run_hearth(["db", "upgrade"], env)
    out = run_hearth(["create-org", "Lantern"], env).stdout
    assert "Lantern" in out and "hk_" in out
