import time

import pytest

from mediateka.catalogue.models import Film, Status
from mediateka.video import access

from . import factories


@pytest.fixture
def encoded(playable):
    return playable(factories.film())


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _segment(encoding) -> str:
    rung = encoding.rungs.get(name="144p")
    playlist = encoding.path(rung.playlist)
    folder = playlist.rsplit("/", 1)[0]
    from django.core.files.storage import default_storage

    name = next(n for n in default_storage.listdir(folder)[1] if n.endswith(".m4s"))
    return f"{folder}/{name}"


def test_public_film_media_are_served_with_types_and_long_cache(client, encoded):
    encoding = encoded.current_encoding
    master = client.get(access.public_url(encoding.path(encoding.master_playlist)))
    assert master.status_code == 200
    assert master["Content-Type"] == "application/vnd.apple.mpegurl"
    assert "immutable" in master["Cache-Control"]
    assert b"#EXT-X-STREAM-INF" in _content(master)
    segment = client.get(access.public_url(_segment(encoding)))
    assert segment["Content-Type"] == "video/iso.segment"
    assert client.get(access.public_url(encoding.path(encoding.poster)))["Content-Type"] == "image/jpeg"
    assert client.get(access.public_url(encoding.path(encoding.download)))["Content-Type"] == "video/mp4"


def test_range_requests_get_206_and_unsatisfiable_ones_416(client, encoded):
    url = access.public_url(encoded.current_encoding.path(encoded.current_encoding.download))
    whole = _content(client.get(url))
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert _content(part) == whole[100:200]
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and _content(tail) == whole[-10:]
    open_ended = client.get(url, HTTP_RANGE=f"bytes={len(whole) - 5}-")
    assert _content(open_ended) == whole[-5:]
    refused = client.get(url, HTTP_RANGE=f"bytes={len(whole) + 10}-")
    assert refused.status_code == 416
    assert refused["Content-Range"] == f"bytes */{len(whole)}"
    assert client.get(url, HTTP_RANGE="bytes=oops").status_code == 200


def test_draft_segment_is_refused_without_a_valid_signature(client, encoded):
    Film.objects.filter(pk=encoded.film_id).update(status=Status.DRAFT)
    path = _segment(encoded.current_encoding)
    assert client.get(access.public_url(path)).status_code == 404
    signed = access.sign(path)
    response = client.get(signed)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    tampered = signed.replace("/media/s/", "/media/s/1").replace("-", "-x", 1)
    assert client.get(tampered).status_code == 404
    other_scope = signed.replace(encoded.current_encoding.prefix, "A" * len(encoded.current_encoding.prefix))
    assert client.get(other_scope).status_code == 404


def test_expired_signature_is_refused(client, encoded):
    Film.objects.filter(pk=encoded.film_id).update(status=Status.DRAFT)
    path = _segment(encoded.current_encoding)
    expired = int(time.time()) - 1
    token = f"{expired}-{access._signature(access.scope_of(path), expired)}"
    assert client.get(f"/media/s/{token}/{path}").status_code == 404


def test_signed_playlist_links_resolve_under_the_signed_path(client, encoded):
    Film.objects.filter(pk=encoded.film_id).update(status=Status.DRAFT)
    encoding = encoded.current_encoding
    master_url = access.sign(encoding.path(encoding.master_playlist))
    master = _content(client.get(master_url)).decode()
    first_variant = next(line for line in master.splitlines() if line and not line.startswith("#"))
    variant_url = master_url.rsplit("/", 1)[0] + "/" + first_variant
    assert client.get(variant_url).status_code == 200


@pytest.mark.parametrize(
    "path", ["originals/test/sample-film-tg.mp4", "encodings/../secret_key", "secret_key", "encodings/x"]
)
def test_originals_and_other_files_are_never_served(client, encoded, path):
    assert client.get(f"/media/{path}").status_code == 404


def test_archived_films_media_are_not_served(client, encoded):
    Film.objects.filter(pk=encoded.film_id).update(status=Status.ARCHIVED)
    encoding = encoded.current_encoding
    assert client.get(access.public_url(encoding.path(encoding.master_playlist))).status_code == 404


def test_behind_nginx_the_bytes_are_handed_over_with_x_accel_redirect(client, encoded, settings):
    settings.MEDIATEKA_ACCEL_REDIRECT = "/protected-media/"
    encoding = encoded.current_encoding
    path = encoding.path(encoding.master_playlist)
    response = client.get(access.public_url(path))
    assert response["X-Accel-Redirect"] == f"/protected-media/{path}"
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    assert response.content == b""
    Film.objects.filter(pk=encoded.film_id).update(status=Status.DRAFT)
    assert client.get(access.public_url(path)).status_code == 404
