"""Films with real, encoded videos for the tests: a generated clip sent through the real pipeline."""

import hashlib
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from mediateka.catalogue.models import Film, Status
from mediateka.video import pipeline
from mediateka.video.models import Encoding, Video
from mediateka.video.storage import store_tree


def film(slug: str = "sample-film", status: str = Status.PUBLISHED) -> Film:
    return Film.objects.create(slug=slug, title=slug.replace("-", " ").title(), status=status)


def video_with_original(film: Film, clip: Path, language: str = "tg") -> Video:
    with clip.open("rb") as handle:
        stored = default_storage.save(f"originals/test/{film.slug}-{language}{clip.suffix}", File(handle))
    return Video.objects.create(
        film=film,
        language=language,
        original=stored,
        original_name=clip.name,
        original_size=clip.stat().st_size,
        sha256=hashlib.sha256(clip.read_bytes()).hexdigest(),
        status=Video.Status.UPLOADED,
    )


def stored_encoding(
    video: Video, scratch: Path, *, segment: bytes = b"\0" * 2048, current: bool = True
) -> Encoding:
    """A small finished encoding (master, one 144p playlist, one segment) written by the
    pipeline's store_tree, as an encode leaves it, without running ffmpeg."""
    encoding = Encoding.objects.create(
        video=video, state=Encoding.State.COMPLETE, master_playlist="master.m3u8", finished_at=timezone.now()
    )
    tree = scratch / encoding.prefix
    (tree / "144p").mkdir(parents=True)
    (tree / "master.m3u8").write_text("#EXTM3U\n144p/index.m3u8\n")
    (tree / "144p" / "index.m3u8").write_text("#EXTM3U\nseg_00001.m4s\n")
    (tree / "144p" / "seg_00001.m4s").write_bytes(segment)
    store_tree(tree, encoding.storage_dir)
    if current:
        Video.objects.filter(pk=video.pk).update(current_encoding=encoding)
    return encoding


def encoded_video(film: Film, clip: Path, language: str = "tg") -> Video:
    video = video_with_original(film, clip, language)
    assert pipeline.process(video.pk) == "encoded", Video.objects.get(pk=video.pk).error
    return Video.objects.select_related("current_encoding").get(pk=video.pk)
