"""The chat risk-language detector: the model, the floor rules, their data files, their scores."""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
import socket
import time

import pytest

from bench.risk_detector import TUNED_ON, load, score
from service.domain import risk
from service.domain.risk import RiskFinding, assess
from service.domain.risk_model import MODEL_DIR, Reading, Readings, RiskModel, RiskModelError
from service.domain.risk_rules import DATA_PATH, Detector, RiskDataError, detector, load_detector
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
        "s u i c i d a l",
        "s-u-i-c-i-d-a-l",
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
    assert finding is not None
    assert {"suicidal_thoughts", "plan"} <= set(finding.categories)
    assert list(finding.categories) == [c for c in CATEGORIES if c in finding.categories]
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.categories = ()  # type: ignore[misc]


def test_a_denial_about_oneself_still_alerts():
    # A missed alert is worse than a false one: a facilitator checks in quietly.
    assert assess("I'm not suicidal, just tired") == RiskFinding(("suicidal_thoughts",))
    assert assess("I don't want to die") is not None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("honestly death sounds peaceful right now", "suicidal_thoughts"),
        ("every night I think about dying", "suicidal_thoughts"),
        ("i wanna dye", "suicidal_thoughts"),
        ("Ive picked a date", "plan"),
        ("I've written letters to my family to say goodbye", "plan"),
        ("If I'm not here next week, that's why", "plan"),
        ("I have been planning my suicide", "plan"),
        ("gave away all my things, won't need them", "plan"),
        ("i'm going to drink bleach", "means"),
        ("I want to drive off a cliff", "means"),
        ("I've got 60 tablets in my drawer", "means"),
        ("i stole some of my nan's morphine", "means"),
        ("I've been googling lethal doses", "means"),
        ("i have a blade in my pencil case", "self_harm"),
        ("my thighs are a mess from cutting", "self_harm"),
        ("I keep burning my hand on purpose", "self_harm"),
        ("my friend self harms and I don't know how to help", "self_harm"),
    ],
)
def test_plans_means_and_self_harm_in_other_words_are_caught(text, category):
    finding = assess(text)
    assert finding is not None and category in finding.categories


@pytest.mark.parametrize(
    "text",
    [
        "we've set a date for the wedding",
        "I picked a date for my surgery",
        "I googled how many calories are in a croissant",
        "I got new razor blades for shaving",
        "hiding my scars from surgery with makeup",
        pytest.param(
            "clean for 3 months from alcohol and I slipped last night",
            # A known false alarm of the fifth build: a relapse read as self-harm's (0.78).
            marks=pytest.mark.xfail(strict=True, reason="the fifth build alerts on it"),
        ),
        "we stood on the bridge to watch the boats",
        pytest.param(
            "if I'm not here next week it's because I'm on holiday",
            # A known false alarm since the third build ("not here next week" reads as a goodbye);
            # strict, so that the build which stops raising it says so.
            marks=pytest.mark.xfail(strict=True, reason="the third to fifth builds alert on it"),
        ),
        "we're reading a novel about a suicide in class",
        "the villain dies in the last episode",
        "I died ten times on the last boss",
        "her death feels like a relief after how much she suffered",
        "I need bleach for the bathroom",
        "I'm driving into town later",
    ],
)
def test_look_alikes_of_plans_and_means_do_not_fire(text):
    assert assess(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "I used to cut myself at uni. That was 15 years ago and I'm well",
        "i used to wish i'd never wake up. that was my first year at uni",
        "it's wild that i used to google ways to die",
    ],
)
def test_the_floor_is_quiet_on_a_habit_that_is_plainly_past(text):
    assert detector().categories(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "I used to cut myself and now I've started again",
        "i used to be happy, now i want to die",
        "I used to think about suicide and I still do",
        "I used my belt to hang myself",
    ],
)
def test_the_floor_still_alerts_when_the_risk_goes_on(text):
    assert detector().categories(text)


@pytest.mark.parametrize("text", ["I would never hurt anyone", "don't kill yourself over it"])
def test_a_denied_threat_towards_others_does_not(text):
    assert assess(text) is None


def test_sentences_do_not_run_into_each_other():
    assert assess("I want a nap. Dead tired.") is None


@pytest.mark.parametrize("text", ["", "   ", "...", "😊", "12345", "x" * 5000])
def test_empty_or_odd_text_is_no_finding(text):
    assert assess(text) is None


