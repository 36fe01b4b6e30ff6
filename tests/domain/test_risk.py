"""The chat risk-language detector: paraphrase, misspellings, idioms, its data file, its scores."""

from __future__ import annotations

import copy
import dataclasses
import json
import time

import pytest

from bench.risk_detector import LABELLED, load, score
from service.domain.risk import (
    DATA_PATH,
    Detector,
    RiskDataError,
    RiskFinding,
    assess,
    detector,
    load_detector,
)
from service.schemas.risk import CATEGORIES

BRIEF_RISKY = [
    ("i want to kms", "suicidal_thoughts"),
    ("thinking about ending it all", "suicidal_thoughts"),
    ("dont want to be here anymore", "suicidal_thoughts"),
    ("suicidal", "suicidal_thoughts"),
    ("sucidal", "suicidal_thoughts"),
    ("wanna die", "suicidal_thoughts"),
    ("cut myself again", "self_harm"),
    ("took all my pills", "means"),
    ("I have the rope", "means"),
    ("I'm going to hurt him", "harm_to_others"),
]
BRIEF_IDIOMS = [
    "this commute is killing me",
    "I'd die for a coffee",
    "dying to see the film",
    "killing it at work",
    "my feet are killing me",
    "dead tired",
    "I could murder a pizza",
]


@pytest.mark.parametrize(("text", "category"), BRIEF_RISKY)
def test_the_briefs_risky_messages_are_caught(text, category):
    finding = assess(text)
    assert finding is not None and category in finding.categories


@pytest.mark.parametrize("text", BRIEF_IDIOMS)
def test_the_briefs_idioms_do_not_fire(text):
    assert assess(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "SUICIDAL",
        "suiciiiidal",
        "$uicidal",
        "su1c1dal",
        "s u i c i d e",
        "s-u-i-c-i-d-e",
        "\u0455uicidal",  # a Cyrillic s
        "\uff53\uff55\uff49\uff43\uff49\uff44\uff41\uff4c",  # full-width letters
        "suicídal",
        "k1ll mys3lf",
        "kil my self",
        "kill myslef",
        "I wanna diiiie",
        "i wnat to die",
        "i want 2 die",
        "I don\u2019t want to live anymore",  # a typographic apostrophe
        "I want to, like, die",
    ],
)
def test_spellings_and_disguises_are_caught(text):
    assert assess(text) is not None


def test_a_finding_lists_categories_in_a_fixed_order():
    finding = assess("I'm going to kill myself tonight, I've got the pills and I want to hurt him first")
    assert finding == RiskFinding(("suicidal_thoughts", "plan", "harm_to_others"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.categories = ()  # type: ignore[misc]


def test_a_denial_about_oneself_still_alerts():
    # A missed alert is worse than a false one: a facilitator checks in quietly.
    assert assess("I'm not suicidal, just tired") == RiskFinding(("suicidal_thoughts",))
    assert assess("I don't want to die") is not None


@pytest.mark.parametrize(
    "text", ["I would never hurt anyone", "I'm not going to hurt him", "don't kill yourself over it"]
)
def test_a_denied_threat_towards_others_does_not(text):
    assert assess(text) is None


def test_sentences_do_not_run_into_each_other():
    assert assess("I want to go home. Die Hard is on later") is None
    assert assess("I want a nap. Dead tired.") is None


@pytest.mark.parametrize("text", ["", "   ", "...", "😊", "12345", "x" * 5000])
def test_empty_or_odd_text_is_no_finding(text):
    assert assess(text) is None


def test_a_long_message_is_still_fast():
    text = "I want to talk about my week and how tired I am, " * 60 + "and I want to die"
    start = time.perf_counter()
    assert assess(text) is not None
    assert time.perf_counter() - start < 0.25


# The vocabulary file.


def _document() -> dict:
    return json.loads(DATA_PATH.read_text(encoding="utf-8"))


def test_the_shipped_vocabulary_is_valid_and_every_rule_fires_on_its_example():
    shipped = load_detector()
    for rule in shipped.rules:
        matched = [r.id for r in shipped.matching_rules(shipped.examples[rule.id])]
        assert rule.id in matched, (rule.id, shipped.examples[rule.id])


def test_every_idiom_example_is_quiet():
    for _pattern, example in detector().idioms:
        assert assess(example) is None, example


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["rules"][0].update(categories=["sadness"]), "categories"),
        (lambda d: d["rules"][0].update(pattern="@nowhere ~2 die"), "Unknown class @nowhere"),
        (lambda d: d["rules"][0].update(pattern="~2 die"), "must start"),
        (lambda d: d["rules"][0].update(pattern="die? now"), "must start"),
        (lambda d: d["rules"][0].update(pattern="Die"), "normalised word"),
        (lambda d: d["rules"][1].update(id=d["rules"][0]["id"]), "own id"),
        (lambda d: d["rules"][0].update(colour="blue"), "colour"),
        (lambda d: d["fuzzy"].append("die"), "5 letters"),
        (lambda d: d["leet"].update({"0": "oo"}), "one character"),
        (lambda d: d["classes"].update(loop=["@loop"]) or d["rules"][0].update(pattern="@loop"), "itself"),
        (lambda d: d["classes"].pop("negator"), "negator"),
        (lambda d: d.pop("idioms"), "idioms"),
    ],
)
def test_a_broken_vocabulary_is_refused_with_a_reason(change, message):
    document = copy.deepcopy(_document())
    change(document)
    with pytest.raises(RiskDataError, match=message):
        Detector(document)


def test_an_unreadable_vocabulary_is_refused(tmp_path):
    path = tmp_path / "risk.json"
    path.write_text("{")
    with pytest.raises(RiskDataError, match="cannot be read"):
        load_detector(path)


# The labelled set.


def test_the_labelled_set_is_large_varied_and_well_formed():
    examples = load()
    assert sum(e.risky for e in examples) >= 150
    assert sum(not e.risky for e in examples) >= 150
    assert len({e.text for e in examples}) == len(examples)
    for example in examples:
        assert example.split in ("dev", "holdout-1", "holdout-2")
        assert set(example.categories) <= set(CATEGORIES)
        assert bool(example.categories) == example.risky, example.text
    labelled = {c for e in examples for c in e.categories}
    assert labelled == set(CATEGORIES)


def test_recall_and_false_alarms_on_the_labelled_set():
    examples = load()
    scores = score(examples, [assess(e.text) for e in examples])
    assert scores.recall >= 0.9
    assert scores.false_alarm_rate <= 0.05


def test_the_bench_prints_its_table(capsys):
    from bench.risk_detector import main

    assert main([str(LABELLED)]) == 0
    out = capsys.readouterr().out
    assert "recall" in out and "false alarms" in out and "p99" in out
    assert all(split in out for split in ("dev", "holdout-1", "holdout-2"))
