"""ICE candidates (RFC 8839): their type, so a relayed room can refuse any that would reveal an address.

The grammar, as an `a=candidate` line of an SDP or an `RTCIceCandidate`'s `candidate` carries it:

    candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
        [raddr <address>] [rport <port>] *(<extension name> <extension value>)
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

PREFIX = "candidate:"
RELAY = "relay"
# ice-char = ALPHA / DIGIT / "+" / "/"
FOUNDATION = re.compile(r"[A-Za-z0-9+/]{1,32}")
# A token (RFC 4566): what a transport, a candidate type or an extension's name may be.
TOKEN = re.compile(r"[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+")
# A host name (RFC 1123 labels), such as the mDNS name "1f4712db-ea17-4bcf-a596-105139dfd8bf.local".
LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HOSTNAME = re.compile(rf"(?=.{{1,253}}$){LABEL}(?:\.{LABEL})*")
DIGITS = re.compile(r"[0-9]+")
# An attribute's value: anything but spaces and control characters (a line break could smuggle a line).
VALUE = re.compile(r"[^\x00-\x20\x7f]+")


@dataclass(frozen=True)
class Candidate:
    """One ICE candidate's fields up to its type; the related address and extensions are not kept."""

    foundation: str
    component: int
    transport: str
    priority: int
    address: str
    port: int
    type: str


def parse_candidate(text: str) -> Candidate:
    """The candidate of "candidate:…" (an SDP's "a=candidate:…" too); ValueError when malformed."""
    body = text.removeprefix("a=")
    if not body.lower().startswith(PREFIX):
        raise ValueError("a candidate starts with candidate:")
    fields = body[len(PREFIX) :].split(" ")
    if len(fields) < 8 or fields[6].lower() != "typ":
        raise ValueError("a candidate has a foundation, component, transport, priority, address, port, typ")
    foundation, component, transport, priority, address, port, _, kind, *rest = fields
    # What follows the type (raddr, rport, generation, ufrag, tcptype, ...) comes in name and value pairs.
    names, values = rest[::2], rest[1::2]
    if len(rest) % 2 or not all(map(TOKEN.fullmatch, names)) or not all(map(VALUE.fullmatch, values)):
        raise ValueError("a candidate's attributes after its type come in name and value pairs")
    if not FOUNDATION.fullmatch(foundation):
        raise ValueError("a candidate's foundation is 1 to 32 letters, digits, + or /")
    if not TOKEN.fullmatch(transport) or not TOKEN.fullmatch(kind):
        raise ValueError("a candidate's transport and type are tokens")
    return Candidate(
        foundation=foundation,
        component=_number(component, 3, 256, "component"),
        transport=transport.lower(),
        priority=_number(priority, 10, 2**32 - 1, "priority"),
        address=_address(address),
        port=_number(port, 5, 65535, "port"),
        type=kind.lower(),
    )


def candidate_lines(sdp: str) -> list[str]:
    """The SDP's `a=candidate` lines, each as `parse_candidate` reads it."""
    lines = (line.strip() for line in sdp.splitlines())
    return [line for line in lines if line.lower().startswith("a=" + PREFIX)]


def _number(text: str, most_digits: int, largest: int, what: str) -> int:
    if not DIGITS.fullmatch(text) or len(text) > most_digits or int(text) > largest:
        raise ValueError(f"a candidate's {what} is a number up to {largest}")
    return int(text)


def _address(text: str) -> str:
    """An IPv4 or IPv6 address, or a host name (mDNS hides a host's address behind a .local name)."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        if HOSTNAME.fullmatch(text) and not text.replace(".", "").isdigit():
            return text.lower()
    raise ValueError("a candidate's address is an IPv4 or IPv6 address or a host name")
