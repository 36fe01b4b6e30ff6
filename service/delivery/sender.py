"""One HTTP POST to a webhook endpoint, reduced to what the delivery log keeps."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from service.domain.addresses import is_public

EXCERPT_CHARS = 200


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: a status code, or the kind of error that prevented one."""

    duration_ms: int
    status_code: int | None = None
    error: str | None = None
    response_excerpt: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class AddressNotAllowed(OSError):
    """The endpoint's host resolves to a private, loopback or otherwise non-public address."""


def _connect_public(address: tuple[str, int], timeout: float, source_address=None, *args) -> socket.socket:
    """socket.create_connection, but only to public addresses, checked after resolving.

    The connection goes to the very address that was checked, so a name that resolves
    differently a moment later (DNS rebinding) cannot slip through.
    """
    host, port = address
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not infos or not all(is_public(info[4][0]) for info in infos):
        raise AddressNotAllowed(f"{host} is not a public address")
    last_error: OSError | None = None
    for _family, _type, _proto, _name, sockaddr in infos:
        try:
            return socket.create_connection(sockaddr[:2], timeout, source_address)
        except OSError as exc:
            last_error = exc
    raise last_error or OSError("no address to connect to")


def error_kind(exc: BaseException) -> str:
    """The short kind of a network failure, as attempt logs keep it."""
    if isinstance(exc, AddressNotAllowed):
        return "address_not_allowed"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "connection_refused"
    if isinstance(exc, socket.gaierror):
        return "dns_error"
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return "tls_error"
    return "connection_error"


def post(url: str, headers: dict[str, str], body: str, *, timeout: float, public_only: bool) -> Outcome:
    """POST `body` to `url` without following redirects; never raises for network trouble."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    if public_only:
        # http.client opens its socket through this attribute (HTTPS wraps it afterwards).
        connection._create_connection = _connect_public  # type: ignore[attr-defined]
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.perf_counter()
    try:
        connection.request("POST", path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        status = response.status
        excerpt = None
        if not 200 <= status < 300:
            raw = response.read(EXCERPT_CHARS * 4).decode("utf-8", errors="replace")
            excerpt = raw[:EXCERPT_CHARS].strip() or None
        return Outcome(
            duration_ms=_elapsed_ms(started),
            status_code=status,
            error=None if 200 <= status < 300 else "http_status",
            response_excerpt=excerpt,
        )
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(duration_ms=_elapsed_ms(started), error=error_kind(exc))
    finally:
        connection.close()


def _elapsed_ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
