"""An OpenAPI-driven fuzzer (schemathesis) against the live API, with a valid key.

It must find no server error and no response that contradicts the OpenAPI document.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.live_server import live_server

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    ]
)


@pytest.mark.slow
def test_fuzzer_finds_no_server_error_and_no_contradiction(tmp_path):
    schemathesis = Path(sys.executable).with_name("st")
    # No delivery worker: events for fuzzed endpoints must not go out to generated hosts. The
    # fuzzer's thousands of calls are the endpoints' test, not the rate limit's (its own tests).
    with live_server(
        f"sqlite:///{tmp_path / 'fuzz.db'}",
        HEARTH_WEBHOOK_POLL_SECONDS="0",
        HEARTH_API_RATE_LIMIT="1000000/minute",
    ) as server:
        key = server.create_org()["api_key"]
        result = subprocess.run(
            [
                str(schemathesis),
                "run",
                f"{server.url}/api/v1/openapi.json",
                "--checks",
                CHECKS,
                "--header",
                f"Authorization: Bearer {key}",
                "--max-examples",
                "25",
                "--seed",
                "20261121",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--generation-codec",
                "utf-8",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=tmp_path,  # schemathesis keeps a cache in its working directory
        )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
