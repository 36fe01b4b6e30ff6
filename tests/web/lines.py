"""Reading server-rendered crisis lines out of a page's HTML."""

from __future__ import annotations

import re
from html import unescape


def names(html: str) -> list[str]:
    """The lines' names, in the page's order."""
    return [unescape(name) for name in re.findall(r"<h3>(.*?)</h3>", html)]


def calls(html: str) -> list[str]:
    """The numbers to call, as their tel: links hold them, in the page's order."""
    return re.findall(r'<a href="tel:([^"]+)"', html)
