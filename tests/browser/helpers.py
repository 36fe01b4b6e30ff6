"""What browser tests share: the circle they run in, signing in, axe-core and screenshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import requests
from playwright import sync_api

from tests.live_server import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


@dataclass
class Circle:
    """A circle whose room is reachable now: its facilitator and its participants' links."""

    base_url: str
    session_id: str
    group_id: str
    facilitator_email: str
    facilitator_password: str
    join_links: list[str]
    api: requests.Session = field(repr=False)

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/v1"


def sign_in(page: sync_api.Page, circle: Circle) -> None:
    """Sign the circle's facilitator in through the sign-in form."""
    page.goto(f"{circle.base_url}/facilitator/sign-in")
    page.get_by_label("Email").fill(circle.facilitator_email)
    page.get_by_label("Password").fill(circle.facilitator_password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{circle.base_url}/facilitator")


def axe_serious(page: sync_api.Page) -> list[dict]:
    """The serious and critical axe-core violations of the page as it is now."""
    if not page.evaluate("() => 'axe' in window"):
        # Evaluated through the DevTools protocol, which the page's CSP does not govern.
        page.evaluate(AXE.read_text())
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(
    page: sync_api.Page, name: str, part: sync_api.Locator | None = None, full_page: bool = True
) -> Path:
    """Save the page (or only `part` of it, or only the window with `full_page=False`) as
    `artifacts/screenshots/<name>-<theme>-<width>.png`."""
    theme, width = page.hearth_look
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{theme}-{width}.png"
    if part is None:
        page.screenshot(path=str(path), full_page=full_page)
    else:
        part.screenshot(path=str(path))
    return path


# Records every message a live region is given (shared/announce.js adds each as a node), in order.
RECORD_ANNOUNCEMENTS = """
window.heard = [];
new MutationObserver((records) => {
    for (const record of records) {
        for (const node of record.addedNodes) {
            if (node.nodeType !== 1 || !node.classList.contains("announcement")) continue;
            const region = node.parentElement;
            window.heard.push([region.id || Object.keys(region.dataset).join(" "), node.textContent.trim()]);
        }
    }
}).observe(document, { childList: true, subtree: true });
"""


def heard(page: sync_api.Page, region: str) -> list[str]:
    """What the live region (its id, or its data- attribute's name) has said, in order."""
    return [text for where, text in page.evaluate("window.heard") if where == region]


def said_in_order(said: list[str], expected: list[str]) -> bool:
    """Whether each expected phrase was said, each after the one before (others may come between)."""
    log = " ".join(said)
    at = 0
    for phrase in expected:
        at = log.find(phrase, at)
        if at < 0:
            return False
        at += len(phrase)
    return True
