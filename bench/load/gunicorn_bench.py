"""gunicorn settings for benchmarks: deploy/gunicorn.conf.py unchanged, plus a record of GC pauses.

With BENCH_GC_LOG set, each worker appends every garbage collection that took at least
`GC_LOGGED_MS` to that file (`wall-time generation milliseconds cpu-milliseconds objects-collected`), timed by
`gc.callbacks`.
Production code carries none of this.
"""

from __future__ import annotations

import cProfile
import gc
import os
import runpy
import signal
import time
from pathlib import Path
from typing import Any

_deployed = runpy.run_path(str(Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"))
globals().update({name: value for name, value in _deployed.items() if not name.startswith("__")})

GC_LOGGED_MS = 1.0


def record_gc_pauses(path: str) -> None:
    """Append each collection of at least GC_LOGGED_MS to `path`."""
    log = open(path, "a", buffering=1)  # noqa: SIM115 - open for the worker's whole life
    started = [0.0, 0.0]

    def timed(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[:] = time.perf_counter(), time.thread_time()
            return
        took = (time.perf_counter() - started[0]) * 1000
        if took >= GC_LOGGED_MS:
            # The CPU it took too: a collection far longer than its CPU waited for a core.
            cpu = (time.thread_time() - started[1]) * 1000
            log.write(f"{time.time():.3f} {info['generation']} {took:.2f} {cpu:.2f} {info['collected']}\n")

    gc.callbacks.append(timed)


def post_fork(server: Any, worker: Any) -> None:
    """Time the worker's garbage collections when the benchmark asks for it."""
    path = os.environ.get("BENCH_GC_LOG")
    if path:
        record_gc_pauses(path)


def post_worker_init(worker: Any) -> None:
    """Profile the worker when the benchmark asks for it (after gunicorn set the worker's signals)."""
    if os.environ.get("BENCH_PROFILE"):
        profile_until_asked(os.environ["BENCH_PROFILE"])


def profile_until_asked(path: str) -> None:
    """Profile the worker; SIGUSR2 writes the profile so far to `path`.<pid> (pstats format)."""
    # cProfile's hook is per OS thread, so it sees every greenlet of the worker.
    profiler = cProfile.Profile()
    profiler.enable()
    signal.signal(signal.SIGUSR2, lambda *_: profiler.dump_stats(f"{path}.{os.getpid()}"))
