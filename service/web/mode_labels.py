"""How each way of taking part is named to people: on the device check, on tiles, in the console.

The words are lazy: each is translated into the page's language where a page uses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from service.domain.modes import MODE_NAMES, capabilities


@dataclass(frozen=True)
class ModeLabel:
    """The words for one way of taking part."""

    # What a person picks on the device check, and a sentence saying what it means.
    choice: LazyString
    description: LazyString
    # The chip on the person's tile (every way has one) and the word the facilitator's console uses.
    badge: LazyString
    status: LazyString


LABELS: dict[str, ModeLabel] = {
    "speak": ModeLabel(
        _l("Speak"),
        _l("Use your microphone when it's your turn. Your camera is up to you."),
        _l("Can speak"),
        _l("speaking"),
    ),
    "camera_off": ModeLabel(
        _l("Camera off"),
        _l("Use your microphone when it's your turn; nobody sees you."),
        _l("Camera off"),
        _l("camera off"),
    ),
    "listen_only": ModeLabel(
        _l("Listen only"),
        _l(
            "Be here and listen. A full way of being in the circle: no microphone or camera is ever "
            "asked for, and you can still react and write in the chat when it is open."
        ),
        _l("Listening"),
        _l("listening"),
    ),
}


def modes_for_browser() -> dict[str, dict[str, object]]:
    """Every mode's labels (in the page's language) and capabilities, for a page's scripts."""
    return {
        name: {
            "label": str(LABELS[name].choice),
            "badge": str(LABELS[name].badge),
            "status": str(LABELS[name].status),
            **capabilities(name),
        }
        for name in MODE_NAMES
    }
