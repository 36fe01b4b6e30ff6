"""Risk language in chat: suicidal thoughts, plans, means, self-harm, harm to others, danger from others.

`assess(text)` runs on every chat message before it is delivered. The model
(`service.domain.risk_model`, a fine-tuned MiniLM) reads paraphrase, slang, typos and context;
the floor rules (`service.domain.risk_rules`) alert on phrases that must always alert, whatever
the model says. If the model cannot be loaded the floor still runs, and the failure is logged
(never the text) once per process.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from service.domain import risk_rules
from service.domain.risk_model import RiskModel, RiskModelError, model
from service.schemas.risk import CATEGORIES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RiskFinding:
    """What a message suggests, as categories from CATEGORIES (in that order)."""

    categories: tuple[str, ...]


@functools.cache
def loaded_model() -> RiskModel | None:
    """The model, loaded once per process; None (logged as an error) when it cannot be loaded."""
    try:
        return model()
    except RiskModelError:
        log.exception("The risk-language model is unavailable; only the floor rules will alert.")
        return None


def model_categories(text: str) -> set[str]:
    """The categories the model reads in `text`; empty when it finds no risk or is unavailable."""
    loaded = loaded_model()
    if loaded is None:
        return set()
    reading = loaded.read(text)
    if reading.risky < loaded.risky_threshold:
        return set()
    likely = {c for c, p in reading.categories.items() if p >= loaded.category_threshold}
    return likely or {max(reading.categories, key=reading.categories.__getitem__)}


def assess(text: str) -> RiskFinding | None:
    """Whether a chat message carries risk language, and of which kinds."""
    if not any(c.isalpha() for c in text):
        return None  # no words, so no risk language ("12345", "...", an emoji)
    found = set(risk_rules.detector().categories(text)) | model_categories(text)
    if not found:
        return None
    return RiskFinding(tuple(c for c in CATEGORIES if c in found))
