"""Production entry point: `gunicorn -c deploy/gunicorn.conf.py service.wsgi:app`.

Monkey patching must happen before anything else is imported. HEARTH_WORKER names the
cooperative library (eventlet, the default, or gevent) and must match gunicorn's worker class,
which deploy/gunicorn.conf.py takes from the same variable.
"""

import gc
import os

WORKER = os.environ.get("HEARTH_WORKER", "eventlet")

if WORKER == "eventlet":
    import eventlet

    eventlet.monkey_patch()
    from psycogreen.eventlet import patch_psycopg
elif WORKER == "gevent":
    from gevent import monkey

    monkey.patch_all()
    from psycogreen.gevent import patch_psycopg
else:
    raise RuntimeError(f"HEARTH_WORKER must be eventlet or gevent, not {WORKER!r}")

# psycopg2 waits cooperatively instead of blocking the whole event loop.
patch_psycopg()
os.environ["HEARTH_ASYNC_MODE"] = WORKER

from service.app import create_app  # noqa: E402
from service.background import start  # noqa: E402
from service.domain.risk import loaded_model  # noqa: E402

# Allocations (less deallocations) between two young collections; Python's default is 700.
GC_YOUNG_THRESHOLD = 20_000

app = create_app()
# Loaded now, so the first chat message does not wait for it and a broken model is logged at start.
loaded_model()
# What is loaded now lives as long as the process: frozen out of every later collection, a full
# collection walks only what connections and requests made since, not the whole app and model.
gc.collect()
gc.freeze()
# Fewer, slightly larger young collections: a chat message allocates thousands of short-lived objects.
gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 20)
# Each gunicorn worker process imports this module and so runs its own background work.
start(app)
