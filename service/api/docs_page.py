"""A readable page of the API reference, rendered on the server from the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("api_docs_page", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(spec: dict, node: dict | None) -> dict:
    while node and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        section = node["$ref"].split("/")[2]
        node = spec["components"][section][name]
    return node or {}


@bp.get("/api/v1/docs")
def docs():
    spec = current_app.extensions["hearth_api"].spec.to_dict()
    operations = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            body = _resolve(spec, op.get("requestBody"))
            body_schema = None
            for media in body.get("content", {}).values():
                body_schema = _resolve(spec, media.get("schema"))
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tag": (op.get("tags") or [""])[0],
                    "parameters": [_resolve(spec, p) for p in item.get("parameters", [])]
                    + [_resolve(spec, p) for p in op.get("parameters", [])],
                    "body": body_schema,
                    "responses": {
                        code: _resolve(spec, r).get("description", "")
                        for code, r in op.get("responses", {}).items()
                    },
                }
            )
    return render_template(
        "api_docs.html",
        info=spec.get("info", {}),
        operations=operations,
        schemas=spec.get("components", {}).get("schemas", {}),
    )
