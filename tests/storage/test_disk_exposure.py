"""Media on disk: public films' folders are linked into the tree the front server serves itself.

The links are the disk's counterpart of public-read objects in a bucket (test_s3_media): made when
an encoding is stored for a public film, a caption is saved or a film is published; removed when
the film stops being public or goes; repaired by `sync_media_acl`, and after a restore.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from mediateka.catalogue.models import Film, Status
from mediateka.video import pipeline
from mediateka.video.models import CaptionTrack, Encoding, Video
from tests.video import factories


def _public(name: str) -> Path:
    """Where the front server looks for /media/<name>."""
    return Path(settings.MEDIATEKA_PUBLIC_MEDIA_DIR) / "media" / name


def _stored_encoding(video: Video, scratch) -> Encoding:
    return factories.stored_encoding(video, scratch, segment=b"\1" * 2048)


def _segment(encoding: Encoding) -> str:
    return encoding.path("144p/seg_00001.m4s")


def _set_status(film: Film, status: str, callbacks) -> None:
    with callbacks(execute=True):
        film.status = status
        film.save()


@pytest.fixture
def video(db, clip):
    return factories.video_with_original(factories.film(), clip("disk.mp4", seconds=3))


def test_a_public_films_encoding_is_linked_and_reads_through_the_link(video, tmp_path):
    encoding = _stored_encoding(video, tmp_path)
    link = _public(encoding.storage_dir)
    assert link.is_symlink()
    assert link.resolve() == Path(default_storage.path(encoding.storage_dir)).resolve()
    assert _public(_segment(encoding)).read_bytes() == b"\1" * 2048


def test_a_drafts_encoding_is_never_linked(db, clip, tmp_path):
    draft = factories.video_with_original(factories.film("draft", Status.DRAFT), clip("disk.mp4", seconds=3))
    encoding = _stored_encoding(draft, tmp_path)
    assert default_storage.exists(_segment(encoding))
    assert not _public(encoding.storage_dir).exists()
    assert not _public(_segment(encoding)).exists()


def test_unpublishing_removes_the_link_and_publishing_brings_it_back(
    video, tmp_path, django_capture_on_commit_callbacks
):
    encoding = _stored_encoding(video, tmp_path)
    _set_status(video.film, Status.DRAFT, django_capture_on_commit_callbacks)
    assert not _public(encoding.storage_dir).exists()
    assert default_storage.exists(_segment(encoding))  # the files themselves stay
    _set_status(video.film, Status.PUBLISHED, django_capture_on_commit_callbacks)
    assert _public(_segment(encoding)).exists()


def test_a_caption_saved_for_a_public_film_is_linked(video, django_capture_on_commit_callbacks):
    name = default_storage.save("captions/cap-prefix-1/tg-subtitles.vtt", ContentFile(b"WEBVTT\n"))
    assert not _public(name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        CaptionTrack.objects.create(video=video, language="tg", file=name, cue_count=0)
    assert _public(name).read_bytes() == b"WEBVTT\n"


def test_deleting_a_film_removes_its_links(video, tmp_path, django_capture_on_commit_callbacks):
    encoding = _stored_encoding(video, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        video.film.delete()
    assert not _public(encoding.storage_dir).exists()


def test_sweeping_a_replaced_encoding_removes_its_link(video, tmp_path, django_capture_on_commit_callbacks):
    old = _stored_encoding(video, tmp_path)
    Encoding.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(hours=2))
    new = _stored_encoding(video, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.sweep()
    assert not _public(old.storage_dir).exists()
    assert _public(_segment(new)).exists()


def test_sync_media_acl_repairs_links_after_changes_behind_the_models_back(video, tmp_path):
    encoding = _stored_encoding(video, tmp_path)
    Film.objects.filter(pk=video.film_id).update(status=Status.DRAFT)  # no signal is sent
    assert _public(encoding.storage_dir).exists()
    call_command("sync_media_acl", verbosity=0)
    assert not _public(encoding.storage_dir).exists()
    Film.objects.filter(pk=video.film_id).update(status=Status.PUBLISHED)
    call_command("sync_media_acl", verbosity=0)
    assert _public(_segment(encoding)).exists()


def test_relinking_replaces_a_stale_link_in_place(video, tmp_path):
    encoding = _stored_encoding(video, tmp_path)
    link = _public(encoding.storage_dir)
    link.unlink()
    link.symlink_to(tmp_path, target_is_directory=True)  # e.g. a data dir restored elsewhere
    call_command("sync_media_acl", verbosity=0)
    assert link.resolve() == Path(default_storage.path(encoding.storage_dir)).resolve()
    assert [p.name for p in link.parent.iterdir()] == [link.name]  # no staging link left behind
