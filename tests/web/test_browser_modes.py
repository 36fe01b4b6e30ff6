"""The browser reads ways of taking part from the page and the room state, never by name."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape
from pathlib import Path

from service.domain.modes import MODE_NAMES
from service.web.mode_labels import modes_for_browser
from tests.api.helpers import make_group, make_session
from tests.web.test_console_pages import add_session, assign
from tests.web.test_signin import PASSWORD, make_facilitator, sign_in

WEB = Path(__file__).resolve().parents[2] / "web"
AS_WORD = re.compile(rf"(?<![\w-])({'|'.join(MODE_NAMES)})(?![\w-])")
QUOTED = re.compile(rf"""["'`]({"|".join(MODE_NAMES)})["'`]""")


def mode_names_in(path: Path, root: Path = WEB) -> list[str]:
    """The lines of a script or template that spell a mode name, as "file:line: text".

    A script may not name a mode at all: it takes a mode's words from `data-modes` and a
    seat's capabilities from room:state. A template's prose may say "speak" (an English word
    too), so there a plain-word name counts only quoted ("speak"), a name with "_" anywhere.
    """
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        words = AS_WORD.findall(line)
        if path.suffix != ".js":
            words = [name for name in words if "_" in name] + QUOTED.findall(line)
        if words:
            found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_no_script_or_template_spells_a_mode_name():
    sources = sorted([*WEB.glob("static/js/**/*.js"), *WEB.glob("templates/**/*.html")])
    assert len(sources) > 20, "the client's sources are where this test looks"
    found = [line for path in sources for line in mode_names_in(path)]
    assert found == [], "mode names in the browser client:\n" + "\n".join(found)


def test_the_check_finds_a_mode_name_in_code_but_not_in_prose(tmp_path):
    script, template = tmp_path / "a.js", tmp_path / "a.html"
    script.write_text('const ok = 1;\nif (seat.mode === "listen_only") hide();\nconst s = { speak: 1 };\n')
    template.write_text('<h2>Waiting to speak</h2>\n<option value="speak">\n<p>camera_off</p>\n')
    assert mode_names_in(script, tmp_path) == [
        'a.js:2: if (seat.mode === "listen_only") hide();',
        "a.js:3: const s = { speak: 1 };",
    ]
    assert mode_names_in(template, tmp_path) == [
        'a.html:2: <option value="speak">',
        "a.html:3: <p>camera_off</p>",
    ]


def data_modes(html: str) -> dict:
    """The page's data-modes attribute, decoded, keeping its key order."""
    (raw,) = re.findall(r'data-modes="([^"]*)"', html)
    return json.loads(unescape(raw))


def test_the_join_page_and_the_console_hand_their_scripts_every_mode_in_the_tables_order(org, client):
    # A group allowing only listening: the room may still show a facilitator's seat, which speaks.
    group = make_group(org.id, allowed_modes=["listen_only"])
    make_session(group)
    join_url = org.post(f"/api/v1/groups/{group.id}/registrations", json={}).json["join_url"]
    join = client.get(join_url.removeprefix("http://hearth.test")).get_data(as_text=True)
    assign(group, make_facilitator(org.id))
    assert sign_in(client, "amira@example.org", PASSWORD).status_code == 302
    session = add_session(group, timedelta(minutes=5))
    console = client.get(f"/facilitator/sessions/{session.id}").get_data(as_text=True)

    for html in (join, console):
        modes = data_modes(html)
        assert modes == modes_for_browser()
        assert list(modes) == list(MODE_NAMES), "loudest first, as the room's menu expects"
        assert modes["listen_only"]["needs_devices"] is False and modes["listen_only"]["sends"] == []
        assert modes["speak"]["sends"] == ["audio", "video"] and modes["speak"]["label"] == "Speak"
