"""Answers that carry, beside a stored object, a secret this one response shows (a link, a key)."""

from __future__ import annotations

from typing import Any


class ShownOnce:
    """`stored` as its response schema reads it, plus values no later read of it can show.

    The secret is never kept on the model itself, so nothing else that dumps the model sees it.
    """

    def __init__(self, stored: object, **once: Any) -> None:
        self._stored = stored
        self.__dict__.update(once)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stored, name)
