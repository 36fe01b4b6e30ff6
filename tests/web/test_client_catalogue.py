"""The browser client's catalogues: every t("…") and tn("…", "…") of web/static/js has its
translation, no translation is left that no code uses, and each keeps the key's placeholders."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest

from tests.live_server import ROOT

SCRIPTS = ROOT / "web" / "static" / "js"
CATALOGUES = ROOT / "web" / "static" / "i18n"
# The module that defines t and tn; every other module only calls them.
DEFINER = SCRIPTS / "shared" / "i18n.js"
# The languages besides English (the keys' own language) that the server may choose.
LANGUAGES = ("es",)
PLURAL_CATEGORIES = {"zero", "one", "two", "few", "many", "other"}

CALL = re.compile(r"\b(tn?)\(")
STRING = r'"((?:[^"\\\n]|\\.)*)"'
SINGULAR = re.compile(rf"t\(\s*{STRING}\s*[,)]")
PLURAL = re.compile(rf"tn\(\s*{STRING}\s*,\s*{STRING}\s*,")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# A string literal that reads as words for people: a capitalized word followed by another, or
# words ending a sentence. Class names, selectors, event and key names are none of these.
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"|`([^`]*)`')
PROSE = re.compile(r"^[A-Z][a-z]+ \w|\w \w+[.!?:…]$")


@dataclass(frozen=True)
class Key:
    """A catalogue key: the English text, and for a plural its singular form too."""

    text: str
    one: str | None = None


def literal(body: str) -> str:
    """A double-quoted JavaScript string's value (its escapes are JSON's)."""
    return json.loads(f'"{body}"')


def keys_in(source: str, where: str) -> list[Key]:
    """The keys of every t / tn call in `source`; a key that is not a string literal fails."""
    found = []
    for call in CALL.finditer(source):
        start = call.start()
        if call.group(1) == "t":
            match = SINGULAR.match(source, start)
            if match:
                found.append(Key(literal(match.group(1))))
                continue
        else:
            match = PLURAL.match(source, start)
            if match:
                found.append(Key(literal(match.group(2)), one=literal(match.group(1))))
                continue
        line = source.count("\n", 0, start) + 1
        raise AssertionError(f"{where}:{line}: the text of {call.group(1)}() must be a string literal")
    return found


def prose_outside_t(source: str, where: str) -> list[str]:
    """Every string literal of `source` that reads as words for people but is not a t/tn key."""
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        code = re.sub(r"(^|\s)//.*$", "", line)
        if code.lstrip().startswith(("*", "/*")):
            continue
        for match in LITERAL.finditer(code):
            text = (
                match.group(1) if match.group(1) is not None else re.sub(r"\$\{[^}]*\}", "", match.group(2))
            )
            is_key = re.search(r"\btn?\(\s*$|\btn\(\s*\"[^\"]*\",\s*$", code[: match.start()])
            if PROSE.search(text) and not is_key:
                found.append(f"{where}:{number}: {text}")
    return found


def client_keys() -> dict[str, Key]:
    keys: dict[str, Key] = {}
    for path in sorted(SCRIPTS.rglob("*.js")):
        if path == DEFINER:
            continue
        for key in keys_in(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))):
            assert keys.get(key.text, key) == key, f"{key.text!r} is used both as a plural and not"
            keys[key.text] = key
    return keys


def catalogue(language: str) -> dict[str, object]:
    return json.loads((CATALOGUES / f"{language}.json").read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_keys_are_found_in_calls_over_several_lines():
    source = 'say(t("Hello {name}.", { name }));\nconst n = tn(\n  "{count} person",\n  "{count} people", n);'
    assert keys_in(source, "x.js") == [Key("Hello {name}."), Key("{count} people", one="{count} person")]
    assert keys_in('t("Say \\"Pass\\"")', "x.js") == [Key('Say "Pass"')]


@pytest.mark.parametrize("call", ["t(text)", "t(`Hi ${name}`)", 'tn(count, "a", "b")', "t('single')"])
def test_a_key_that_is_not_a_string_literal_fails(call):
    with pytest.raises(AssertionError, match="must be a string literal"):
        keys_in(f"say({call});", "x.js")


def test_other_names_ending_in_t_are_not_calls():
    assert keys_in('list.split(","); new Set(); select("x"); at(0);', "x.js") == []


def test_prose_is_found_outside_t_and_not_in_it():
    source = (
        'say(`You are ${n} in line.`);\nel("p", {}, "Nobody is here");\n'
        'say(t("A key."));\nel("p", { class: "item person" });'
    )
    assert prose_outside_t(source, "x.js") == ["x.js:1: You are  in line.", "x.js:2: Nobody is here"]


def test_no_words_for_people_are_written_outside_t():
    found = []
    for path in sorted(SCRIPTS.rglob("*.js")):
        found += prose_outside_t(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == [], "words for people must go through t() or tn() (shared/i18n.js)"


def test_the_client_has_keys():
    # A broken extraction would find nothing and pass every test below.
    assert len(client_keys()) > 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_is_translated_and_every_translation_is_used(language):
    keys = set(client_keys())
    translated = set(catalogue(language))
    assert sorted(keys - translated) == [], f"missing from {language}.json"
    assert sorted(translated - keys) == [], f"in {language}.json but used by no code"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_key(language):
    entries = catalogue(language)
    for text, key in client_keys().items():
        translation = entries.get(text)
        if key.one is None:
            assert isinstance(translation, str) and translation.strip(), text
            assert placeholders(translation) == placeholders(text), (text, translation)
            continue
        assert isinstance(translation, dict), f"{text!r} is a plural: its forms by category"
        assert {"one", "other"} <= set(translation) <= PLURAL_CATEGORIES, (text, translation)
        assert placeholders(key.one) - {"count"} == placeholders(text) - {"count"}, text
        for form in translation.values():
            # A singular form may say the number in words ("una persona"); nothing else may go.
            assert placeholders(form) - {"count"} == placeholders(text) - {"count"}, (text, form)
        assert "{count}" in translation["other"], (text, translation)


def server_refusal_codes() -> set[str]:
    """Every `code` a refusal from the server can carry to the client."""
    service = ROOT / "service"
    codes: set[str] = set()
    for name in ("domain/errors.py", "live/errors.py", "rooms/errors.py"):
        codes |= set(re.findall(r'^\s+code = "(\w+)"', (service / name).read_text(), flags=re.M))
    for path in service.rglob("*.py"):
        codes |= set(re.findall(r'\b(?:Refused|error)\(\s*"(\w+)"', path.read_text()))
    return codes


def test_every_refusal_the_server_sends_has_words_in_every_language():
    source = (SCRIPTS / "shared" / "refusals.js").read_text(encoding="utf-8")
    table = source[source.index("const BY_CODE = {") : source.index("\n};")]
    words = set(re.findall(r"^\s+(\w+): t\(", table, flags=re.M))
    codes = server_refusal_codes()
    assert {"room_locked", "too_many_connections", "not_connected"} <= codes, "no codes were read"
    assert sorted(codes - words) == [], "refusal codes the client has no words for"
