"""Which network addresses Hearth may send to: public ones only, where the deployment says so."""

from __future__ import annotations

import ipaddress
import socket


def is_public(address: str) -> bool:
    """Whether an IP address is globally routable: not loopback, private, link-local, CGNAT, ..."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global


def host_problem(host: str) -> str | None:
    """Why a host may not be sent to, or None: it must resolve, and only to public addresses."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return "Its host name does not resolve."
    if not infos or not all(is_public(info[4][0]) for info in infos):
        return "It points to a loopback, private, link-local or otherwise non-public address."
    return None
