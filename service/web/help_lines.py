"""Crisis lines and warmlines as the server renders them: links to call, text or open, and words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from service.domain.crisis import FALLBACK_REGION, country_emergency_number

# The countries the directory covers, named for people; any other code is shown as it is.
REGION_NAMES = {
    "US": _l("United States"),
    "CA": _l("Canada"),
    "GB": _l("United Kingdom"),
    "IE": _l("Ireland"),
    "AU": _l("Australia"),
    "NZ": _l("New Zealand"),
}
# The same countries within a sentence ("Lines for the United Kingdom"), where a language
# gives some of them an article.
PLACE_NAMES = {**REGION_NAMES, "US": _l("the United States"), "GB": _l("the United Kingdom")}
# A line's kind in a word or two, beside its name; the panel says once what each means.
KIND_TEXT = {"crisis": _l("Crisis line"), "warmline": _l("Warmline")}


@dataclass(frozen=True)
class Contact:
    """One way to reach a line: `href` is tel:, sms: or an https page (None when there is none).

    `text` is what a button says: "Call 116 123", "Text 85258", never a whole address.
    """

    href: str | None
    text: str
    note: str | None
    channel: str

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
    for anywhere, so a page never claims local lines it does not have. `first` are the lines
    shown at once (the person's own region's and country's, or every line when there are none
    of those), `more` the lines for anywhere, behind a disclosure; `emergency` is the country's
    emergency number, when the region names a country the directory knows.
    """

    region: str | None
    place: str | None
    local: bool
    first: list[Line]
    more: list[Line]
    emergency: str | None


def region_label(region: str) -> str:
    """A country's name for a list ("United Kingdom"); a code the page does not name, as it is."""
    return str(REGION_NAMES.get(region, region))


def place_name(region: str | None) -> str | None:
    """Where lines are for, within a sentence: "the United Kingdom", "the United States (US-CA)".

    None for no region or INTL: those lines are the ones anyone can reach.
    """
    if not region or region == FALLBACK_REGION:
        return None
    country = region.split("-", 1)[0]
    if country not in PLACE_NAMES:
        return region
    name = str(PLACE_NAMES[country])
    return name if region == country else f"{name} ({region})"


def help_lines(region: str | None, resources: list[dict[str, Any]]) -> HelpLines:
    """The panel for a person in `region` shown `resources` (already in the domain's order)."""
    local = [_line(r) for r in resources if r["region"] != FALLBACK_REGION]
    anywhere = [_line(r) for r in resources if r["region"] == FALLBACK_REGION]
    return HelpLines(
        region=region,
        place=place_name(region),
        local=bool(local),
        first=local or anywhere,
        more=anywhere if local else [],
        emergency=country_emergency_number(region),
    )


def _line(resource: dict[str, Any]) -> Line:
    return Line(
        name=resource["name"],
        kind=resource["kind"],
        kind_text=str(KIND_TEXT.get(resource["kind"], "")),
        contacts=[_contact(c, resource.get("url")) for c in resource["contacts"]],
        hours=resource.get("hours"),
    )


def _contact(contact: dict[str, Any], url: str | None) -> Contact:
    channel, value, note = contact["channel"], contact["value"], contact.get("note")
    digits = re.sub(r"[^\d+]", "", value)
    if channel == "call":
        return Contact(f"tel:{digits}", gettext("Call %(number)s", number=value), note, channel)
    if channel == "text":
        return Contact(f"sms:{digits}", gettext("Text %(number)s", number=value), note, channel)
    href = value if value.startswith("https://") else url
    # A page is named by its site ("samaritans.org"): a whole address would push a phone's
    # screen sideways and means little read aloud.
    site = urlsplit(href).hostname.removeprefix("www.") if href else value
    text = gettext("Chat online") if channel == "chat" else gettext("Visit %(site)s", site=site)
    return Contact(href, text, note, channel)
