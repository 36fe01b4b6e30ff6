"""Relaying a circle's media through TURN, so that nobody in it learns another's network address."""

from __future__ import annotations

from typing import Any

from service.domain.errors import Invalid
from service.models import Group, Organization

RELAY_UNAVAILABLE = (
    "This deployment has no TURN server (HEARTH_TURN_URLS and HEARTH_TURN_SECRET), "
    "so media cannot be relayed."
)


def check_relay_choice(changes: dict[str, Any], relay_possible: bool) -> None:
    """Refuse to turn relaying on where no TURN server could carry it (off and unset always pass).

    Callers that do not say whether TURN exists (`relay_possible` defaults to False) may not turn it on.
    """
    if changes.get("relay_media") is True and not relay_possible:
        raise Invalid("Media cannot be relayed here.", fields={"relay_media": [RELAY_UNAVAILABLE]})


def relays_media(group: Group, organization: Organization, deployment_default: bool) -> bool:
    """Whether media goes only through TURN: the group's choice, else its organization's, else the default."""
    for choice in (group.relay_media, organization.relay_media):
        if choice is not None:
            return choice
    return deployment_default
