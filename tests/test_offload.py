"""Blocking calls off the event loop: under eventlet and gevent (each in a process of its own, as
monkey patching is for a whole process) the loop keeps running while the call holds a real OS
thread, one call at a time; in threading mode the call is made in the caller's thread."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from service.offload import runner_for

ROOT = Path(__file__).resolve().parent.parent

# Two calls that each hold their OS thread for 0.2 s (as onnxruntime does), made at once from two
# greenlets while a third ticks every 5 ms; then a call that raises.
SCRIPT = """
import json, sys
mode = sys.argv[1]
if mode == "eventlet":
    import eventlet
    eventlet.monkey_patch()
    from eventlet import sleep, spawn
    from eventlet.patcher import original
    real_threading, real_time = original("threading"), original("time")
else:
    from gevent import monkey
    monkey.patch_all()
    from gevent import sleep, spawn
    import importlib
    real_threading = importlib.import_module("threading")
    real_time = type("T", (), {"sleep": staticmethod(monkey.get_original("time", "sleep"))})
from service.offload import runner_for

run = runner_for(mode)
loop_thread = real_threading.get_native_id()
ticks, running, most, threads = [0], [0], [0], []

def ticker():
    while True:
        ticks[0] += 1
        sleep(0.005)

def hold():
    running[0] += 1
    most[0] = max(most[0], running[0])
    real_time.sleep(0.2)
    running[0] -= 1
    return real_threading.get_native_id()

def call():
    threads.append(run(hold))

def fail():
    raise ValueError("refused")

spawn(ticker)
callers = [spawn(call), spawn(call)]
for caller in callers:
    caller.wait() if mode == "eventlet" else caller.join()
try:
    run(fail)
    raised = None
except ValueError as error:
    raised = str(error)
seen = {"loop": loop_thread, "threads": threads, "ticks": ticks[0], "most": most[0], "raised": raised}
print(json.dumps(seen))
"""


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_a_blocking_call_runs_in_an_os_thread_while_the_loop_keeps_serving(mode):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(seen["threads"]) == 2
    assert seen["loop"] not in seen["threads"]
    # 0.4 s of calls, one after the other: the ticker ran all along (80 ticks on an idle machine,
    # none while a call held the loop's own thread).
    assert seen["ticks"] >= 20
    assert seen["most"] == 1
    assert seen["raised"] == "refused"


# The production entry point as each worker loads it: a risky chat line read through its runner.
ENTRY_POINT = """
import service.wsgi as entry
from service import offload
from service.domain import risk

with entry.app.app_context():
    finding = risk.assess("I want to kill myself tonight", offload.run)
    print(entry.app.extensions["hearth_offload"].__name__, finding is not None)
"""


@pytest.mark.slow
@pytest.mark.parametrize("worker", ["eventlet", "gevent"])
def test_the_production_entry_point_reads_chat_in_its_workers_thread_pool(tmp_path, worker):
    env = {
        **os.environ,
        "HEARTH_WORKER": worker,
        "HEARTH_ENV": "testing",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hearth.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", ENTRY_POINT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == f"in_{worker}_thread True"


def test_in_threading_mode_the_call_is_made_in_the_callers_thread():
    run = runner_for("threading")
    assert run(threading.get_native_id) == threading.get_native_id()
    assert run(divmod, 7, 2) == (3, 1)
