"""The ways of taking part in a circle and what each may do: the one table every rule reads.

Adding a way of taking part means a row here, its labels in `service.web.mode_labels`, and
the protocol doc; the room, the media checks and the browser read capabilities, not names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mode:
    """What one way of taking part allows."""

    name: str
    # 0 is the quietest; a person may always move to a quieter way, louder only as the group allows.
    loudness: int
    # The media its sender may ever publish; the floor and mutes narrow this further in the room.
    sends: frozenset[str]
    may_raise_hand: bool
    may_hold_floor: bool
    # Whether the browser asks for a microphone (and offers the camera when it sends video).
    needs_devices: bool


# Loudest first, the order a group lists them in and people are offered them.
TABLE: tuple[Mode, ...] = (
    Mode("speak", 2, frozenset({"audio", "video"}), True, True, True),
    Mode("camera_off", 1, frozenset({"audio"}), True, True, True),
    Mode("listen_only", 0, frozenset(), False, False, False),
)
MODES: dict[str, Mode] = {mode.name: mode for mode in TABLE}
MODE_NAMES: tuple[str, ...] = tuple(MODES)
# Facilitators hold the room in its loudest way: they can always be heard and seen.
FACILITATOR_MODE = TABLE[0].name


def mode(name: str) -> Mode:
    """The mode called `name` (KeyError for an unknown name: callers validate first)."""
    return MODES[name]


def is_louder(name: str, than: str) -> bool:
    """Whether moving from `than` to `name` makes the person louder."""
    return MODES[name].loudness > MODES[than].loudness


def reachable_from(current: str, allowed: tuple[str, ...] | list[str]) -> list[str]:
    """The modes a person in `current` may move to now: any quieter one, or one the group allows."""
    return [
        name for name in MODE_NAMES if name != current and (name in allowed or not is_louder(name, current))
    ]


def capabilities(name: str) -> dict[str, object]:
    """A mode's capabilities as the room state carries them to browsers."""
    found = MODES[name]
    return {
        "sends": sorted(found.sends),
        "may_raise_hand": found.may_raise_hand,
        "may_hold_floor": found.may_hold_floor,
        "needs_devices": found.needs_devices,
    }
