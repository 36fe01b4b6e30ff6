"""The message catalogues: complete, compiled, up to date with the code, and no page text outside them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from service.i18n import DEFAULT_LANGUAGE, LANGUAGES, TRANSLATIONS_DIR

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "web" / "templates"
# The keywords of the Makefile's `messages` target, besides Babel's own (gettext, ngettext…).
KEYWORDS = {"N_": None, "_l": None}
TRANSLATED = [language for language in LANGUAGES if language != DEFAULT_LANGUAGE]


def _key(message) -> tuple:
    return (message.context, message.id if isinstance(message.id, str) else tuple(message.id))


def _template_catalogue():
    with (TRANSLATIONS_DIR / "messages.pot").open("rb") as pot:
        return read_po(pot)


def _catalogue(language: str):
    with (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


def test_the_template_catalogue_holds_every_message_the_code_marks():
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)

    found = {
        (context, message if isinstance(message, str) else tuple(message))
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords={**DEFAULT_KEYWORDS, **KEYWORDS}
        )
    }
    kept = {_key(message) for message in _template_catalogue() if message.id}
    assert found - kept == set(), "run `make messages`: these are not in messages.pot"
    assert kept - found == set(), "run `make messages`: messages.pot keeps messages no code uses"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalogue = _catalogue(language)
    wanted = {_key(message) for message in _template_catalogue() if message.id}
    have = {_key(message): message for message in catalogue if message.id}
    assert wanted - set(have) == set(), f"missing from {language}: run `make messages`, then translate"
    assert not catalogue.obsolete, f"{language} keeps obsolete messages"
    for key, message in have.items():
        strings = _strings(message)
        assert all(strings), f"untranslated in {language}: {key}"
        assert not message.fuzzy, f"fuzzy in {language}: {key}"
        assert key in wanted, f"{language} translates a message no code uses: {key}"
        for english, translated in zip(_ids(message), strings, strict=False):
            assert _placeholders(english) == _placeholders(translated), f"placeholders differ: {key}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_the_po_file(language):
    folder = TRANSLATIONS_DIR / language / "LC_MESSAGES"
    with (folder / "messages.mo").open("rb") as mo:
        compiled = {_key(message): _strings(message) for message in read_mo(mo) if message.id}
    written = {_key(message): _strings(message) for message in _catalogue(language) if message.id}
    assert compiled == written, "run `make messages` to compile the .po file again"


def _strings(message) -> tuple[str, ...]:
    return (message.string,) if isinstance(message.string, str) else tuple(message.string)


def _ids(message) -> tuple[str, ...]:
    if isinstance(message.id, str):
        return (message.id,)
    # A plural's first form is the singular; every other form follows the English plural.
    singular, plural = message.id
    return (singular,) + (plural,) * (len(message.string) - 1)


def _placeholders(text: str) -> set[str]:
    # %(num)d may be left out of a singular ("one minute"), as gettext allows; others may not.
    return set(re.findall(r"%\((\w+)\)[sd]", text)) - {"num"}


# What a template may say outside the catalogue: the product's name and key names.
NOT_WORDS = {"Hearth", "Alt"}
# Attributes whose values people read (or hear).
READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}


class _Words(HTMLParser):
    """The words of a template's HTML that no Jinja expression or tag produces."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def handle_data(self, data: str) -> None:
        self.words += re.findall(r"[A-Za-z]{2,}", data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.words += re.findall(r"[A-Za-z]{2,}", value)


def _outside_the_catalogue(source: str) -> list[str]:
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    source = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", "", source, flags=re.S)
    source = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", source, flags=re.S)
    parser = _Words()
    parser.feed(source)
    return [word for word in parser.words if word not in NOT_WORDS]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: path.name)
def test_no_template_says_anything_outside_the_catalogue(template):
    assert _outside_the_catalogue(template.read_text(encoding="utf-8")) == []


def test_a_word_left_outside_the_catalogue_is_found():
    source = '<p>{{ _("Kept") }} Left</p><p title="Also left">{% trans %}Kept too{% endtrans %}</p>'
    assert _outside_the_catalogue(source) == ["Left", "Also", "left"]
