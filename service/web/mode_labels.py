"""How each way of taking part is named to people: on the device check, on tiles, in the console."""

from __future__ import annotations

from dataclasses import dataclass

from service.domain.modes import MODE_NAMES, capabilities


@dataclass(frozen=True)
class ModeLabel:
    """The words for one way of taking part."""

    # What a person picks on the device check, and a sentence saying what it means.
    choice: str
    description: str
    # The chip on the person's tile (every way has one) and the word the facilitator's console uses.
    badge: str
    status: str


LABELS: dict[str, ModeLabel] = {
    "speak": ModeLabel(
        "Speak", "Use your microphone when it's your turn. Your camera is up to you.", "Can speak", "speaking"
    ),
    "camera_off": ModeLabel(
        "Camera off", "Use your microphone when it's your turn; nobody sees you.", "Camera off", "camera off"
    ),
    "listen_only": ModeLabel(
        "Listen only",
        "Be here and listen. A full way of being in the circle: no microphone or camera is ever "
        "asked for, and you can still react and write in the chat when it is open.",
        "Listening",
        "listening",
    ),
}


def modes_for_browser() -> dict[str, dict[str, object]]:
    """Every mode's labels and capabilities, for pages to hand their scripts (a data attribute)."""
    return {
        name: {
            "label": LABELS[name].choice,
            "badge": LABELS[name].badge,
            "status": LABELS[name].status,
            **capabilities(name),
        }
        for name in MODE_NAMES
    }
