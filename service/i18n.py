"""The languages Hearth speaks and its message catalogues, for code that has no request.

Pages choose their language per request (`service/web/language.py`, through Flask-Babel);
the live room and the domain are handed a language code by their adapter and translate with
`translate`, from the same catalogues under `service/translations/`.
"""

from __future__ import annotations

import functools
from pathlib import Path

from babel.support import NullTranslations, Translations

# The languages whose catalogues are complete; any other asks for the first.
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = LANGUAGES[0]
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"


def supported(tag: str | None) -> str | None:
    """The supported language a BCP 47 tag ("es", "es-MX", "EN") asks for, if any."""
    if not tag:
        return None
    primary = tag.split("-", 1)[0].split("_", 1)[0].lower()
    return primary if primary in LANGUAGES else None


def language_of(tag: str | None) -> str:
    """The language to speak for a tag (a group's `language`): the supported one, else English."""
    return supported(tag) or DEFAULT_LANGUAGE


def N_(message: str) -> str:
    """Mark a message for the catalogue where it is defined; it is translated where it is shown."""
    return message


@functools.cache
def _catalogue(language: str) -> NullTranslations:
    if language == DEFAULT_LANGUAGE:
        # The messages are written in English: its catalogue would only repeat them.
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [language], DOMAIN)


def translate(language: str, message: str) -> str:
    """`message` (a catalogue msgid) in `language`; as it is where the catalogue lacks it."""
    return _catalogue(language_of(language)).gettext(message)
