"""The `hearth` command line."""

from __future__ import annotations

import json
import urllib.request

from service.models import RETENTION_DEFAULTS
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


def test_demo_prints_the_ways_in_to_its_live_circle(tmp_path):
    env = hearth_env(f"sqlite:///{tmp_path / 'demo.db'}", HEARTH_BASE_URL="http://127.0.0.1:5000")
    run_hearth(["db", "upgrade"], env)
    out = run_hearth(["demo", "--no-serve"], env).stdout
    assert "http://127.0.0.1:5000/facilitator/sign-in" in out
    assert "http://127.0.0.1:5000/facilitator/sessions/" in out
    assert out.count("http://127.0.0.1:5000/join/") == 3


def test_purge_runs_on_a_migrated_database_and_says_what_it_removed(tmp_path):
    env = hearth_env(f"sqlite:///{tmp_path / 'purge.db'}")
    run_hearth(["db", "upgrade"], env)
    run_hearth(["create-org", "Lantern"], env)
    out = run_hearth(["purge"], env).stdout
    assert out.splitlines() == [f"{kind}: 0" for kind in RETENTION_DEFAULTS]
