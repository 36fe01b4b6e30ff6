"""LOCAL STAND-IN for the lead's browser harness (same fixture names); replaced at merge."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from playwright.sync_api import sync_playwright

from tests.live_server import live_server
from tests.realtime_e2e.helpers import Api

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@dataclass
class Circle:
    base_url: str
    session_id: str
    group_id: str
    facilitator_email: str
    facilitator_password: str
    join_links: list[str]
    api: requests.Session
    api_url: str


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'b.db'}") as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def make_circle(server):
    def make(participants=3, allowed_modes=("speak", "camera_off", "listen_only"), chat=True) -> Circle:
        api = Api(server)
        robin = api.facilitator("Robin", PASSWORD)
        group, session = api.group_open_now(
            [robin["id"]], allowed_modes=list(allowed_modes), chat_enabled=chat
        )
        links = [
            api.post(f"/groups/{group['id']}/registrations", {})["join_url"] for _ in range(participants)
        ]
        return Circle(
            base_url=server.url,
            session_id=session["id"],
            group_id=group["id"],
            facilitator_email=robin["email"],
            facilitator_password=PASSWORD,
            join_links=links,
            api=api.http,
            api_url=f"{server.url}/api/v1",
        )

    return make


@pytest.fixture
def open_page(browser):
    contexts, violations = [], []

    def open_(theme="light", width=1280):
        context = browser.new_context(
            color_scheme=theme, viewport={"width": width, "height": 900}, permissions=["microphone", "camera"]
        )
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.theme, page.width = theme, width
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not violations, violations


def sign_in(page, circle: Circle) -> None:
    page.goto(f"{circle.base_url}/facilitator/sign-in")
    page.fill("#email", circle.facilitator_email)
    page.fill("#password", circle.facilitator_password)
    page.click("button[type=submit]")
    page.wait_for_url("**/facilitator**")


def axe_serious(page) -> list:
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => (await axe.run()).violations")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def screenshot(page, name: str) -> None:
    folder = ROOT / "artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-{page.theme}-{page.width}.png"), full_page=True)


@pytest.fixture(name="sign_in")
def sign_in_fixture():
    return sign_in


@pytest.fixture(name="axe_serious")
def axe_serious_fixture():
    return axe_serious


@pytest.fixture(name="screenshot")
def screenshot_fixture():
    return screenshot
