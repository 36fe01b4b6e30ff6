"""The organization REST API under /api/v1: flask-smorest resources over the domain layer."""

from __future__ import annotations

import http

from flask import Flask
from flask_smorest import Api
from flask_smorest.spec import prepare_response
from werkzeug.exceptions import HTTPException

from service.api.auth import require_api_key
from service.api.problems import (
    PROBLEM_CONTENT_TYPE,
    ProblemSchema,
    problem_from_domain_error,
    problem_from_http_exception,
)
from service.domain.errors import DomainError


class ProblemApi(Api):
    """flask-smorest's Api, answering and documenting errors as RFC 9457 problem details."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException):
        # A refusal that comes with its own answer (a rate limit's 429 and Retry-After) keeps it.
        if error.response is not None:
            return error.response
        return problem_from_http_exception(error)

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def init_api(app: Flask) -> ProblemApi:
    """Attach the REST API, its authentication and its error handling to `app`."""
    from service.api import (
        attendance,
        check_ins,
        crisis_resources,
        docs_page,
        facilitators,
        groups,
        incidents,
        keys,
        moderation,
        notes,
        oncall,
        organization,
        people,
        registrations,
        sessions,
        webhooks,
    )

    api = ProblemApi(app)
    for module in (
        keys,
        facilitators,
        groups,
        sessions,
        registrations,
        webhooks,
        crisis_resources,
        incidents,
        oncall,
        moderation,
        attendance,
        check_ins,
        organization,
        notes,
        people,
    ):
        api.register_blueprint(module.blp)
    app.register_blueprint(docs_page.bp)
    app.before_request(require_api_key)
    app.register_error_handler(DomainError, problem_from_domain_error)
    app.extensions["hearth_api"] = api
    return api
