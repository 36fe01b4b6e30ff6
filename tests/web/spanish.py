"""Reading a page as a person would, to find English the Spanish catalogue should have replaced."""

from __future__ import annotations

import functools
import re
from html import unescape

from babel.messages.pofile import read_po

from service.domain.crisis import load_directory
from service.i18n import TRANSLATIONS_DIR


def visible_text(html: str) -> str:
    """A page's words as read or heard: its text, and the attributes that name things."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    named = " ".join(re.findall(r'(?:aria-label|title|alt|placeholder)="([^"]*)"', html))
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(f"{text} {named}"))


@functools.cache
def _english_phrases() -> tuple[str, ...]:
    """The catalogue's English phrases of two words or more that Spanish says otherwise."""
    with (TRANSLATIONS_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    phrases = []
    for message in catalogue:
        ids = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else tuple(message.string)
        for english in ids:
            # Placeholders and markup are filled in or dropped on the page: keep the plain parts.
            for part in re.split(r"%\(\w+\)[sd]|<[^>]+>", english):
                part = unescape(part).strip(" .,:;()")
                if " " in part and part not in strings:
                    phrases.append(part)
    return tuple(phrases)


@functools.cache
def _services_words() -> tuple[str, ...]:
    """What the crisis lines' services write of themselves (names, hours, notes), kept as written."""
    words = []
    for resource in load_directory():
        words += [resource["name"], resource.get("hours") or ""]
        words += [contact.get("note") or "" for contact in resource["contacts"]]
    return tuple(sorted(filter(None, words), key=len, reverse=True))


def english_left(html: str) -> list[str]:
    """Every English phrase of the catalogue that a page still shows, beside the services' own words."""
    text = visible_text(html)
    for words in _services_words():
        text = text.replace(words, " ")
    return [phrase for phrase in _english_phrases() if phrase in text]
