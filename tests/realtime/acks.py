"""Sending room events from Socket.IO test clients and reading their acknowledgements."""

from __future__ import annotations


def emit(client, event: str, payload=None) -> dict:
    """Send an event and return its acknowledgement."""
    if payload is None:
        return client.emit(event, callback=True)
    return client.emit(event, payload, callback=True)


def error_code(ack: dict) -> str:
    """The code of a refusal (and that it was one)."""
    assert ack["ok"] is False, ack
    return ack["error"]["code"]
