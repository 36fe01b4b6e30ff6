"""Browser tests: Debian's Chromium driven by Playwright against a real `hearth serve`.

Chromium gets a fake camera and microphone, so WebRTC carries real (synthetic) media.
Screenshots go to `artifacts/screenshots/` (named in the README).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from playwright import sync_api

from service.app import create_app
from service.config import Settings
from service.demo import create_demo
from tests.browser.helpers import Circle
from tests.live_server import LiveServer, live_server

CHROMIUM = os.environ.get("HEARTH_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # This machine's network is closed: without these Chromium keeps calling home.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Host candidates as plain addresses: the browsers of one test reach each other directly.
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]
WIDTHS = {1280: 800, 360: 740}


@pytest.fixture(scope="session")
def browser() -> Iterator[sync_api.Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def hearth_server(tmp_path_factory) -> Iterator[LiveServer]:
    """One server for the browser tests, on its own SQLite file (each test makes its own circle)."""
    database = tmp_path_factory.mktemp("browser") / "hearth.db"
    with live_server(f"sqlite:///{database}") as server:
        yield server


@pytest.fixture(scope="session")
def server_app(hearth_server: LiveServer):
    """An app on the server's database, to create circles the way `hearth demo` does."""
    return create_app(Settings.from_environ(), SQLALCHEMY_DATABASE_URI=hearth_server.env["DATABASE_URL"])


@pytest.fixture
def make_circle(hearth_server: LiveServer, server_app) -> Callable[..., Circle]:
    """Make a circle that began a minute ago and waits for its facilitator to open it."""

    def make(
        participants: int = 3,
        allowed_modes: tuple[str, ...] = ("speak", "camera_off", "listen_only"),
        chat: bool = True,
        relay_media: bool | None = None,
    ) -> Circle:
        with server_app.app_context():
            demo = create_demo(
                hearth_server.url,
                server_app.config["HEARTH_SCHEDULE_HORIZON_WEEKS"],
                participants=participants,
                live=False,
            )
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {demo.api_key}"
        circle = Circle(
            base_url=hearth_server.url,
            session_id=str(demo.session_id),
            group_id=str(demo.group_id),
            facilitator_email=demo.facilitator_email,
            facilitator_password=demo.facilitator_password,
            join_links=demo.join_urls,
            api=api,
        )
        changes = {"allowed_modes": list(allowed_modes), "chat_enabled": chat, "relay_media": relay_media}
        response = api.patch(f"{circle.api_url}/groups/{circle.group_id}", json=changes)
        assert response.status_code == 200, response.text
        return circle

    return make


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., sync_api.Page]]:
    """Open pages in fresh browser contexts; fail the test if any page broke the CSP."""
    contexts: list[sync_api.BrowserContext] = []
    violations: list[str] = []

    def open_(theme: str = "light", width: int = 1280, javascript: bool = True) -> sync_api.Page:
        context = browser.new_context(
            color_scheme=theme,
            viewport={"width": width, "height": WIDTHS.get(width, 800)},
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        page.hearth_look = (theme, width)

        def watch(message: sync_api.ConsoleMessage) -> None:
            if "Content Security Policy" in message.text:
                violations.append(message.text)

        page.on("console", watch)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not violations, f"pages broke the Content-Security-Policy: {violations}"
