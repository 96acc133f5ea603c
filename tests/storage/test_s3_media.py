"""The video pipeline on object storage (a real S3 server process): the same code as on disk.

Public films' media are public-read objects that players fetch from the bucket (or the CDN in
front of it); drafts' objects are private and reach a browser only through Django's signed path.
"""

import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from mediateka.catalogue.models import Film, Status
from mediateka.video import access, pipeline
from mediateka.video.models import CaptionTrack, Encoding
from mediateka.video.playback import versions_of
from tests.video import factories


def _anonymous_get(url: str) -> tuple[int, dict, bytes]:
    """A GET without credentials, as a browser or a CDN fetches a public object; header names lowered."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the test's own server
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {}, b""


def _bucket_url(path: str) -> str:
    return default_storage.url(path)


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _keys(bucket, prefix: str) -> list[str]:
    name, client = bucket
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=name, Prefix=prefix)
    return [entry["Key"] for page in pages for entry in page.get("Contents", ())]


def _segment(encoding: Encoding) -> str:
    rung = encoding.rungs.get(name="144p")
    folder = encoding.path(rung.playlist).rsplit("/", 1)[0]
    return f"{folder}/{next(n for n in default_storage.listdir(folder)[1] if n.endswith('.m4s'))}"


def _set_status(film: Film, status: str, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        film.status = status
        film.save()


@pytest.fixture
def published(db, bucket, clip):
    return factories.encoded_video(factories.film(), clip("s3.mp4", seconds=3))


def test_pipeline_stores_the_encoding_in_the_bucket_and_the_public_film_plays_from_it(
    published, bucket, settings, s3_server
):
    encoding = published.current_encoding
    assert encoding.state == Encoding.State.COMPLETE
    keys = _keys(bucket, f"encodings/{encoding.prefix}/")
    assert encoding.path(encoding.master_playlist) in keys
    assert all(encoding.path(rung.playlist) in keys for rung in encoding.rungs.all())
    for rung in encoding.rungs.all():
        folder = encoding.path(rung.playlist).rsplit("/", 1)[0]
        assert any(key.startswith(folder) and key.endswith(".m4s") for key in keys), rung.name
    assert not (settings.MEDIA_ROOT / "encodings").exists()  # nothing went to the local disk
    name, client = bucket
    head = client.head_object(Bucket=name, Key=_segment(encoding))
    assert head["ContentType"] == "video/iso.segment"
    assert head["CacheControl"] == "public, max-age=31536000, immutable"

    # Published: the player fetches straight from the bucket; the original stays private.
    version = versions_of(published.film)[0]
    assert version.master_url.startswith(s3_server)  # the player fetches from the bucket, not Django
    status, headers, body = _anonymous_get(access.public_url(_segment(encoding)))
    assert status == 200 and body
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    master_status, _, master = _anonymous_get(version.master_url)
    assert master_status == 200 and b"#EXT-X-STREAM-INF" in master
    assert _anonymous_get(_bucket_url(published.original))[0] == 403


def test_draft_segment_is_refused_without_a_valid_signature_on_s3(
    published, client, django_capture_on_commit_callbacks
):
    film, encoding = published.film, published.current_encoding
    path = _segment(encoding)
    _set_status(film, Status.DRAFT, django_capture_on_commit_callbacks)

    assert _anonymous_get(_bucket_url(path))[0] == 403  # the bucket no longer hands it out
    assert _anonymous_get(_bucket_url(encoding.path(encoding.master_playlist)))[0] == 403
    assert client.get(f"/media/{path}").status_code == 404
    signed = access.sign(path)
    assert signed.startswith("/media/s/")
    response = client.get(signed)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert _content(response) == default_storage.open(path, "rb").read()
    tampered = signed.replace("/media/s/", "/media/s/1").replace("-", "-x", 1)
    assert client.get(tampered).status_code == 404
    expired = int(time.time()) - 1
    token = f"{expired}-{access._signature(access.scope_of(path), expired)}"
    assert client.get(f"/media/s/{token}/{path}").status_code == 404

    _set_status(film, Status.PUBLISHED, django_capture_on_commit_callbacks)
    assert _anonymous_get(_bucket_url(path))[0] == 200


def test_an_encoding_made_for_a_draft_is_private_and_served_in_ranges_through_django(
    db, bucket, clip, client
):
    video = factories.encoded_video(factories.film("draft-film", Status.DRAFT), clip("s3.mp4", seconds=3))
    encoding = video.current_encoding
    download = encoding.path(encoding.download)
    assert _anonymous_get(_bucket_url(download))[0] == 403
    assert versions_of(video.film)[0].master_url.startswith("/media/s/")
    whole = default_storage.open(download, "rb").read()
    part = client.get(access.sign(download), HTTP_RANGE="bytes=100-1099")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-1099/{len(whole)}"
    assert _content(part) == whole[100:1100]
    assert _content(client.get(access.sign(download), HTTP_RANGE="bytes=-10")) == whole[-10:]


@pytest.fixture
def video(db, bucket, clip):
    return factories.video_with_original(factories.film(), clip("s3.mp4", seconds=3))


def test_sweeping_a_replaced_encoding_deletes_its_objects(video, bucket, settings, tmp_path):
    old = factories.stored_encoding(video, tmp_path)
    Encoding.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(hours=2))
    new = factories.stored_encoding(video, tmp_path)
    assert len(_keys(bucket, f"encodings/{old.prefix}/")) == 3
    pipeline.sweep()
    assert _keys(bucket, f"encodings/{old.prefix}/") == []
    assert not Encoding.objects.filter(pk=old.pk).exists()
    assert len(_keys(bucket, f"encodings/{new.prefix}/")) == 3


def test_store_tree_gives_a_public_films_new_objects_public_read(video, tmp_path):
    encoding = factories.stored_encoding(video, tmp_path, current=False)
    status, headers, body = _anonymous_get(_bucket_url(encoding.path("144p/seg_00001.m4s")))
    assert status == 200 and len(body) == 2048
    assert headers["content-type"] == "video/iso.segment"


def test_a_caption_saved_for_a_public_film_becomes_public_read(video, django_capture_on_commit_callbacks):
    name = default_storage.save("captions/cap-prefix-1/tg-subtitles.vtt", ContentFile(b"WEBVTT\n"))
    assert _anonymous_get(_bucket_url(name))[0] == 403
    with django_capture_on_commit_callbacks(execute=True):
        CaptionTrack.objects.create(video=video, language="tg", file=name, cue_count=0)
    status, headers, body = _anonymous_get(_bucket_url(name))
    assert status == 200 and body == b"WEBVTT\n"
    assert headers["content-type"].startswith("text/vtt")


def test_sync_media_acl_repairs_a_status_changed_behind_the_models_back(video, tmp_path):
    path = factories.stored_encoding(video, tmp_path).path("144p/seg_00001.m4s")
    Film.objects.filter(pk=video.film_id).update(status=Status.DRAFT)  # no signal is sent
    assert _anonymous_get(_bucket_url(path))[0] == 200
    call_command("sync_media_acl", verbosity=0)
    assert _anonymous_get(_bucket_url(path))[0] == 403


def test_deleting_a_film_makes_its_objects_private(video, tmp_path, django_capture_on_commit_callbacks):
    path = factories.stored_encoding(video, tmp_path).path("144p/seg_00001.m4s")
    assert _anonymous_get(_bucket_url(path))[0] == 200
    with django_capture_on_commit_callbacks(execute=True):
        video.film.delete()
    assert _anonymous_get(_bucket_url(path))[0] == 403
