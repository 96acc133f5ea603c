"""Films with real, encoded videos for the tests: a generated clip sent through the real pipeline."""

import hashlib
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from mediateka.catalogue.models import Film, Status
from mediateka.video import pipeline
from mediateka.video.models import Video


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


def encoded_video(film: Film, clip: Path, language: str = "tg") -> Video:
    video = video_with_original(film, clip, language)
    assert pipeline.process(video.pk) == "encoded", Video.objects.get(pk=video.pk).error
    return Video.objects.select_related("current_encoding").get(pk=video.pk)
