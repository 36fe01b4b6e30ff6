"""gunicorn settings for Hearth: `gunicorn -c deploy/gunicorn.conf.py service.wsgi:app`.

One worker per process: a Socket.IO connection and its room bookkeeping live in one process, so
Hearth scales by running more such processes behind nginx, sharing PostgreSQL and Redis.
This file imports nothing of Hearth: the worker monkey-patches before the app is imported, and
the master must not have imported it unpatched.
"""

import ipaddress
import logging
import os
import re

# HEARTH_WORKER picks the cooperative server: eventlet (the default) or gevent.
worker_class = os.environ.get("HEARTH_WORKER", "eventlet")
if worker_class not in ("eventlet", "gevent"):
    raise RuntimeError(f"HEARTH_WORKER must be eventlet or gevent, not {worker_class!r}")
workers = 1
bind = [os.environ.get("HEARTH_BIND", "127.0.0.1:8000")]

# Every socket holds one greenlet (its WebSocket, or its pending long-poll), and pages and API
# calls need some on top. The app answers new sockets 503 at HEARTH_MAX_SOCKETS, below this pool,
# so a full process refuses clearly instead of leaving connections unanswered. The default cap is
# service/config.py's DEFAULT_MAX_SOCKETS, the per-process sizing of docs/deploy.md.
HTTP_HEADROOM = 256
DEFAULT_MAX_SOCKETS = 600
worker_connections = int(os.environ.get("HEARTH_MAX_SOCKETS", DEFAULT_MAX_SOCKETS)) + HTTP_HEADROOM

# A stopping process lets requests finish for this long; its sockets reconnect to another
# process, and their seats are kept for HEARTH_RECONNECT_GRACE_SECONDS.
graceful_timeout = int(os.environ.get("HEARTH_GRACEFUL_TIMEOUT", "10"))
timeout = 30
keepalive = 5
# No request-line limit of gunicorn's own: its refusal is an HTML page, while the app answers
# any over-long query with problem+json. nginx in front bounds request lines (8 KiB).
limit_request_line = 0

# Only nginx on this host may say who the client was.
forwarded_allow_ips = os.environ.get("HEARTH_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips

# gunicorn 25's control socket is one path per user: two processes on a host would share it.
control_socket_disable = True

# No access log: the app logs each request itself, without addresses or tokens.
accesslog = None

_IPV4 = re.compile(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")
_IPV6_CANDIDATE = re.compile(r"[0-9A-Fa-f]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")


def _names_nobody(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # This host's own addresses (where gunicorn listens) identify no person.
    return address.is_loopback or address.is_unspecified


def _mask_ipv4(match: re.Match) -> str:
    try:
        address = ipaddress.IPv4Address(match.group(0))
    except ValueError:
        return match.group(0)
    if _names_nobody(address):
        return match.group(0)
    return ".".join([*str(address).split(".")[:2], "x", "x"])


def _mask_ipv6(match: re.Match) -> str:
    text = match.group(0)
    core = text.rstrip(".:")
    try:
        address = ipaddress.IPv6Address(core)
    except ValueError:
        return text  # a time of day, or other text with colons
    if _names_nobody(address):
        return text
    if address.ipv4_mapped is not None:
        masked = _IPV4.sub(_mask_ipv4, str(address.ipv4_mapped))
        return f"::ffff:{masked}{text[len(core) :]}"
    return ":".join(address.exploded.split(":")[:2]) + "::x" + text[len(core) :]


def mask_addresses(text: str) -> str:
    """Keep only the network part of client IP addresses (gunicorn logs "Invalid request from ip=...")."""
    return _IPV4.sub(_mask_ipv4, _IPV6_CANDIDATE.sub(_mask_ipv6, text))


class MaskAddresses(logging.Filter):
    """Rewrites each record so no full client address reaches the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_addresses(record.getMessage())
        record.args = None
        return True


logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_addresses": {"()": MaskAddresses}},
    "formatters": {
        "plain": {"format": "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_addresses"],
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        "alembic": {"level": "WARNING"},
    },
}
