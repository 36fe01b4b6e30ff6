"""PLACEHOLDER (owned by S2, replaced at merge): notice risk language in a chat message."""

from __future__ import annotations

from dataclasses import dataclass

_PHRASES = {
    "kill myself": "suicidal_thoughts",
    "end my life": "suicidal_thoughts",
    "hurt myself": "self_harm",
}


@dataclass(frozen=True)
class RiskFinding:
    """What kinds of risk a message speaks of."""

    categories: tuple[str, ...]


def assess(text: str) -> RiskFinding | None:
    """The risk categories in `text`, or None (placeholder: a few exact phrases)."""
    lowered = text.lower()
    found = tuple(sorted({category for phrase, category in _PHRASES.items() if phrase in lowered}))
    return RiskFinding(categories=found) if found else None
