"""Dates and times on pages, in the page's language and the group's own time zone.

Each pattern is a CLDR date pattern in the catalogue, so a language orders and words its dates
itself ("Tuesday 4 March 2031, 18:30", "martes, 4 de marzo de 2031, 18:30"). The times handed
in are already in the group's zone: they are formatted as they are, never moved to another.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import format_datetime, gettext


def long_when(moment: datetime) -> str:
    """A session's start with its weekday and year: "Tuesday 4 March 2031, 18:30"."""
    # TRANSLATORS: a CLDR date pattern (EEEE weekday, d day, MMMM month, y year, HH:mm time);
    # words in single quotes are kept as they are.
    return format_datetime(moment, gettext("EEEE d MMMM y, HH:mm"), rebase=False)


def day_when(moment: datetime) -> str:
    """A start within the coming weeks: "Tuesday 4 March, 18:30"."""
    # TRANSLATORS: a CLDR date pattern, as "EEEE d MMMM y, HH:mm" without the year.
    return format_datetime(moment, gettext("EEEE d MMMM, HH:mm"), rebase=False)


def short_date(moment: datetime) -> str:
    """A day in a table: "04 Mar 2031"."""
    # TRANSLATORS: a CLDR date pattern for a day in a table (MMM is the month's short name).
    return format_datetime(moment, gettext("dd MMM y"), rebase=False)


def time_on_day(moment: datetime) -> str:
    """A time and its day within the year: "18:30 on 04 March"."""
    # TRANSLATORS: a CLDR date pattern: a time, then the day and month it was on.
    return format_datetime(moment, gettext("HH:mm 'on' dd MMMM"), rebase=False)


def clock(moment: datetime) -> str:
    """A time of day on the 24-hour clock: "18:30"."""
    return format_datetime(moment, "HH:mm", rebase=False)


def init_dates(app: Flask) -> None:
    """Let templates format dates: `{{ when.starts | long_when }}`."""
    for formatter in (long_when, day_when, short_date, time_on_day, clock):
        app.add_template_filter(formatter)
