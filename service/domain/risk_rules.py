"""The floor of the risk-language detector: phrases that must always alert, as rules.

A small rule engine over the vocabulary in `service/data/risk_language.json` (whose `about`
explains the pattern syntax): normalise, tokenise per sentence, rewrite slang and misspellings,
mask idioms, match rules. `service.domain.risk.assess` alerts on any rule's match whatever the
model says, so only unambiguous phrases belong here. It is pure Python, keeps nothing and logs
nothing: the text is the author's.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import marshmallow as ma

from service.schemas.risk import CATEGORIES, RiskLanguageSchema

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "risk_language.json"
FUZZY_MIN_LENGTH = 5
# How many words before a negatable rule's match a negation still reaches ("I would never hurt him").
NEGATION_REACH = 3
# How many words before a match "used to" still makes it plainly past ("I used to cut myself").
PAST_REACH = 4
_MASKED = "\x00"
_NUMBER = "#"
_LARGE_NUMBER = "##"
_LARGE = 10
# A comma is kept as a word: '$' (the end of a sentence) also matches before it.
_COMMA = ","
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc\u0060\u00b4]")
_RUNS = re.compile(r"[a-z0-9@$!]+")
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n+")
_WORD = re.compile(r"[a-z0-9]+|,")
_TRIPLE = re.compile(r"(.)\1\1")
_REPEATS = re.compile(r"(.)\1+")


class RiskDataError(ValueError):
    """The vocabulary file is not valid; the message says what is wrong."""


@dataclass(frozen=True)
class _Element:
    """One step of a pattern: word sequences (keyed by first word), the end, or a number."""

    sequences: dict[str, tuple[tuple[str, ...], ...]]
    gap: int
    optional: bool
    end: bool
    number: bool
    large_number: bool

    def ends(self, tokens: list[str], at: int) -> Iterator[int]:
        """Where this element, starting at `at`, can end."""
        if self.end and (at == len(tokens) or tokens[at] == _COMMA):
            yield at
        if at >= len(tokens):
            return
        if tokens[at].isdigit() and (self.number or (self.large_number and int(tokens[at]) >= _LARGE)):
            yield at + 1
        for sequence in self.sequences.get(tokens[at], ()):
            if tuple(tokens[at : at + len(sequence)]) == sequence:
                yield at + len(sequence)


@dataclass(frozen=True)
class _Pattern:
    elements: tuple[_Element, ...]

    @property
    def first_words(self) -> frozenset[str]:
        """The words a match can start with; "#" when it can start with a number."""
        first = self.elements[0]
        return frozenset(first.sequences) | ({_NUMBER} if first.number or first.large_number else set())

    def match(self, tokens: list[str], start: int) -> int | None:
        """The end of a match starting exactly at `start`, or None."""
        return self._match(tokens, 0, start, 0)

    def _match(self, tokens: list[str], index: int, at: int, carried_gap: int) -> int | None:
        if index == len(self.elements):
            return at
        element = self.elements[index]
        gap = (element.gap if index else 0) + carried_gap
        for skip in range(min(gap, len(tokens) - at) + 1):
            for end in element.ends(tokens, at + skip):
                found = self._match(tokens, index + 1, end, 0)
                if found is not None:
                    return found
        if element.optional:
            return self._match(tokens, index + 1, at, gap)
        return None


@dataclass(frozen=True)
class _Rule:
    id: str
    categories: tuple[str, ...]
    pattern: _Pattern
    negatable: bool


class _Compiler:
    """Turns the pattern text of the vocabulary file into patterns, checking every name."""

    def __init__(self, classes: dict[str, list[str]]) -> None:
        self._classes = classes
        self._expanded: dict[str, list[tuple[str, ...]]] = {}
        self._expanding: set[str] = set()
        self.words: set[str] = set()

    def pattern(self, text: str) -> _Pattern:
        elements: list[_Element] = []
        gap = 0
        for part in text.split():
            if re.fullmatch(r"~\d+", part):
                gap = int(part[1:])
                continue
            elements.append(self._element(part, gap))
            gap = 0
        first = elements[0] if elements else None
        if not first or first.optional or first.end or first.gap or gap:
            raise RiskDataError(f"Pattern {text!r} must start with words or # and end with an element.")
        return _Pattern(tuple(elements))

    def sequences(self, text: str) -> list[tuple[str, ...]]:
        """Every word sequence an alternative such as 'my+@relation' or 'be here' stands for."""
        parts = [
            self._class(part[1:]) if part.startswith("@") else [(self._word(part),)]
            for part in re.split(r"[+ ]", text)
        ]
        return [tuple(itertools.chain.from_iterable(combo)) for combo in itertools.product(*parts)]

    def _element(self, text: str, gap: int) -> _Element:
        optional = text.endswith("?")
        end = number = large_number = False
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for alternative in text.removesuffix("?").split("|"):
            if alternative == "$":
                end = True
            elif alternative == _NUMBER:
                number = True
            elif alternative == _LARGE_NUMBER:
                large_number = True
            else:
                for sequence in self.sequences(alternative):
                    by_first.setdefault(sequence[0], []).append(sequence)
        sequences = {first: tuple(seqs) for first, seqs in by_first.items()}
        return _Element(sequences, gap, optional, end, number, large_number)

    def _class(self, name: str) -> list[tuple[str, ...]]:
        if name not in self._classes:
            raise RiskDataError(f"Unknown class @{name}.")
        if name in self._expanding:
            raise RiskDataError(f"Class @{name} refers to itself.")
        if name not in self._expanded:
            self._expanding.add(name)
            self._expanded[name] = [s for entry in self._classes[name] for s in self.sequences(entry)]
            self._expanding.discard(name)
        return self._expanded[name]

    def _word(self, word: str) -> str:
        if not re.fullmatch(r"[a-z0-9]+", word):
            raise RiskDataError(f"{word!r} is not a normalised word (a-z, 0-9).")
        self.words.add(word)
        return word


def _squeeze(word: str) -> str:
    return _REPEATS.sub(r"\1", word)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _within_one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        i = diffs[0]
        return len(diffs) == 2 and diffs[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


class Detector:
    """A compiled vocabulary; `categories` is safe to call from many threads."""

    def __init__(self, document: dict[str, Any]) -> None:
        try:
            document = RiskLanguageSchema().load(document)
        except ma.ValidationError as error:
            raise RiskDataError(f"The risk vocabulary is not valid: {error.messages}") from error
        compiler = _Compiler(document["classes"])
        self._characters = str.maketrans(document["homoglyphs"])
        self._leet = document["leet"]
        self._rewrites: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for source, target in document["rewrites"]:
            src, dst = tuple(compiler.sequences(source)[0]), tuple(compiler.sequences(target)[0])
            self._rewrites.setdefault(src[0], []).append((src, dst))
        for options in self._rewrites.values():
            options.sort(key=lambda pair: -len(pair[0]))
        self._negators = {s[0] for s in compiler.sequences("@negator")}
        self._past_habits = compiler.sequences("@past_habit")
        self._ongoing = {s[0] for s in compiler.sequences("@ongoing")}
        self.idioms = [(compiler.pattern(i["pattern"]), i["example"]) for i in document["idioms"]]
        self.rules = [
            _Rule(r["id"], tuple(r["categories"]), compiler.pattern(r["pattern"]), r["negatable"])
            for r in document["rules"]
        ]
        self.examples = {r["id"]: r["example"] for r in document["rules"]}
        self._idiom_index = self._index([p for p, _ in self.idioms])
        self._rule_index = self._index(self.rules)
        self._vocabulary = frozenset(compiler.words)
        self._squeezed: dict[str, str] = {}
        for word in sorted(self._vocabulary, key=len):
            self._squeezed[_squeeze(word)] = word
        self._fuzzy: dict[str, set[str]] = {}
        for word in document["fuzzy"]:
            for key in {word} | _deletions(word):
                self._fuzzy.setdefault(key, set()).add(word)

    @staticmethod
    def _index(items: list) -> dict[str, list]:
        index: dict[str, list] = {}
        for item in items:
            pattern = item.pattern if isinstance(item, _Rule) else item
            for word in pattern.first_words:
                index.setdefault(word, []).append(item)
        return index

    @staticmethod
    def _starting_with(index: dict[str, list], token: str) -> list:
        return index.get(token, []) + (index.get(_NUMBER, []) if token.isdigit() else [])

    def categories(self, text: str) -> tuple[str, ...]:
        """The categories of the rules that match `text`, in the order of CATEGORIES."""
        found = {category for rule in self.matching_rules(text) for category in rule.categories}
        return tuple(c for c in CATEGORIES if c in found)

    def matching_rules(self, text: str) -> list[_Rule]:
        """Every rule that matches some sentence of `text`, in the vocabulary's order."""
        matched: set[str] = set()
        for tokens in self.sentences(text):
            self._mask_idioms(tokens)
            for start, token in enumerate(tokens):
                for rule in self._starting_with(self._rule_index, token):
                    if rule.id in matched:
                        continue
                    end = rule.pattern.match(tokens, start)
                    if end is None or self._plainly_past(tokens, start):
                        continue
                    if not (rule.negatable and self._negated(tokens, start, end)):
                        matched.add(rule.id)
        return [rule for rule in self.rules if rule.id in matched]

    def sentences(self, text: str) -> list[list[str]]:
        """`text` normalised into sentences of canonical, rewritten words."""
        text = unicodedata.normalize("NFKC", text).casefold().translate(self._characters)
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = _RUNS.sub(self._deleet, _APOSTROPHES.sub("", text))
        sentences = []
        for sentence in _SENTENCE_END.split(text):
            words = self._join_spelled_out(_WORD.findall(sentence))
            tokens = self._rewrite([self._canonical(w) for w in words])
            if any(t != _COMMA for t in tokens):
                sentences.append(tokens)
        return sentences

    def _deleet(self, match: re.Match[str]) -> str:
        run = match.group()
        if not any("a" <= c <= "z" for c in run):
            return run
        last = len(run) - 1
        return "".join(
            self._leet[c] if c in self._leet and (c != "!" or 0 < i < last) else c for i, c in enumerate(run)
        )

    def _join_spelled_out(self, words: list[str]) -> list[str]:
        """'s u i c i d e' and 'k m s' become one word when that word is in the vocabulary."""
        out: list[str] = []
        i = 0
        while i < len(words):
            j = i
            while j < len(words) and len(words[j]) == 1 and words[j] != _COMMA:
                j += 1
            joined = "".join(words[i:j])
            if j - i >= 3 and self._canonical(joined) in self._vocabulary:
                out.append(joined)
                i = j
            else:
                out.append(words[i])
                i += 1
        return out

    def _canonical(self, word: str) -> str:
        if word in self._vocabulary:
            return word
        if _TRIPLE.search(word) and _squeeze(word) in self._squeezed:
            return self._squeezed[_squeeze(word)]
        if len(word) >= FUZZY_MIN_LENGTH:
            for key in {word} | _deletions(word):
                for candidate in sorted(self._fuzzy.get(key, ())):
                    if _within_one_edit(word, candidate):
                        return candidate
        return word

    def _rewrite(self, tokens: list[str]) -> list[str]:
        for _ in range(3):  # a rewrite may enable another ("wnat to" -> "want to" -> "wanna")
            out: list[str] = []
            i = 0
            while i < len(tokens):
                for source, target in self._rewrites.get(tokens[i], ()):
                    if tuple(tokens[i : i + len(source)]) == source:
                        out.extend(target)
                        i += len(source)
                        break
                else:
                    out.append(tokens[i])
                    i += 1
            if out == tokens:
                break
            tokens = out
        return tokens

    def _mask_idioms(self, tokens: list[str]) -> None:
        spans = []
        for start, token in enumerate(tokens):
            for pattern in self._starting_with(self._idiom_index, token):
                end = pattern.match(tokens, start)
                if end is not None:
                    spans.append((start, end))
        for start, end in spans:
            tokens[start:end] = [_MASKED] * (end - start)

    def _negated(self, tokens: list[str], start: int, end: int) -> bool:
        return any(t in self._negators for t in tokens[max(0, start - NEGATION_REACH) : end])

    def _plainly_past(self, tokens: list[str], start: int) -> bool:
        """'used to' just before the match, and nothing in the sentence saying it goes on."""
        before = tokens[max(0, start - PAST_REACH) : start]
        habitual = any(
            tuple(before[i : i + len(habit)]) == habit
            for habit in self._past_habits
            for i in range(len(before))
        )
        return habitual and not self._ongoing.intersection(tokens)


def load_detector(path: Path = DATA_PATH) -> Detector:
    """A detector for the vocabulary at `path`; raises RiskDataError when it is wrong."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RiskDataError(f"{path.name} cannot be read: {error}") from error
    return Detector(document)


@functools.cache
def detector() -> Detector:
    """The detector for the shipped vocabulary, compiled once."""
    return load_detector()
