"""The ICE candidate grammar (RFC 8839): a candidate's type, and what is not a candidate at all."""

from __future__ import annotations

import pytest

from service.rooms.candidates import Candidate, candidate_lines, parse_candidate

# As Chrome's RTCIceCandidate.toJSON() gives them, with the attributes after the type.
HOST = (
    "candidate:2657864812 1 udp 2122260223 192.168.1.23 54121 typ host generation 0 ufrag EsAw network-id 1"
)
SRFLX = (
    "candidate:842163049 1 udp 1686052607 198.51.100.7 46154 typ srflx raddr 192.168.1.23 rport 54121 "
    "generation 0 ufrag EsAw network-id 1 network-cost 10"
)
PRFLX = "candidate:3 1 udp 1845501695 198.51.100.7 46155 typ prflx raddr 192.168.1.23 rport 54121"
RELAY = "candidate:1410478436 1 udp 41885439 203.0.113.9 50000 typ relay raddr 0.0.0.0 rport 0 generation 0"
MDNS = "candidate:1 1 udp 2122260223 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 54121 typ host generation 0"
IPV6 = "candidate:4 1 UDP 2122187007 2001:DB8::7 9 typ host tcptype active"
IPV6_RELAY = "candidate:5 1 udp 25108223 2001:db8:1::9 3478 typ relay raddr :: rport 0"


@pytest.mark.parametrize(
    ("text", "kind", "address"),
    [
        (HOST, "host", "192.168.1.23"),
        (SRFLX, "srflx", "198.51.100.7"),
        (PRFLX, "prflx", "198.51.100.7"),
        (RELAY, "relay", "203.0.113.9"),
        (MDNS, "host", "1f4712db-ea17-4bcf-a596-105139dfd8bf.local"),
        (IPV6, "host", "2001:db8::7"),
        (IPV6_RELAY, "relay", "2001:db8:1::9"),
    ],
)
def test_each_kind_of_candidate_reads_as_its_type(text, kind, address):
    candidate = parse_candidate(text)
    assert (candidate.type, candidate.address) == (kind, address)


def test_every_field_up_to_the_type_is_read():
    assert parse_candidate(SRFLX) == Candidate(
        foundation="842163049",
        component=1,
        transport="udp",
        priority=1686052607,
        address="198.51.100.7",
        port=46154,
        type="srflx",
    )
    # Transport and type are case-insensitive, as Firefox writes them in capitals.
    assert parse_candidate("candidate:0 1 UDP 2122252543 10.0.0.2 5000 TYP RELAY").type == "relay"


def test_an_sdp_line_reads_as_the_same_candidate():
    assert parse_candidate("a=" + RELAY) == parse_candidate(RELAY)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1 1 udp 1 192.0.2.1 5000 typ host",  # no "candidate:"
        "candidate:1 1 udp 1 192.0.2.1 5000 host",  # no "typ"
        "candidate:1 1 udp 1 192.0.2.1 5000 type relay",
        "candidate:1 1 udp 1 192.0.2.1 typ relay",  # no port
        "candidate:1 1 udp 1 192.0.2.1 70000 typ relay",  # the port is out of range
        "candidate:1 1 udp 1 192.0.2.1 -1 typ relay",
        "candidate:1 1 udp 99999999999 192.0.2.1 5000 typ relay",  # the priority is over 2**32 - 1
        "candidate:1 x udp 1 192.0.2.1 5000 typ relay",  # the component is not a number
        "candidate:1 1 udp 1 999.0.2.1 5000 typ relay",  # not an IPv4 address
        "candidate:1 1 udp 1 2001:db8::zz 5000 typ relay",  # nor IPv6
        "candidate:1 1 udp 1 bad_host!.local 5000 typ relay",  # nor a host name
        "candidate:1 1 udp 1 192.0.2.1 5000 typ relay raddr",  # an attribute without its value
        "candidate:1 1 udp 1 192.0.2.1 5000 typ relay generation 0 ufrag",
        "candidate:f@o 1 udp 1 192.0.2.1 5000 typ relay",  # not an ICE character
        "candidate:" + "a" * 33 + " 1 udp 1 192.0.2.1 5000 typ relay",  # a foundation of over 32
        "candidate:1  1 udp 1 192.0.2.1 5000 typ relay",  # two spaces: an empty field
        # A line break in a value, smuggling a second line in.
        "candidate:1 1 udp 1 192.0.2.1 5000 typ relay generation 0\r\na=candidate:2 1 udp 1 10.0.0.2 9",
    ],
)
def test_a_malformed_candidate_is_refused(text):
    with pytest.raises(ValueError, match="candidate"):
        parse_candidate(text)


def test_the_candidate_lines_of_a_description_are_found_wherever_they_are():
    session = ["v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0"]
    audio = ["m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0", "a=" + RELAY, "a=" + HOST]
    video = ["a=end-of-candidates", "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=mid:1", "a=" + MDNS, ""]
    sdp = "\r\n".join([*session, *audio, *video])
    assert [parse_candidate(line).type for line in candidate_lines(sdp)] == ["relay", "host", "host"]
    assert candidate_lines("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n") == []
