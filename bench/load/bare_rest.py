"""The REST baseline: a bare Flask endpoint answering a fixed JSON body (BENCH_BODY_FILE).

Served by the same gunicorn worker as Hearth (`gunicorn -c bench/load/gunicorn_bench.py
bench.load.bare_rest:app`); the body is Hearth's own answer to the same request, read at start.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

body = Path(os.environ["BENCH_BODY_FILE"]).read_bytes()
app = Flask(__name__)


@app.get("/api/v1/sessions")
def sessions() -> Response:
    """The same JSON Hearth answered."""
    return Response(body, mimetype="application/json")


@app.get("/healthz")
def healthz() -> Response:
    """Up."""
    return Response(b'{"status": "ok"}', mimetype="application/json")
