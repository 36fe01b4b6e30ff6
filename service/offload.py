"""A blocking C call in a real OS thread, so the event loop serves every other room meanwhile.

Under eventlet or gevent every connection of a process shares one OS thread, and a C call
that holds it (onnxruntime reading a chat message for risk language) stalls them all. `run`
hands such a call to an OS thread of the async library's own pool and waits for it
cooperatively; in threading mode each event already has its own thread, so it calls directly.
This module is the one place that knows the async mode: callers stay agnostic of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, has_app_context

T = TypeVar("T")
Runner = Callable[..., T]
_EXTENSION = "hearth_offload"


def direct(fn: Callable[..., T], *args: object) -> T:
    """Call in the caller's own thread (threading mode, or no app at all)."""
    return fn(*args)


def runner_for(async_mode: str) -> Runner:
    """How this async mode runs a blocking call: in one OS thread at a time, waited on cooperatively.

    One at a time, so the event loop keeps a core of its own while the model reads (a process
    serves at most as many rooms as one core can).
    """
    if async_mode == "eventlet":
        from eventlet import semaphore, tpool

        one_at_a_time = semaphore.Semaphore(1)

        def in_eventlet_thread(fn: Callable[..., T], *args: object) -> T:
            with one_at_a_time:
                return tpool.execute(fn, *args)

        return in_eventlet_thread
    if async_mode == "gevent":
        from gevent.threadpool import ThreadPool

        pool = ThreadPool(1)

        def in_gevent_thread(fn: Callable[..., T], *args: object) -> T:
            return pool.apply(fn, args)

        return in_gevent_thread
    return direct


def install(app: Flask, async_mode: str) -> None:
    """Give the app the runner of its Socket.IO server's async mode."""
    app.extensions[_EXTENSION] = runner_for(async_mode)


def run(fn: Callable[..., T], *args: object) -> T:
    """`fn(*args)` in an OS thread of the app's async mode (directly outside an app)."""
    runner = current_app.extensions.get(_EXTENSION, direct) if has_app_context() else direct
    return runner(fn, *args)
