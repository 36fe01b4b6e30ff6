"""Crisis lines and warmlines as the server renders them: links to call, text or open, and words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from service.domain.crisis import FALLBACK_REGION

# The countries the directory covers, named for people; any other code is shown as it is.
REGION_NAMES = {
    "US": "United States",
    "CA": "Canada",
    "GB": "United Kingdom",
    "IE": "Ireland",
    "AU": "Australia",
    "NZ": "New Zealand",
}
_WITH_THE = {"US", "GB"}
KIND_TEXT = {
    "crisis": "Crisis line: for when you are in danger or struggling to stay safe.",
    "warmline": "Warmline: someone to talk to when things feel heavy, not only in a crisis.",
}


@dataclass(frozen=True)
class Contact:
    """One way to reach a line: `href` is tel:, sms: or an https page (None when there is none)."""

    href: str | None
    text: str
    note: str | None

    @property
    def external(self) -> bool:
        return bool(self.href and self.href.startswith("https:"))


@dataclass(frozen=True)
class Line:
    name: str
    kind: str
    kind_text: str
    contacts: list[Contact]
    hours: str | None


@dataclass(frozen=True)
class HelpLines:
    """What a help panel shows: where the lines are for, in words, and the lines in order.

    `local` says whether any of them is for the person's own region or country rather than
    for anywhere, so a page never claims local lines it does not have.
    """

    region: str | None
    place: str | None
    local: bool
    lines: list[Line]


def region_label(region: str) -> str:
    """A country's name for a list ("United Kingdom"); a code the page does not name, as it is."""
    return REGION_NAMES.get(region, region)


def place_name(region: str | None) -> str | None:
    """Where lines are for, within a sentence: "the United Kingdom", "the United States (US-CA)".

    None for no region or INTL: those lines are the ones anyone can reach.
    """
    if not region or region == FALLBACK_REGION:
        return None
    country = region.split("-", 1)[0]
    if country not in REGION_NAMES:
        return region
    name = ("the " if country in _WITH_THE else "") + REGION_NAMES[country]
    return name if region == country else f"{name} ({region})"


def help_lines(region: str | None, resources: list[dict[str, Any]]) -> HelpLines:
    """The panel for a person in `region` shown `resources` (already in the domain's order)."""
    return HelpLines(
        region=region,
        place=place_name(region),
        local=any(r["region"] != FALLBACK_REGION for r in resources),
        lines=[_line(r) for r in resources],
    )


def _line(resource: dict[str, Any]) -> Line:
    return Line(
        name=resource["name"],
        kind=resource["kind"],
        kind_text=KIND_TEXT.get(resource["kind"], ""),
        contacts=[_contact(c, resource.get("url")) for c in resource["contacts"]],
        hours=resource.get("hours"),
    )


def _contact(contact: dict[str, Any], url: str | None) -> Contact:
    value, note = contact["value"], contact.get("note")
    digits = re.sub(r"[^\d+]", "", value)
    if contact["channel"] == "call":
        return Contact(f"tel:{digits}", f"Call {value}", note)
    if contact["channel"] == "text":
        return Contact(f"sms:{digits}", f"Text {value}", note)
    href = value if value.startswith("https://") else url
    return Contact(href, f"Chat online: {value}" if contact["channel"] == "chat" else value, note)
