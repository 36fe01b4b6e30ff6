"""Which language a page speaks: the person's own choice, then the circle's, then the browser's."""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_babel import Babel, get_locale, refresh

from service.i18n import LANGUAGES, TRANSLATIONS_DIR, supported

# A person's choice on the join page, kept for their next pages (not a tracking cookie: it
# holds only the language code).
CHOICE_COOKIE = "hearth_lang"
CHOICE_SECONDS = 365 * 24 * 60 * 60
# Each language named in itself, for the person's choice.
NAMES = {"en": "English", "es": "Español"}


def speak(tag: str | None) -> None:
    """Let this page speak a circle's language (a group's `language`) unless the person chose."""
    g.circle_language = supported(tag)
    # Flask-Babel keeps the first answer of a request: anything asked before this must not stand.
    refresh()


def _select() -> str:
    return (
        supported(request.args.get("lang"))
        or supported(request.cookies.get(CHOICE_COOKIE))
        or g.get("circle_language")
        or request.accept_languages.best_match(LANGUAGES)
        or LANGUAGES[0]
    )


def init_language(app: Flask) -> None:
    """Choose each page's language and remember a person's explicit choice."""
    Babel(app, locale_selector=_select, default_translation_directories=str(TRANSLATIONS_DIR))
    # As babel.cfg extracts them: a {% trans %} block's msgid is its text with whitespace collapsed.
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    @app.before_request
    def _forget_the_last_page() -> None:
        # Requests may share an application context (tests, the shell): start each one afresh.
        g.pop("circle_language", None)
        refresh()

    @app.context_processor
    def _lang() -> dict[str, object]:
        return {"lang": str(get_locale()), "languages": [(code, NAMES[code]) for code in LANGUAGES]}

    @app.after_request
    def _remember_choice(response: Response) -> Response:
        chosen = supported(request.args.get("lang"))
        if chosen and request.cookies.get(CHOICE_COOKIE) != chosen:
            response.set_cookie(
                CHOICE_COOKIE,
                chosen,
                max_age=CHOICE_SECONDS,
                secure=request.is_secure,
                httponly=True,
                samesite="Lax",
            )
        return response