def test_a_long_message_is_still_fast():
    text = "I want to talk about my week and how tired I am, " * 60 + "and I want to die"
    assess("hello")  # the model loads once per process: that is not the message's time
    # CPU time, not the wall clock: a busy machine deschedules the test, not the detector.
    start = time.process_time()
    assert assess(text) is not None
    assert time.process_time() - start < 0.5


ORDINARY = "we went to the shops and then had lunch with my aunt and it was nice, "


def test_risk_in_one_clause_past_the_models_first_window_is_caught():
    text = ORDINARY * 12 + "and then i took the whole box of my sleeping tablets when i got home"
    finding = assess(text)
    assert finding is not None and "means" in finding.categories


# A known false alarm of the fifth build: one ordinary line said thirteen times over reads 0.38,
# above its threshold of 0.25; strict, so that the build which stops raising it says so.
@pytest.mark.xfail(strict=True, reason="the fifth build alerts on it")
def test_an_ordinary_line_said_over_and_over_is_quiet():
    assert assess(ORDINARY * 13) is None


@pytest.mark.parametrize(
    "text",
    [
        "my dad hits me when he's drunk",
        "I'm scared to go home, he said he'd kill me",
        "i'm not safe where i am",
        "my partner won't let me leave the house and took my phone",
    ],
)
def test_danger_from_others_is_its_own_category(text):
    finding = assess(text)
    assert finding is not None and "danger_from_others" in finding.categories


@pytest.mark.parametrize(
    "text",
    [
        "my brother and I were play fighting and he won",
        "my mum will kill me if I'm late again",
        "I left an abusive relationship years ago and I'm safe now",
    ],
)
def test_look_alikes_of_danger_do_not_fire(text):
    assert assess(text) is None


# The model.


def test_the_model_loads_once_per_process():
    assert risk.model() is risk.model()
    assert risk.loaded_model() is risk.model()


def test_the_model_loads_and_reads_without_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the risk model tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    loaded = RiskModel(MODEL_DIR)
    reading = loaded.read("I took all my pills an hour ago")
    assert reading.risky >= loaded.risky_threshold
    assert set(reading.categories) == set(CATEGORIES)


def test_an_identical_recent_text_is_read_once_and_no_text_is_kept():
    loaded = RiskModel(MODEL_DIR)
    runs = []
    session_run = loaded._session.run

    def counting(*args):
        runs.append(args)
        return session_run(*args)

    loaded._session = type("Counted", (), {"run": staticmethod(counting)})()
    first = loaded.read("I took all my pills an hour ago")
    assert loaded.read("I took all my pills an hour ago") == first
    assert len(runs) == 1
    loaded.read("I took all my pills two hours ago")
    assert len(runs) == 2
    assert "pills" not in repr(vars(loaded.readings))


def test_only_the_last_readings_are_remembered():
    readings = Readings(kept=2)
    texts = ["same here", "thank you", "me too"]
    for number, text in enumerate(texts):
        readings.put(readings.digest(text), Reading(number / 10, {}))
    assert readings.get(readings.digest("same here")) is None
    assert readings.get(readings.digest("me too")) == Reading(0.2, {})
    # Digests are keyed per process: the same text has another digest elsewhere.
    assert Readings().digest("me too") != readings.digest("me too")


def test_the_model_files_are_small_and_name_the_categories():
    size = sum(path.stat().st_size for path in MODEL_DIR.iterdir())
    assert size < 50_000_000
    settings = json.loads((MODEL_DIR / "model.json").read_text(encoding="utf-8"))
    assert tuple(settings["categories"]) == CATEGORIES
    assert 0 < settings["risky_threshold"] < 1


def test_the_model_was_built_without_reading_the_untouched_splits():
    settings = json.loads((MODEL_DIR / "model.json").read_text(encoding="utf-8"))
    untouched = {split for split, used in TUNED_ON.items() if used == "no"}
    assert untouched and set(settings["never_read"]) <= untouched
    assert not untouched & {*settings["trained_on"], *settings["threshold_tuned_on"]}


def test_a_missing_model_is_refused_with_a_reason(tmp_path):
    with pytest.raises(RiskModelError, match="cannot be loaded"):
        RiskModel(tmp_path)


