"""Production entry point for gunicorn's eventlet worker: `gunicorn -k eventlet service.wsgi:app`.

Monkey patching must happen before anything else is imported.
"""

import eventlet

eventlet.monkey_patch()

import os  # noqa: E402

from psycogreen.eventlet import patch_psycopg  # noqa: E402

# psycopg2 waits cooperatively instead of blocking the whole event loop.
patch_psycopg()
os.environ.setdefault("HEARTH_ASYNC_MODE", "eventlet")

from service.app import create_app  # noqa: E402
from service.background import start  # noqa: E402

app = create_app()
# Each gunicorn worker process imports this module and so runs its own background work.
start(app)
