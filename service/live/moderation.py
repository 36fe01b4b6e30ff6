"""PLACEHOLDER (owned by S3, replaced at merge): private channels between a facilitator and a person."""

from __future__ import annotations

from service.rooms.store import RoomStore


def open_private_channel(
    store: RoomStore, session_id: str, facilitator_seat_id: str, participant_seat_id: str
) -> None:
    """Let the participant write privately to this facilitator (placeholder: keeps nothing)."""
