"""Server-rendered pages of the browser client."""

from __future__ import annotations

from flask import Flask


def init_web(app: Flask) -> None:
    from service.web import (
        calendar_feed,
        console,
        directory,
        facilitator_password,
        help_pages,
        home,
        join,
        oncall_ack,
        signin,
    )
    from service.web.csrf import init_csrf
    from service.web.dates import init_dates
    from service.web.language import init_language

    init_csrf(app)
    init_language(app)
    init_dates(app)

    app.register_blueprint(home.bp)
    app.register_blueprint(facilitator_password.bp)
    app.register_blueprint(join.bp)
    app.register_blueprint(help_pages.bp)
    app.register_blueprint(calendar_feed.bp)
    app.register_blueprint(signin.bp)
    app.register_blueprint(console.bp)
    app.register_blueprint(oncall_ack.bp)
    app.register_blueprint(directory.bp)
