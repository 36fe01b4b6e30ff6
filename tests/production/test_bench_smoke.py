"""The live-room benchmark still runs end to end: a few rooms of Hearth and of the bare server."""

from __future__ import annotations

import math
import uuid

import pytest
from conftest import POSTGRES_URL, need_service

from bench import fanout

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_the_benchmark_seats_everyone_and_measures_each_message():
    need_service(POSTGRES_URL, "PostgreSQL")
    database = f"hearth_bench_smoke_{uuid.uuid4().hex[:8]}"
    small = ["--sizes", "16", "--redis-sizes", "", "--clients", "2", "--duration", "4", "--interval", "2"]
    rows = fanout.main([*small, "--admin-url", POSTGRES_URL, "--database", database])
    assert [row["kind"] for row in rows] == ["hearth", "bare"]
    for row in rows:
        assert row["participants"] == 16
        assert row["seated"] == 16, row
        assert (row["errors"], row["refused"]) == (0, 0), row
        # Two messages from each of 16 people, each reaching the 9 connections of its room.
        assert row["sent"] >= 16, row
        assert row["delivered_per_s"] * 4 >= row["sent"] * 9 * 0.9, row
        for figure in ("p50_ms", "p99_ms", "cpu_ms_per_msg", "seating_s", "storm_s"):
            assert math.isfinite(row[figure]) and row[figure] > 0, (figure, row)
