"""The SDP send check: which media an offer or answer would send."""

from __future__ import annotations

import pytest

from service.rooms.sdp import sent_media

SESSION = """v=0
o=- 4611731400430051336 2 IN IP4 127.0.0.1
s=-
t=0 0
a=group:BUNDLE 0 1 2
a=extmap-allow-mixed
a=msid-semantic: WMS 3b6e2a1c-6f5e-4d2e-9a43-2b7c1d6f0e11
"""

FINGERPRINT = (
    "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:"
    "DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08"
)

AUDIO = """m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
c=IN IP4 0.0.0.0
a=rtcp:9 IN IP4 0.0.0.0
a=ice-ufrag:Hx7p
a=ice-pwd:p1hXk9zQ0b2xqv3Lw4M5n6o7
a=ice-options:trickle
{fingerprint}
a=setup:actpass
a=mid:0
a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
a={direction}
{msid}a=rtcp-mux
a=rtpmap:111 opus/48000/2
a=rtcp-fb:111 transport-cc
a=fmtp:111 minptime=10;useinbandfec=1
a=rtpmap:126 telephone-event/8000
"""

VIDEO = """m=video {port} UDP/TLS/RTP/SAVPF 96 97 102 103
c=IN IP4 0.0.0.0
a=rtcp:9 IN IP4 0.0.0.0
a=ice-ufrag:Hx7p
a=ice-pwd:p1hXk9zQ0b2xqv3Lw4M5n6o7
a=setup:actpass
a=mid:1
a={direction}
{msid}a=rtcp-mux
a=rtcp-rsize
a=rtpmap:96 VP8/90000
a=rtcp-fb:96 nack pli
a=rtpmap:97 rtx/90000
a=fmtp:97 apt=96
"""

DATA = """m=application 9 UDP/DTLS/SCTP webrtc-datachannel
c=IN IP4 0.0.0.0
a=ice-ufrag:Hx7p
a=ice-pwd:p1hXk9zQ0b2xqv3Lw4M5n6o7
a=setup:actpass
a=mid:2
a=sctp-port:5000
a=max-message-size:262144
"""

MSID = "a=msid:3b6e2a1c-6f5e-4d2e-9a43-2b7c1d6f0e11 {track}\n"


def offer(audio: str = "sendrecv", video: str = "sendrecv", video_port: int = 9, crlf: bool = True) -> str:
    """A Chrome-like offer; a track's a=msid appears only where the section sends, as Chrome does."""

    def msid(direction: str, track: str) -> str:
        return MSID.format(track=track) if direction in ("sendrecv", "sendonly") else ""

    text = (
        SESSION
        + AUDIO.format(direction=audio, msid=msid(audio, "a1"), fingerprint=FINGERPRINT)
        + VIDEO.format(direction=video, port=video_port, msid=msid(video, "v1"))
        + DATA
    )
    return text.replace("\n", "\r\n") if crlf else text


def test_camera_and_microphone_send_both():
    assert sent_media(offer()) == {"audio", "video"}


def test_listen_only_sends_nothing():
    assert sent_media(offer(audio="recvonly", video="recvonly")) == set()


def test_camera_off_sends_audio_only():
    assert sent_media(offer(audio="sendrecv", video="recvonly")) == {"audio"}


def test_sendonly_counts_as_sending():
    assert sent_media(offer(audio="recvonly", video="sendonly")) == {"video"}


def test_inactive_sends_nothing():
    assert sent_media(offer(audio="inactive", video="inactive")) == set()


def test_port_zero_section_is_rejected():
    assert sent_media(offer(video_port=0)) == {"audio"}


def test_port_zero_bundle_only_section_still_sends():
    text = offer(video_port=0, crlf=False).replace("a=mid:1\n", "a=mid:1\na=bundle-only\n")
    assert sent_media(text) == {"audio", "video"}


def test_lf_and_crlf_read_the_same():
    for audio, video in [("sendrecv", "recvonly"), ("recvonly", "recvonly"), ("sendonly", "sendrecv")]:
        assert sent_media(offer(audio, video, crlf=False)) == sent_media(offer(audio, video, crlf=True))


def test_direction_defaults_to_session_level_then_sendrecv():
    without_media_direction = offer(crlf=False).replace("a=sendrecv\n", "")
    assert sent_media(without_media_direction) == {"audio", "video"}
    session_recvonly = without_media_direction.replace("t=0 0\n", "t=0 0\na=recvonly\n")
    assert sent_media(session_recvonly) == set()
    media_overrides_session = session_recvonly.replace("a=mid:0\n", "a=mid:0\na=sendonly\n")
    assert sent_media(media_overrides_session) == {"audio"}


def test_several_sections_of_one_kind():
    second_audio = AUDIO.format(direction="sendonly", msid="", fingerprint=FINGERPRINT).replace(
        "a=mid:0", "a=mid:3"
    )
    text = offer(audio="recvonly", video="recvonly", crlf=False) + second_audio
    assert sent_media(text) == {"audio"}


def test_conflicting_directions_count_as_sending():
    text = offer(audio="recvonly", video="recvonly", crlf=False).replace("a=mid:0\n", "a=mid:0\na=sendrecv\n")
    assert sent_media(text) == {"audio"}


def test_data_channel_only():
    assert sent_media(SESSION + DATA) == set()


@pytest.mark.parametrize(
    "text",
    ["", "hello", "o=- 1 2 IN IP4 127.0.0.1\nm=audio 9 RTP/AVP 0\n", "v=1\nm=audio 9 RTP/AVP 0\n"],
)
def test_not_an_sdp(text):
    with pytest.raises(ValueError):
        sent_media(text)


@pytest.mark.parametrize("m_line", ["m=audio", "m=audio nine UDP/TLS/RTP/SAVPF 111"])
def test_malformed_media_line(m_line):
    with pytest.raises(ValueError):
        sent_media(SESSION + m_line + "\n")
