"""The chat risk-language detector on the labelled set: recall, false alarms, speed.

    /work/venv/bin/python -m bench.risk_detector [path/to/labelled.jsonl]

Each line of the labelled set is {"text", "risky", "categories", "split"}. Splits: `dev` was
written first and the vocabulary tuned on it; `holdout-1` was measured once untouched, then
tuned on; `holdout-2` was written after tuning and never tuned on: it is the honest estimate.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from service.domain.risk import CATEGORIES, RiskFinding, detector

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "data" / "risk_labelled.jsonl"
TIMING_ROUNDS = 20


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
    """Milliseconds per message, each message assessed `rounds` times."""
    assess = detector().assess
    assess(texts[0])  # compile the vocabulary outside the measurement
    times = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            assess(text)
            times.append((time.perf_counter() - start) * 1000)
    return times


def _percent(value: float | None) -> str:
    return "   n/a" if value is None else f"{value * 100:5.1f}%"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else LABELLED
    examples = load(path)
    assessed = [(e, detector().assess(e.text)) for e in examples]
    splits = sorted({e.split for e in examples})
    groups = {"all": assessed} | {sp: [(e, f) for e, f in assessed if e.split == sp] for sp in splits}
    columns = f"{'set':<10} {'risky':>5} {'safe':>5} {'recall':>7} {'false alarms':>13} {'precision':>9}  "
    header = columns + " ".join(f"{c:>17}" for c in CATEGORIES)
    print(f"Risk-language detector on {path.name}")
    print(header)
    print("-" * len(header))
    for name, group in groups.items():
        s = score([e for e, _ in group], [f for _, f in group])
        per_category = " ".join(f"{_percent(s.category_recall[c]):>17}" for c in CATEGORIES)
        print(
            f"{name:<10} {s.risky:>5} {s.safe:>5} {_percent(s.recall):>7} {_percent(s.false_alarm_rate):>13} "
            f"{_percent(s.precision):>9}  {per_category}"
        )
    times = sorted(timings_ms([e.text for e in examples]))
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"\ntime per message: mean {statistics.fmean(times):.3f} ms, p99 {p99:.3f} ms ({len(times)} runs)")
    print("Per-category columns: recall among the messages labelled with that category.")
    print("holdout-2 was never tuned on: read its row as the estimate for unseen messages.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
