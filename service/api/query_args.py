"""Query arguments parsed once per distinct query string, for lists that clients ask again and again."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from flask import request
from webargs.flaskparser import FlaskParser

# Distinct (schema, query string) pairs remembered per process; the oldest is forgotten first.
REMEMBERED_QUERIES = 256


class RememberingQueryParser(FlaskParser):
    """webargs' parser, remembering what each query string of each schema parsed to.

    A query's arguments depend on its text alone, so a list asked with the same query again is
    not parsed and validated again; a query that fails is never remembered, and fails each time.
    Only query strings are remembered: bodies, headers and cookies parse as usual.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._parsed: OrderedDict[tuple[int, bytes], dict[str, Any]] = OrderedDict()

    def parse(self, argmap: Any, req: Any = None, *, location: str | None = None, **kwargs: Any) -> Any:
        if location != "query":
            return super().parse(argmap, req, location=location, **kwargs)
        key = (id(argmap), request.query_string)
        parsed = self._parsed.get(key)
        if parsed is None:
            parsed = super().parse(argmap, req, location=location, **kwargs)
            self._parsed[key] = parsed
            while len(self._parsed) > REMEMBERED_QUERIES:
                self._parsed.popitem(last=False)
        # A copy: a view may change the arguments it was given.
        return dict(parsed)
