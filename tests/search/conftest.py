"""Search test data: the demo catalogue indexed, and films with playable videos and captions."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.crypto import get_random_string

from mediateka.catalogue.models import Film, Status
from mediateka.search.index import reindex_all
from mediateka.video.models import CaptionTrack, Encoding, Video


def playable_video(film: Film, language: str = "tg", captions: dict[str, str] | None = None) -> Video:
    """A video as the pipeline leaves it (an encoding it points at), with caption tracks whose
    files hold ``captions`` (language -> cue text)."""
    video = Video.objects.create(film=film, language=language, status=Video.Status.READY, duration=12)
    video.current_encoding = Encoding.objects.create(video=video, state=Encoding.State.COMPLETE)
    video.save()
    for code, text in (captions or {}).items():
        name = default_storage.save(
            f"captions/{get_random_string(24)}/{code}-subtitles.vtt",
            ContentFile(f"WEBVTT\n\n00:00.500 --> 00:03.500\n{text}\n".encode()),
        )
        CaptionTrack.objects.create(video=video, language=code, kind="subtitles", file=name, cue_count=1)
    return video


def film(slug: str, status: str = Status.PUBLISHED, **fields) -> Film:
    fields.setdefault("title_en", slug.replace("-", " ").title())
    return Film.objects.create(slug=slug, status=status, **fields)


@pytest.fixture
def indexed_demo(demo):
    reindex_all()
