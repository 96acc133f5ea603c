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


def _remove_caption(video_film, language):
    track = CaptionTrack.objects.get(video__film=video_film, language=language)
    default_storage.delete(track.file)


def test_kit_with_a_missing_caption_is_refused_before_any_byte_is_sent(client, playable):
    film, _mp4 = playable
    _remove_caption(film, "ru")
    response = client.get(f"/en/reach/kits/{film.slug}.zip")
    assert response.status_code == 409 and not response.streaming
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "The screening kit cannot be made" in html
    assert "Hiv One" in html and "<code>hiv-one.ru-sdh.vtt</code>" in html
    assert "hiv-one.tg.vtt" not in html  # only what is missing is named


def test_kit_whose_video_file_is_missing_is_refused_naming_it(client, playable):
    film, _mp4 = playable
    encoding = Encoding.objects.get(video__film=film)
    default_storage.delete(encoding.path(encoding.download))
    _remove_caption(film, "tg")
    response = client.get(f"/en/reach/kits/{film.slug}.zip")
    assert response.status_code == 409 and not response.streaming
    html = response.content.decode()
    assert html.index("hiv-one-tg-360p.mp4") < html.index("hiv-one.tg.vtt")


def test_kit_that_is_never_read_still_closes_its_video_file(playable):
    from mediateka.outreach.kit import kit_for

    film, _mp4 = playable
    packed = kit_for(film, "tg").pack(b"%PDF-1.4")
    assert not packed.source.closed
    packed.close()  # what the response does when the client goes away before the first byte
    assert packed.source.closed
