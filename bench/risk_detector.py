"""The chat risk-language detector on the labelled set: recall, false alarms, time per message.

    .venv/bin/python -m bench.risk_detector [path/to/labelled.jsonl] [--rounds N]

Each line of the labelled set is {"text", "risky", "categories", "split"}. TUNED_ON says how
each split was used; only the splits marked "no" estimate how the detector does on messages it
has never seen. Time is that of `service.domain.risk.assess` (model and floor rules), per
message, each message assessed `--rounds` times after the model has loaded.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from service.domain import risk_rules
from service.domain.risk import RiskFinding, assess, loaded_model, model_categories
from service.schemas.risk import CATEGORIES

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "data" / "risk_labelled.jsonl"
TIMING_ROUNDS = 3
# How each split was used, in the order they were written.
TUNED_ON = {
    "dev": "rules, model",
    "holdout-1": "rules, model",
    "holdout-2": "rules, model",
    "holdout-3": "model",
    "train": "model",
    "validation": "threshold",
    "test-1": "model",
    "train-2": "model",
    "validation-2": "threshold",
    "test-2": "model",
    "train-3": "model",
    "validation-3": "threshold",
    "test-3": "model",
    "train-4": "model",
    "validation-4": "threshold",
    "test-4": "model",
    "train-5": "model",
    "validation-5": "threshold",
    "test-5": "no",
}


@dataclass(frozen=True)
class Example:
    text: str
    risky: bool
    categories: tuple[str, ...]
    split: str


@dataclass(frozen=True)
class Scores:
    risky: int
    safe: int
    recall: float
    false_alarm_rate: float
    precision: float
    category_recall: dict[str, float | None]


def load(path: Path = LABELLED) -> list[Example]:
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        examples.append(Example(row["text"], row["risky"], tuple(row["categories"]), row["split"]))
    return examples


def score(examples: list[Example], findings: list[RiskFinding | None]) -> Scores:
    """Recall and false alarms over whole messages; recall per labelled category."""
    pairs = list(zip(examples, findings, strict=True))
    hits = sum(1 for e, f in pairs if e.risky and f)
    false_alarms = sum(1 for e, f in pairs if not e.risky and f)
    risky = sum(1 for e in examples if e.risky)
    safe = len(examples) - risky
    category_recall: dict[str, float | None] = {}
    for category in CATEGORIES:
        labelled = [f for e, f in pairs if category in e.categories]
        found = sum(1 for f in labelled if f and category in f.categories)
        category_recall[category] = found / len(labelled) if labelled else None
    return Scores(
        risky=risky,
        safe=safe,
        recall=hits / risky if risky else 0.0,
        false_alarm_rate=false_alarms / safe if safe else 0.0,
        precision=hits / (hits + false_alarms) if hits + false_alarms else 0.0,
        category_recall=category_recall,
    )


def timings_ms(texts: list[str], rounds: int = TIMING_ROUNDS) -> list[float]:
    """Milliseconds per message, each message assessed `rounds` times, each time read afresh."""
    model = loaded_model()
    times = []
    for _ in range(rounds):
        for text in texts:
            if model is not None:
                # An identical text is read once while it is recent: this times the reading itself.
                model.readings.clear()
            start = time.perf_counter()
            assess(text)
            times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


def _finding(categories: Iterable[str]) -> RiskFinding | None:
    """A finding of these categories, as `assess` would give it; None when there are none."""
    found = set(categories)
    return RiskFinding(tuple(c for c in CATEGORIES if c in found)) if found else None


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=LABELLED)
    parser.add_argument("--rounds", type=int, default=TIMING_ROUNDS)
    args = parser.parse_args(argv)
    examples = load(args.path)
    order = list(TUNED_ON)
    splits = sorted(
        {e.split for e in examples}, key=lambda s: (order.index(s) if s in order else len(order), s)
    )
    findings = {e: assess(e.text) for e in examples}
    print(f"Risk-language detector on {args.path.name}")
    header = (
        f"{'split':<12} {'n':>5} {'risky':>5} {'safe':>5} {'tuned on':<13} {'recall':>7} "
        f"{'false alarms':>12} {'precision':>9} {'p50 ms':>7} {'p99 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for split in splits:
        group = [e for e in examples if e.split == split]
        s = score(group, [findings[e] for e in group])
        times = timings_ms([e.text for e in group], args.rounds)
        print(
            f"{split:<12} {len(group):>5} {s.risky:>5} {s.safe:>5} {TUNED_ON.get(split, '?'):<13} "
            f"{_percent(s.recall):>7} {_percent(s.false_alarm_rate):>12} {_percent(s.precision):>9} "
            f"{percentile(times, 0.5):>7.2f} {percentile(times, 0.99):>7.2f}"
        )
    print("\nRecall per category (among the messages labelled with it):")
    print(f"{'split':<12} " + " ".join(f"{c:>18}" for c in CATEGORIES))
    for split in splits:
        group = [e for e in examples if e.split == split]
        s = score(group, [findings[e] for e in group])
        print(f"{split:<12} " + " ".join(f"{_percent(s.category_recall[c]):>18}" for c in CATEGORIES))
    print("\nEach part alone on the splits never tuned on (the detector alerts when either does):")
    untouched = [s for s in splits if TUNED_ON.get(s) == "no"]
    if not untouched:
        print("(none in this file yet)")
    for split in untouched:
        group = [e for e in examples if e.split == split]
        for part, read in (("floor", risk_rules.detector().categories), ("model", model_categories)):
            s = score(group, [_finding(read(e.text)) for e in group])
            print(
                f"{split:<12} {part:<6} recall {_percent(s.recall):>7}, "
                f"false alarms {_percent(s.false_alarm_rate):>6}"
            )
    print("\nTuned on: 'no' marks the splits that estimate unseen messages; see README.md.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
