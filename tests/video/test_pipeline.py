import pytest
from django.core.files.storage import default_storage
from django.http import QueryDict

from mediateka.catalogue.models import CatalogueState, Status
from mediateka.search.query import search
from mediateka.video import pipeline
from mediateka.video.models import Encoding, Video

from . import factories


@pytest.fixture
def small_clip(clip):
    return clip("pipeline.mp4", seconds=5, width=640, height=360, audio="stereo")


@pytest.mark.full_ladder
def test_pipeline_publishes_a_complete_encoding_with_rungs_and_downloads(transactional_db, small_clip):
    # Committed for real, as the worker does: publishing sends films_changed after its commit.
    film = factories.film()
    version = CatalogueState.objects.get().version
    assert search("sample film", QueryDict("spoken=tg")).total == 0
    video = factories.encoded_video(film, small_clip)
    assert search("sample film", QueryDict("spoken=tg")).total == 1  # the index knows it plays, in Tajik
    assert CatalogueState.objects.get().version != version  # cached API answers are stale
    encoding = video.current_encoding
    assert video.status == Video.Status.READY and video.progress == 100
    assert encoding.state == Encoding.State.COMPLETE
    assert {r.name for r in encoding.rungs.all()} == {"144p", "240p", "360p", "audio"}
    for rung in encoding.rungs.all():
        assert default_storage.exists(encoding.path(rung.playlist))
        assert rung.bytes > 0
    for name in (encoding.master_playlist, encoding.poster, encoding.thumbnail, encoding.download):
        assert default_storage.exists(encoding.path(name))
    assert (video.width, video.height, round(video.duration)) == (640, 360, 5)


def test_running_the_job_again_does_not_encode_twice(playable):
    video = playable(factories.film())
    assert pipeline.process(video.pk) == "already encoded"
    assert Encoding.objects.filter(video=video).count() == 1


def test_reencode_replaces_the_encoding_by_a_pointer_flip(playable, settings):
    settings.MEDIATEKA_SUPERSEDED_GRACE_SECONDS = 0
    video = playable(factories.film())
    old = video.current_encoding
    assert pipeline.process(video.pk, force=True) == "encoded"
    video.refresh_from_db()
    assert video.current_encoding_id != old.pk
    assert video.current_encoding.prefix != old.prefix
    # the replaced encoding is swept on the next run, never while it is still the current one
    pipeline.sweep()
    assert not Encoding.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old.path(old.master_playlist))
    assert default_storage.exists(video.current_encoding.path(video.current_encoding.master_playlist))


def test_a_failed_encode_leaves_the_previous_encoding_playing(playable, encoded_film, tmp_path):
    video = playable(factories.film())
    playing = video.current_encoding_id
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(encoded_film.source.read_bytes()[:3000])
    replacement = factories.video_with_original(factories.film("other"), broken)
    Video.objects.filter(pk=video.pk).update(original=replacement.original, sha256="0" * 64)
    assert "unreadable or truncated" in pipeline.process(video.pk)
    video.refresh_from_db()
    assert video.status == Video.Status.FAILED
    assert "unreadable or truncated" in video.error
    assert video.current_encoding_id == playing


def test_a_file_that_is_not_a_video_is_refused_with_its_reason_on_record(db, tmp_path):
    fake = tmp_path / "notes.mp4"
    fake.write_text("this is a text file pretending to be a video\n" * 50)
    video = factories.video_with_original(factories.film(status=Status.DRAFT), fake)
    reason = pipeline.process(video.pk)
    video.refresh_from_db()
    assert video.status == Video.Status.FAILED
    assert video.error == reason
    assert "unreadable" in reason or "does not match" in reason
    assert video.current_encoding is None
    assert not Encoding.objects.filter(video=video).exists()


def test_unfinished_encodings_are_swept_but_the_playing_one_stays(playable):
    video = playable(factories.film())
    half = Encoding.objects.create(video=video)
    default_storage.save(half.path("master.m3u8"), __import__("io").BytesIO(b"#EXTM3U\n"))
    assert pipeline.sweep() == 1
    assert not default_storage.exists(half.path("master.m3u8"))
    assert Encoding.objects.filter(pk=video.current_encoding_id).exists()
