from tests.browser.room_helpers import Host, get_ready, in_room


def test_smoke(make_circle, open_page, sign_in):
    circle = make_circle(participants=2)
    fac = open_page()
    sign_in(fac, circle)
    host = Host(fac, circle.session_id)
    assert host.send("room:open") == {"ok": True}
    a, b = open_page(), open_page()
    errors = []
    for p in (a, b):
        p.on("pageerror", lambda e: errors.append(str(e)))
        p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    get_ready(a, circle.join_links[0], "Sam", "speak", check_in=3)
    get_ready(b, circle.join_links[1], "Ari", "camera_off")
    host.admit_all()
    in_room(a)
    in_room(b)
    a.wait_for_timeout(4000)
    a.screenshot(path="/tmp/w1-a.png", full_page=True)
    from tests.browser.room_helpers import stats
    print(stats(a, "inbound-rtp"), stats(b, "inbound-rtp"), stats(b, "outbound-rtp"))
    print(errors)
    assert not errors
