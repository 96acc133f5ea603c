"""Radio spots: an MP3 or an M4A becomes a sound version of a film, through the real pipeline, with an
audio ladder, its waveform as its picture, captions and a download; the film is found by search and
counted in the reach figures like any other."""

import datetime
import re

import av
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict

from mediateka.outreach import reports
from mediateka.outreach.models import Organisation
from mediateka.search.query import search
from mediateka.video.models import CaptionTrack, Video
from mediateka.video.probe import probe
from tests.outreach.conftest import make_screening

from . import factories
from .tus import finish, upload

VTT = "WEBVTT\n\n00:00.500 --> 00:03.000\nСафари бехатар\n"


@pytest.mark.parametrize("name", ["spot.mp3", "spot.m4a"])
def test_a_sound_file_becomes_a_sound_version_that_plays(transactional_db, clip, client, editor, name):
    film = factories.film("radio-spot")
    source = clip(name, video=False, seconds=5)
    assert not probe(source).has_video

    video = factories.encoded_video(film, source)

    encoding = video.current_encoding
    assert video.status == Video.Status.READY and (video.width, video.height) == (0, 0)
    rungs = {rung.name: rung for rung in encoding.rungs.all()}
    assert list(rungs) == ["audio", "audio-hq"]
    assert rungs["audio"].audio_bitrate < rungs["audio-hq"].audio_bitrate
    assert all(rung.height == 0 and rung.codecs == "mp4a.40.2" and rung.bytes > 0 for rung in rungs.values())
    master = default_storage.open(encoding.path(encoding.master_playlist)).read().decode()
    assert master.count("#EXT-X-STREAM-INF") == 2 and "RESOLUTION" not in master
    assert encoding.download == "download.m4a" and encoding.small_download == ""
    with default_storage.open(encoding.path(encoding.download)) as handle, av.open(handle) as download:
        assert not download.streams.video and download.streams.audio[0].codec_context.name == "aac"
        assert float(download.duration / av.time_base) == pytest.approx(5, abs=0.2)
    with default_storage.open(encoding.path(encoding.poster)) as handle, av.open(handle) as poster:
        frame = next(poster.decode(video=0))
        assert (frame.width, frame.height) == (1280, 720)  # its waveform, at 16:9

    client.force_login(editor)
    added = client.post(
        "/admin/video/captiontrack/add/",
        {
            "video": video.pk,
            "language": "tg",
            "kind": "subtitles",
            "source": "human",
            "upload": SimpleUploadedFile("spot.vtt", VTT.encode()),
        },
    )
    assert added.status_code == 302
    client.logout()

    page = client.get("/en/films/radio-spot/").content.decode()
    chooser = page.split('<select id="player-quality">')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]+)">', chooser) == ["auto", "audio", "audio-hq"]
    assert "Better sound · " in chooser
    assert "Download the sound (M4A, " in page
    # The player's own fallback link, for browsers that play neither HLS nor the M4A, names the sound too.
    fallback = page.split("<video ")[1].split("</video>")[0]
    assert ">Download the sound</a>" in fallback and "Download the video" not in page
    assert 'type="audio/mp4"' in page
    track = CaptionTrack.objects.get(video=video)
    assert f'src="{default_storage.url(track.file)}"' in page or track.file in page
    for url in re.findall(r'(?:src|href)="(/media/[^"]+)"', page):
        assert client.get(url).status_code == 200, url


def test_a_radio_spot_is_found_by_search_and_counted_in_reach(transactional_db, clip):
    film = factories.film("radio-spot")
    factories.encoded_video(film, clip("found-spot.mp3", video=False, seconds=3))
    assert search("radio spot", QueryDict("spoken=tg")).total == 1

    ngo = Organisation.objects.create(key="ngo", name="NGO", kind="ngo")
    make_screening(ngo, [film], date=datetime.date(2026, 3, 8), attendees=40)
    rows = {row.label: row.values for row in reports.reach_by("film", reports.Selection()).rows}
    assert rows["Radio Spot"]["screenings"] == 1 and rows["Radio Spot"]["attendees"] == 40


def test_an_editor_uploads_a_radio_spot_and_it_is_taken_as_a_sound_version(client, editor, clip, settings):
    from django.conf import settings as live

    from mediateka.video.models import Upload
    from mediateka.video.probe import ACCEPTED_EXTENSIONS

    # Every file the probe takes is one an upload may be (one list would drift from the other).
    assert {f".{extension}" for extension in live.MEDIATEKA_ACCEPTED_CONTAINERS} == set(ACCEPTED_EXTENSIONS)
    film = factories.film("uploaded-spot")
    client.force_login(editor)
    item = upload(client, film, clip("short-spot.mp3", video=False, seconds=2).read_bytes(), name="spot.mp3")

    finish(item)

    assert Upload.objects.get(pk=item.pk).state == Upload.State.ACCEPTED
    video = Video.objects.get(film=film)
    assert video.original_name == "spot.mp3" and video.original.endswith(".mp3")
