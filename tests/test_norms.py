"""How a group's agreement is split into the norms a facilitator can remind of."""

from __future__ import annotations

from service.live.access import norms_of


def test_one_norm_per_non_empty_line_with_list_markers_stripped():
    agreement = [
        "What is shared here stays here.",
        "- Listen\n\n  * Be kind.\n1. Pass\n2) Rest",
        "• Breathe",
        "  ",
    ]
    assert norms_of(agreement) == (
        "What is shared here stays here.",
        "Listen",
        "Be kind.",
        "Pass",
        "Rest",
        "Breathe",
    )


def test_words_that_merely_start_like_a_marker_are_kept():
    assert norms_of(["-1 is not a bullet", "2025 was a year"]) == ("-1 is not a bullet", "2025 was a year")
