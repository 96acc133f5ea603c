"""The screening kit: one ZIP, streamed, with the 360p MP4, every caption track, the guide and sheet."""

import io
import os
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pypdf import PdfReader

from mediateka.video.models import CaptionTrack, Encoding, Video


@pytest.fixture
def playable(catalogue):
    """A film with a Tajik version whose encoding has its download and two caption tracks in storage."""
    film = catalogue["films"]["hiv-one"]
    video = Video.objects.create(film=film, language="tg", status=Video.Status.READY)
    encoding = Encoding.objects.create(
        video=video, state=Encoding.State.COMPLETE, download="download-360p.mp4"
    )
    mp4 = os.urandom(2_500_000)  # more than two copy chunks
    default_storage.save(encoding.path(encoding.download), ContentFile(mp4))
    video.current_encoding = encoding
    video.save()
    for language, kind in [("tg", "subtitles"), ("ru", "captions"), ("en", "chapters")]:
        path = default_storage.save(
            f"captions/k/{language}-{kind}.vtt", ContentFile(f"WEBVTT\n\n{language}".encode())
        )
        CaptionTrack.objects.create(video=video, language=language, kind=kind, file=path)
    return film, mp4


def test_kit_is_streamed_with_video_captions_and_guide(client, playable):
    film, mp4 = playable
    response = client.get(f"/tg/reach/kits/{film.slug}.zip")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="hiv-one-tg-screening-kit.zip"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == [
        "hiv-one-tg/captions/hiv-one.ru-sdh.vtt",
        "hiv-one-tg/captions/hiv-one.tg.vtt",
        "hiv-one-tg/discussion-guide-and-attendance-sheet.pdf",
        "hiv-one-tg/hiv-one-tg-360p.mp4",
    ]
    assert archive.read("hiv-one-tg/hiv-one-tg-360p.mp4") == mp4
    guide = PdfReader(io.BytesIO(archive.read("hiv-one-tg/discussion-guide-and-attendance-sheet.pdf")))
    assert len(guide.pages) == 2
    assert "Hiv One" in guide.pages[0].extract_text()
    assert "/tg/outreach/screenings/new/" in guide.pages[0].extract_text().replace("\n", "")


def test_kit_of_a_film_without_a_video_or_of_a_draft_is_not_found(client, catalogue):
    assert client.get("/en/reach/kits/hiv-two.zip").status_code == 404
    assert client.get("/en/reach/kits/draft.zip").status_code == 404


def test_film_page_offers_the_kit_only_when_there_is_a_video(client, playable, catalogue):
    assert "/en/reach/kits/hiv-one.zip" in client.get("/en/films/hiv-one/").content.decode()
    assert "/reach/kits/" not in client.get("/en/films/hiv-two/").content.decode()