def test_without_the_model_the_floor_still_alerts_and_the_failure_is_logged(monkeypatch, caplog):
    def unavailable():
        raise RiskModelError("The risk model in /nowhere cannot be loaded: gone")

    monkeypatch.setattr(risk, "model", unavailable)
    risk.loaded_model.cache_clear()
    try:
        with caplog.at_level(logging.ERROR, logger="service.domain.risk"):
            assert assess("I want to kill myself tonight") is not None
            assert assess("this traffic is killing me") is None
        assert [r.getMessage() for r in caplog.records] == [
            "The risk-language model is unavailable; only the floor rules will alert."
        ]
        assert "kill" not in caplog.text
    finally:
        risk.loaded_model.cache_clear()


# The floor rules and their vocabulary file.


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "honestly feeling suicidal tonight",
        "k1ll mys3lf",
        "i'm going to hang myself",
        "took all my pills",
        "I want to slit my wrists",
        "just kys",
    ],
)
def test_the_floor_alone_catches_what_must_always_alert(text):
    assert detector().categories(text)


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
        (lambda d: d["classes"].pop("ongoing"), "ongoing"),
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


# The labelled set and the detector's scores on it.


def test_the_labelled_set_is_large_varied_and_well_formed():
    examples = load()
    assert sum(e.risky for e in examples) >= 1000
    assert sum(not e.risky for e in examples) >= 1000
    assert len({e.text for e in examples}) == len(examples)
    for example in examples:
        assert example.split in TUNED_ON
        assert set(example.categories) <= set(CATEGORIES)
        assert bool(example.categories) == example.risky, example.text
    present = {e.split for e in examples}
    # An untouched split is added only once it is written, after the build it measures.
    assert {split for split, used in TUNED_ON.items() if used != "no"} <= present
    for split in present:
        labelled = {c for e in examples if e.split == split for c in e.categories}
        assert labelled, split
    assert {c for e in examples for c in e.categories} == set(CATEGORIES)


@pytest.fixture(scope="module")
def findings() -> dict[str, list]:
    """Every labelled message and its finding, by split."""
    by_split: dict[str, list] = {}
    for example in load():
        by_split.setdefault(example.split, []).append((example, assess(example.text)))
    return by_split


# The least recall and the most false alarms each split may show: what the bench measured for
# the shipped model (README.md), rounded against it, so that a rebuild cannot quietly regress.
FLOORS = {
    "dev": (0.99, 0.02),
    "holdout-1": (0.99, 0.01),
    "holdout-2": (0.97, 0.01),
    "holdout-3": (0.98, 0.02),
    "train": (0.99, 0.015),
    "validation": (0.98, 0.02),
    "test-1": (0.98, 0.01),
    "train-2": (0.99, 0.025),
    "validation-2": (0.94, 0.06),
    "test-2": (0.99, 0.015),
    "train-3": (0.99, 0.03),
    "validation-3": (0.98, 0.11),
    "test-3": (0.99, 0.03),
    "train-4": (0.99, 0.05),
    "validation-4": (0.95, 0.115),
    "test-4": (0.99, 0.025),
    "train-5": (0.99, 0.055),
    "validation-5": (0.96, 0.075),
}


@pytest.mark.parametrize("split", list(FLOORS))
def test_recall_and_false_alarms_on_each_split_hold_their_floor(findings, split):
    least_recall, most_false_alarms = FLOORS[split]
    pairs = findings[split]
    scores = score([e for e, _ in pairs], [f for _, f in pairs])
    assert scores.recall >= least_recall
    assert scores.false_alarm_rate <= most_false_alarms


def test_the_bench_prints_its_table(tmp_path, capsys):
    from bench.risk_detector import main

    lines = [
        {"text": "i want to kms", "risky": True, "categories": ["suicidal_thoughts"], "split": "test-5"},
        {"text": "this commute is killing me", "risky": False, "categories": [], "split": "test-5"},
        {"text": "my dad hits me", "risky": True, "categories": ["danger_from_others"], "split": "dev"},
        {"text": "I baked bread today", "risky": False, "categories": [], "split": "dev"},
    ]
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    assert main([str(path), "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert "recall" in out and "false alarms" in out and "p50 ms" in out and "p99 ms" in out
    test_row = next(line for line in out.splitlines() if line.startswith("test-5"))
    assert test_row.split()[1:5] == ["2", "1", "1", "no"]
    assert "100.0%" in test_row
    parts = [line.split()[:2] for line in out.split("Each part alone")[1].splitlines()[1:3]]
    assert parts == [["test-5", "floor"], ["test-5", "model"]]
