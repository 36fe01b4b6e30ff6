"""Reading server-rendered crisis lines out of a page's HTML."""

from __future__ import annotations

import re
from html import unescape


def names(html: str) -> list[str]:
    """The lines' names, in the page's order."""
    return [unescape(name) for name in re.findall(r"<h3>(.*?)</h3>", html)]


def calls(html: str) -> list[str]:
    """The lines' numbers to call, as their tel: links hold them, in the page's order.

    The emergency number's own button in the "if you are in danger" sentence is not a line.
    """
    lines = re.sub(r'<p class="help-danger">.*?</p>', "", html, flags=re.S)
    return re.findall(r'<a href="tel:([^"]+)"', lines)


def emergency_button(html: str) -> str | None:
    """The number the "if you are in danger" sentence's button calls, if it has one."""
    sentence = re.search(r'<p class="help-danger">(.*?)</p>', html, flags=re.S)
    button = sentence and re.search(r'<a href="tel:([^"]+)"[^>]*>Call \1</a>', sentence.group(1))
    return button.group(1) if button else None
