"""A new file for a version that plays: the old original and what it says about the film stay until
the new encoding is published by the pointer flip; only then is the old original deleted."""

import json
import re
from types import SimpleNamespace

import pytest
from django.core.files.storage import default_storage

from mediateka.video import originals, pipeline
from mediateka.video.ladder_run import EncodeError
from mediateka.video.models import Encoding, Upload, Video

from . import factories
from .tus import finish, upload

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def _no_api_cache(settings):
    settings.MEDIATEKA_API_CACHE = False


def _described(client, slug: str) -> dict:
    """What the API and the film page's JSON-LD say about the film's one version."""
    (version,) = client.get(f"/api/v1/films/{slug}").json()["result"]["versions"]
    (block,) = LD.findall(client.get(f"/en/films/{slug}/").content.decode())
    ld = json.loads(block)
    return {
        "api": (round(version["duration"], 1), version["width"], version["height"]),
        "json_ld": (ld["duration"], ld["width"], ld["height"]),
    }


def _accept(client, film, path, django_capture_on_commit_callbacks) -> Upload:
    item = upload(client, film, path.read_bytes(), name=path.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert finish(item) == "accepted"
    return Upload.objects.get(pk=item.pk)


def test_a_replacement_keeps_the_playing_original_and_its_metadata_until_its_encoding_is_published(
    client, editor_client, clip, playable, encoded_film, monkeypatch, django_capture_on_commit_callbacks
):
    film = factories.film("replaced-film")
    video = playable(film)  # the test run's encoded film: 12 s, 320x240
    playing, old_original = video.current_encoding_id, video.original
    before = _described(client, film.slug)
    assert before["api"] == (12.0, 320, 240)

    # A replacement whose encode fails: the version goes on playing and describing its old file.
    first = _accept(
        editor_client,
        film,
        clip("first.mp4", seconds=2, width=160, height=120),
        django_capture_on_commit_callbacks,
    )
    video.refresh_from_db()
    assert (video.original, video.pending_original) == (old_original, first.stored_as)

    def ffmpeg_dies(*args, **kwargs):
        raise EncodeError("FFmpeg stopped (signal 9).")

    monkeypatch.setattr(pipeline, "run_ladder", ffmpeg_dies)
    with pytest.raises(pipeline.EncodeFailed, match=r"FFmpeg stopped \(signal 9\)"):
        pipeline.process(video.pk)
    video.refresh_from_db()
    assert video.status == Video.Status.FAILED and video.current_encoding_id == playing
    assert video.original == old_original and default_storage.exists(old_original)
    assert (video.duration, video.width, video.height) == (pytest.approx(12, abs=0.1), 320, 240)
    assert video.original_size == encoded_film.source.stat().st_size
    assert _described(client, film.slug) == before
    assert default_storage.exists(first.stored_as)  # kept for a retry

    # A second replacement before any has played: the first one's file goes, the playing one stays.
    monkeypatch.undo()
    second_clip = clip("second.mp4", seconds=2, width=176, height=144)
    second = _accept(editor_client, film, second_clip, django_capture_on_commit_callbacks)
    video.refresh_from_db()
    assert (video.original, video.pending_original) == (old_original, second.stored_as)
    assert not default_storage.exists(first.stored_as)
    assert default_storage.exists(old_original)
    assert _described(client, film.slug) == before

    # Its encode succeeds: the pointer flip brings the new file, its metadata, and the old one goes.
    with django_capture_on_commit_callbacks(execute=True):
        assert pipeline.process(video.pk) == "encoded"
    video.refresh_from_db()
    assert video.current_encoding_id != playing and video.status == Video.Status.READY
    assert (video.original, video.pending_original) == (second.stored_as, "")
    assert (video.original_name, video.original_size) == ("second.mp4", second_clip.stat().st_size)
    assert (video.duration, video.width, video.height) == (pytest.approx(2, abs=0.1), 176, 144)
    assert not default_storage.exists(old_original)
    assert default_storage.exists(second.stored_as)
    after = _described(client, film.slug)
    assert after["api"] == (2.0, 176, 144) and after["json_ld"][1:] == (176, 144)
    assert after["json_ld"] != before["json_ld"]


def test_a_refused_replacement_leaves_the_playing_version_as_it_was(editor_client, db, tmp_path):
    film = factories.film("kept-film")
    source = tmp_path / "playing.mp4"
    source.write_bytes(b"the bytes that play")
    video = factories.video_with_original(film, source)
    encoding = factories.stored_encoding(video, tmp_path / "tree")
    Encoding.objects.filter(pk=encoding.pk).update(source_sha256=video.sha256)
    Video.objects.filter(pk=video.pk).update(status=Video.Status.READY, duration=95.0, width=640, height=360)
    kept = Video.objects.values().get(pk=video.pk)

    item = upload(editor_client, film, b"a text file, not a film\n" * 40, name="new.mp4")
    reason = finish(item)
    assert Upload.objects.get(pk=item.pk).reason == reason
    assert Video.objects.values().get(pk=video.pk) == kept
    assert default_storage.exists(video.original)


def test_an_encoding_of_a_file_replaced_while_it_ran_is_not_published(db, tmp_path):
    film = factories.film("overtaken")
    source = tmp_path / "a.mp4"
    source.write_bytes(b"version a")
    video = factories.video_with_original(film, source)
    playing = factories.stored_encoding(video, tmp_path / "tree")
    Encoding.objects.filter(pk=playing.pk).update(source_sha256=video.sha256)
    Video.objects.filter(pk=video.pk).update(
        pending_original="originals/b/source.mp4", pending_sha256="b" * 64
    )
    video.refresh_from_db()
    # An encode of file b started; c arrives while it runs.
    overtaken = Encoding.objects.create(video=video, source_sha256="b" * 64)
    Video.objects.filter(pk=video.pk).update(
        pending_original="originals/c/source.mp4", pending_sha256="c" * 64
    )
    found = SimpleNamespace(
        duration=2.0,
        width=176,
        height=144,
        frame_rate=25.0,
        video_codec="h264",
        audio_codec="aac",
        rotation=0,
        audio_channels=2,
    )
    assert originals.published(video, overtaken, found) is None
    # c's own encoding is published, with c as the original and what was measured in it.
    fields = originals.published(video, Encoding.objects.create(video=video, source_sha256="c" * 64), found)
    assert (fields["original"], fields["sha256"], fields["pending_original"]) == (
        "originals/c/source.mp4",
        "c" * 64,
        "",
    )
    assert (fields["duration"], fields["width"], fields["height"]) == (2.0, 176, 144)
