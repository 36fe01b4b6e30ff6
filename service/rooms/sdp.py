"""Which media an SDP offer or answer would send, so the server can refuse what a person may not publish."""

from __future__ import annotations

MEDIA_KINDS = frozenset({"audio", "video"})
DIRECTIONS = frozenset({"sendrecv", "sendonly", "recvonly", "inactive"})
SENDING = frozenset({"sendrecv", "sendonly"})


def sent_media(sdp: str) -> set[str]:
    """The media kinds ("audio", "video") that this session description would send."""
    lines = [line.strip() for line in sdp.splitlines() if line.strip()]
    if not lines or lines[0] != "v=0":
        raise ValueError("not a session description: it does not start with v=0")

    session_directions: set[str] = set()
    sections: list[tuple[str, list[str]]] = []
    for line in lines[1:]:
        if line.startswith("m="):
            sections.append((line, []))
        elif sections:
            sections[-1][1].append(line)
        elif line[2:] in DIRECTIONS and line.startswith("a="):
            session_directions.add(line[2:])

    sent: set[str] = set()
    for m_line, attributes in sections:
        kind, port = _kind_and_port(m_line)
        if kind not in MEDIA_KINDS:
            continue
        # Port 0 rejects a section, except a bundle-only one, which sends over the bundled transport.
        if port == 0 and "a=bundle-only" not in attributes:
            continue
        directions = {a[2:] for a in attributes if a.startswith("a=") and a[2:] in DIRECTIONS}
        directions = directions or session_directions or {"sendrecv"}
        # Conflicting direction lines are malformed; count them as sending, since this is a refusal check.
        if directions & SENDING:
            sent.add(kind)
    return sent


def _kind_and_port(m_line: str) -> tuple[str, int]:
    """The media kind and port of an m= line ("m=<media> <port>[/<count>] <proto> <fmt> ...")."""
    parts = m_line[2:].split()
    if len(parts) < 2:
        raise ValueError(f"malformed media line: {m_line!r}")
    try:
        port = int(parts[1].split("/", 1)[0])
    except ValueError as exc:
        raise ValueError(f"malformed media line: {m_line!r}") from exc
    return parts[0].lower(), port
