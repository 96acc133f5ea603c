"""nginx in front, configured by `nginx_config` as on a host: public films' media come from disk
without Django, anything else is Django's decision (a draft's segment only with its signature).

A real nginx process in front of Django's live server; CI installs nginx (.ci/run).
"""

import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from django.core.handlers.wsgi import WSGIHandler

from mediateka.catalogue.models import Status
from mediateka.ops import nginx
from mediateka.video import access
from mediateka.video.models import Encoding
from tests.live import free_port
from tests.ops.nginx_tools import nginx_binary
from tests.video import factories

SEGMENT = b"\2" * 4096


def _get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def _encoding(film, scratch) -> Encoding:
    original = scratch / "original.mp4"  # never read: no encode runs here
    original.parent.mkdir(parents=True)
    original.write_bytes(b"not read")
    return factories.stored_encoding(factories.video_with_original(film, original), scratch, segment=SEGMENT)


@pytest.fixture
def front(live_server, settings, tmp_path):
    """nginx on a free port, proxying to the live server; returns its base URL."""
    binary = nginx_binary()
    # Django's live server answers /media/ from MEDIA_ROOT itself, a convenience for tests that no
    # production server has: give it the bare application, as gunicorn runs it.
    live_server.thread.httpd.set_app(WSGIHandler())
    settings.MEDIATEKA_ACCEL_REDIRECT = "/protected-media/"
    run_dir = tmp_path / "nginx"
    run_dir.mkdir()
    port = free_port()
    upstream = live_server.url.removeprefix("http://")
    conf = run_dir / "nginx.conf"
    conf.write_text(nginx.standalone(run_dir=run_dir, listen=f"127.0.0.1:{port}", upstream=upstream))
    process = subprocess.Popen(
        [binary, "-c", str(conf), "-p", str(run_dir)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"nginx did not start: {process.stderr.read().decode(errors='replace')}")
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_public_segments_come_from_disk_and_drafts_only_through_django_with_a_signature(
    transactional_db, front, tmp_path
):
    film = factories.film("public-film")
    public = _encoding(film, tmp_path / "a")
    draft = _encoding(factories.film("draft-film", Status.DRAFT), tmp_path / "b")
    segment = public.path("144p/seg_00001.m4s")

    status, headers, body = _get(front + access.public_url(segment))
    assert (status, body) == (200, SEGMENT)
    assert headers["content-type"] == "video/iso.segment"
    assert "immutable" in headers["cache-control"]
    assert headers["access-control-allow-origin"] == "*"
    assert "content-security-policy" not in headers  # every Django response has one: nginx alone
    status, headers, body = _get(front + access.public_url(segment), Range="bytes=10-19")
    assert (status, body, headers["content-range"]) == (206, SEGMENT[10:20], f"bytes 10-19/{len(SEGMENT)}")

    draft_segment = draft.path("144p/seg_00001.m4s")
    assert _get(front + access.public_url(draft_segment))[0] == 404
    signed = access.sign(draft_segment)
    status, headers, body = _get(front + signed)
    assert (status, body) == (200, SEGMENT)
    assert headers["cache-control"] == "private, no-store"  # Django's decision, nginx's bytes
    tampered = signed.replace("/s/", "/s/9", 1)
    assert _get(front + tampered)[0] == 404
    assert _get(front + "/media/" + film.videos.get().original)[0] == 404  # originals: never

    film.status = Status.DRAFT
    film.save()  # committed at once (no test transaction here): the link goes on commit
    assert _get(front + access.public_url(segment))[0] == 404
