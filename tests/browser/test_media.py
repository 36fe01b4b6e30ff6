"""Real WebRTC between browsers: what each way of taking part sends, and who is heard."""

from __future__ import annotations

import time
import uuid

import pytest

from service.extensions import db
from service.models import Group
from tests.browser.helpers import Circle, sign_in
from tests.browser.room_helpers import (
    COUNT_DEVICE_REQUESTS,
    PLAYED,
    SENDERS,
    Host,
    get_ready,
    in_room,
    seat_named,
    stats,
)

pytestmark = pytest.mark.slow


OPEN_CONNECTIONS = "async () => (await import('/static/js/room/media.js')).connections().size"


def wait_until(check, timeout: float = 15.0, every: float = 0.3):
    """The first truthy result of `check()`, or an AssertionError with the last result."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout}s: {check.__doc__ or check}")
        time.sleep(every)


def inbound(page, seat_id: str, kind: str = "audio") -> int:
    return stats(page, "inbound-rtp").get(seat_id, {}).get(kind, 0)


def rising(page, seat_id: str, kind: str = "audio") -> bool:
    """Whether the bytes of `kind` received from `seat_id` keep growing."""
    first = wait_until(lambda: inbound(page, seat_id, kind))
    return wait_until(lambda: inbound(page, seat_id, kind) > first)


def room_with(
    make_circle,
    open_page,
    people: list[tuple[str, str]],
    init_script: str | None = None,
    circle: Circle | None = None,
    **group,
):
    """A facilitator and participants (name, mode) admitted into the open room (`group`: make_circle's).

    `circle` is one made already (with a join link per person); else one is made.
    """
    circle = circle or make_circle(participants=len(people), **group)
    host_page = open_page()
    sign_in(host_page, circle)
    host = Host(host_page, circle.session_id)
    assert host.send("room:open") == {"ok": True}
    pages = []
    for link, (name, mode) in zip(circle.join_links, people, strict=True):
        page = open_page()
        if init_script:
            page.add_init_script(init_script)
        get_ready(page, link, name, mode)
        pages.append(page)
    host.admit_all()
    for page in pages:
        in_room(page)
    return host, pages


def test_audio_flows_between_two_speakers(make_circle, open_page):
    host, (sam, ari) = room_with(make_circle, open_page, [("Sam", "speak"), ("Ari", "speak")])
    sam_seat, ari_seat = seat_named(host, "Sam")["seat_id"], seat_named(host, "Ari")["seat_id"]
    assert rising(ari, sam_seat)
    assert rising(sam, ari_seat)
    assert sam.evaluate(PLAYED, ari_seat) and ari.evaluate(PLAYED, sam_seat)


def test_listen_only_publishes_nothing_and_is_never_asked_for_devices(make_circle, open_page):
    host, (lee, sam) = room_with(
        make_circle,
        open_page,
        [("Lee", "listen_only"), ("Sam", "speak")],
        init_script=COUNT_DEVICE_REQUESTS,
    )
    sam_seat, lee_seat = seat_named(host, "Sam")["seat_id"], seat_named(host, "Lee")["seat_id"]
    assert rising(lee, sam_seat), "the listener hears the speaker"
    assert lee.evaluate("window.deviceRequests") == 0
    assert sam.evaluate("window.deviceRequests") >= 1
    sent = stats(lee, "outbound-rtp")
    assert sent and all(kinds == {} for kinds in sent.values()), sent
    assert lee.evaluate(SENDERS) == []
    assert stats(sam, "inbound-rtp").get(lee_seat, {}) == {}
    assert lee.locator(f"[data-seat='{lee_seat}'] .badge", has_text="Listening").is_visible()


def test_camera_off_sends_audio_but_no_video(make_circle, open_page):
    host, (cam, sam) = room_with(make_circle, open_page, [("Cam", "camera_off"), ("Sam", "speak")])
    cam_seat = seat_named(host, "Cam")["seat_id"]
    sam_seat = seat_named(host, "Sam")["seat_id"]
    assert rising(sam, cam_seat), "the camera-off person is heard"
    wait_until(lambda: stats(cam, "outbound-rtp").get(sam_seat, {}).get("audio"))
    assert set(stats(cam, "outbound-rtp")[sam_seat]) == {"audio"}
    assert inbound(sam, cam_seat, "video") == 0
    assert sam.locator(f"[data-seat='{cam_seat}'] video").is_hidden()


def test_moving_to_a_quieter_way_and_back_changes_what_is_sent(make_circle, open_page):
    host, (cam, ari) = room_with(
        make_circle,
        open_page,
        [("Cam", "camera_off"), ("Ari", "camera_off")],
        allowed_modes=("camera_off", "listen_only"),
    )
    cam_seat = seat_named(host, "Cam")["seat_id"]
    assert rising(ari, cam_seat)
    menu = cam.locator("[data-mode-select]")
    # Quietest first, and nothing louder than the group allows.
    assert menu.locator("option").all_inner_texts() == ["Listen only", "Camera off"]

    menu.select_option(label="Listen only")
    wait_until(lambda: seat_named(host, "Cam")["mode"] == "listen_only")
    wait_until(lambda: cam.evaluate(SENDERS) == [])
    cam.locator("[data-hand-note]").wait_for()
    assert cam.get_by_role("button", name="Raise my hand").is_hidden()
    assert ari.locator(f"[data-seat='{cam_seat}'] .badge", has_text="Listening").is_visible()

    menu.select_option(label="Camera off")
    wait_until(lambda: seat_named(host, "Cam")["mode"] == "camera_off")
    wait_until(lambda: [s["kind"] for s in cam.evaluate(SENDERS)] == ["audio"])
    assert rising(ari, cam_seat), "heard again"
    assert cam.get_by_role("button", name="Raise my hand").is_visible()


def test_in_talking_piece_mode_only_the_floor_holder_is_heard(make_circle, open_page):
    host, (sam, ari, lee) = room_with(
        make_circle, open_page, [("Sam", "speak"), ("Ari", "speak"), ("Lee", "speak")]
    )
    sam_seat, ari_seat = seat_named(host, "Sam")["seat_id"], seat_named(host, "Ari")["seat_id"]
    assert rising(lee, ari_seat)
    sam.get_by_role("button", name="Raise my hand").click()
    wait_until(lambda: host.state()["hands"] == [sam_seat])
    assert host.send("floor:pass", {}) == {"ok": True, "floor": sam_seat}
    sam.get_by_text("You have the floor. Take your time.").wait_for()

    def played(page, seat_id):
        return page.evaluate(PLAYED, seat_id)

    wait_until(lambda: played(lee, sam_seat) and not played(lee, ari_seat))
    assert played(ari, sam_seat) and not played(sam, ari_seat)
    assert rising(lee, sam_seat), "the holder's sound keeps arriving"
    # The non-holder's own microphone track is off too, to save bandwidth.
    ari_audio = [s["enabled"] for s in ari.evaluate(SENDERS) if s["kind"] == "audio"]
    assert ari_audio and not any(ari_audio)
    sam.get_by_role("button", name="Pass").click()
    wait_until(lambda: played(lee, ari_seat) and played(lee, sam_seat))


def test_a_participant_who_loses_the_connection_comes_back_to_the_same_seat(make_circle, open_page):
    host, pages = room_with(make_circle, open_page, [("Sam", "speak"), ("Ari", "speak")])
    seats = {name: seat_named(host, name)["seat_id"] for name in ("Sam", "Ari")}
    # The one who drops is the side that offers first: the harder way back.
    (name, page), (_, other) = sorted(zip(("Sam", "Ari"), pages, strict=True), key=lambda x: seats[x[0]])
    page.get_by_role("button", name="Raise my hand").click()
    wait_until(lambda: seat_named(host, name)["hand"] == 0)
    page.context.set_offline(True)
    banner = page.locator("[data-reconnecting]")
    banner.wait_for(state="visible")
    wait_until(lambda: seat_named(host, name)["presence"] == "reconnecting")
    page.context.set_offline(False)
    banner.wait_for(state="hidden", timeout=20000)
    after = wait_until(lambda: (s := seat_named(host, name))["presence"] == "connected" and s)
    assert (after["seat_id"], after["hand"], after["where"]) == (seats[name], 0, "room")
    assert page.locator('[data-step="room"]').is_visible()
    assert page.get_by_role("button", name="Raise my hand", pressed=True).is_visible()
    assert rising(other, seats[name]), "the peers negotiated again after the seat came back"


def test_a_reload_in_the_room_comes_back_to_the_same_seat(make_circle, open_page):
    host, (sam, ari) = room_with(make_circle, open_page, [("Sam", "camera_off"), ("Ari", "speak")])
    before = seat_named(host, "Sam")
    sam.reload()
    in_room(sam)
    after = wait_until(lambda: (s := seat_named(host, "Sam"))["presence"] == "connected" and s)
    assert (after["seat_id"], after["mode"], after["where"]) == (before["seat_id"], "camera_off", "room")
    assert rising(ari, before["seat_id"])


def test_a_relaying_room_without_a_turn_server_says_so_and_connects_nobody(
    make_circle, open_page, server_app
):
    circle = make_circle(participants=2)
    # The group chose relaying while TURN was configured; the deployment has none now.
    with server_app.app_context():
        db.session.get(Group, uuid.UUID(circle.group_id)).relay_media = True
        db.session.commit()
    _host, pages = room_with(make_circle, open_page, [("Sam", "speak"), ("Ari", "speak")], circle=circle)
    for page in pages:
        page.locator("[data-relay-unavailable]").wait_for(state="visible", timeout=15000)
    time.sleep(2)
    for page in pages:
        assert page.evaluate(OPEN_CONNECTIONS) == 0, "no peer connection, so no address was offered"
