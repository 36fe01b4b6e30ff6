"""201 Created answers that say where the new resource lives."""

from __future__ import annotations

from typing import Any

from flask import url_for


def created(body: Any, endpoint: str, **values: Any) -> tuple[Any, int, dict[str, str]]:
    """The body with status 201 and a `Location` header naming the new resource."""
    return body, 201, {"Location": url_for(endpoint, **values)}
