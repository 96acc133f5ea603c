"""Catalogue records for the format tests.

Most tests need films that *have* encoded versions, not the encoding itself, so `make_film` writes
the rows the pipeline would leave (video, complete encoding, rungs, caption tracks) without running
FFmpeg; the bulk-import test sends a real clip through the real pipeline.
"""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.crypto import get_random_string

from mediateka.api.models import ApiToken
from mediateka.catalogue.models import Collection, Credit, Film, Status, Theme
from mediateka.mission.models import Mission, Office, Organisation, Participation, Project, ThematicArea
from mediateka.video.models import CaptionTrack, Encoding, Rung, Video


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    # Every test here makes four users; the real hasher's deliberate slowness is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


RUNGS = [("144p", 256, 144, 160_000), ("360p", 640, 360, 700_000), ("audio", 0, 0, 64_000)]


def add_version(film: Film, language: str = "tg", *, captions=("en", "ru"), duration: float = 95.4) -> Video:
    video = Video.objects.create(
        film=film,
        language=language,
        status=Video.Status.READY,
        duration=duration,
        width=640,
        height=360,
        original=f"originals/{film.slug}-{language}/source.mp4",
    )
    encoding = Encoding.objects.create(
        video=video,
        state=Encoding.State.COMPLETE,
        master_playlist="master.m3u8",
        poster="poster.jpg",
        thumbnail="thumb.jpg",
        download="download.mp4",
        download_bytes=1_234_567,
        finished_at=timezone.now(),
    )
    for name, width, height, bitrate in RUNGS:
        Rung.objects.create(
            encoding=encoding,
            name=name,
            width=width,
            height=height,
            measured_bitrate=bitrate,
            codecs="avc1.42c01e,mp4a.40.2" if height else "mp4a.40.2",
            playlist=f"{name}/index.m3u8",
        )
    for caption_language in captions:
        name = default_storage.save(
            f"captions/{get_random_string(24)}/{caption_language}-subtitles.vtt",
            ContentFile(f"WEBVTT\n\n00:00.500 --> 00:03.500\nSafe migration ({caption_language})\n".encode()),
        )
        CaptionTrack.objects.create(video=video, language=caption_language, file=name, cue_count=1)
    video.current_encoding = encoding
    video.save(update_fields=["current_encoding"])
    return video


@pytest.fixture
def make_film(db):
    made = {"n": 0}

    def make(
        slug: str | None = None, status: str = Status.PUBLISHED, *, video: bool = True, **fields
    ) -> Film:
        made["n"] += 1
        slug = slug or f"film-{made['n']}"
        defaults = {
            "title_en": f"Film {made['n']}",
            "title_ru": f"Фильм {made['n']}",
            "synopsis_en": "A film about safe migration.",
            "kind": Film.Kind.DOCUMENTARY,
            "year": 2013,
            # Distinct publication times give the list a stable order.
            "published_at": timezone.now() - timedelta(minutes=made["n"])
            if status == Status.PUBLISHED
            else None,
        }
        film = Film.objects.create(slug=slug, status=status, **{**defaults, **fields})
        if video:
            add_version(film)
        return film

    return make


@pytest.fixture
def mission_records(db):
    """A mission with one project of each shape the IATI export meets."""
    iom = Organisation.objects.create(
        key="iom", name_en="International Organization for Migration", name_ru="МОМ", kind="intergovernmental"
    )
    donor = Organisation.objects.create(key="japan", name_en="Government of Japan", kind="donor_government")
    ministry = Organisation.objects.create(key="moh", name_en="Ministry of Health", kind="government")
    mission = Mission.objects.create(
        name_en="IOM Tajikistan", country_en="Tajikistan", member_since=date(1994, 11, 29), organisation=iom
    )
    Office.objects.create(mission=mission, town_en="Dushanbe", is_main=True, head_count=25)
    Office.objects.create(mission=mission, town_en="Khujand", head_count=9)
    area = ThematicArea.objects.create(
        key="health", name_en="Migration Health", name_tg="Саломатии муҳоҷирон"
    )
    running = Project.objects.create(
        key="hiv-2014",
        title_en="Community Mobilization for HIV Prevention",
        title_ru="Мобилизация сообществ для профилактики ВИЧ",
        title_tg="Сафарбаркунии ҷамоатҳо",
        summary_en="Screenings with partner NGOs in 35 districts.",
        area=area,
        status=Project.Status.IMPLEMENTATION,
        start_date=date(2014, 2, 1),
    )
    closed = Project.objects.create(
        key="disaster-2012",
        title_en="Strengthening Disaster Response Capacities",
        area=area,
        status=Project.Status.CLOSED,
        start_date=date(2012, 1, 1),
        end_date=date(2012, 9, 30),
    )
    undated = Project.objects.create(key="training-centre", title_en="Regional Training Centre", area=area)
    for project in (running, closed, undated):
        Participation.objects.create(project=project, organisation=iom, role="implementing")
    Participation.objects.create(project=running, organisation=ministry, role="government", position=1)
    Participation.objects.create(project=closed, organisation=donor, role="donor", position=1)
    return {"mission": mission, "running": running, "closed": closed, "undated": undated, "iom": iom}


@pytest.fixture
def rich_film(make_film, mission_records):
    """A published film with everything a detail shows: themes, collection, project, credits, two versions."""
    theme = Theme.objects.create(key="health", name_en="Health", name_ru="Здоровье")
    collection = Collection.objects.create(slug="psa", title_en="PSAs", status=Status.PUBLISHED)
    film = make_film(
        "every-one-of-us",
        title_en="Every One of Us",
        title_tg="Ҳар яки мо",
        title_ru="",
        synopsis_en="A migrant in Tver learns his HIV status.",
        synopsis_ru="Мигрант в Твери узнаёт свой ВИЧ-статус.",
        collection=collection,
        collection_position=2,
        project=mission_records["running"],
    )
    film.themes.set([theme])
    add_version(film, "ru", captions=("tg",))
    Credit.objects.create(film=film, organisation=mission_records["iom"], role=Credit.Role.PRODUCER)
    return film


@pytest.fixture
def tokens(editor, outreach_officer, outsider):
    return {
        name: ApiToken.objects.issue(user)[1]
        for name, user in (("editor", editor), ("officer", outreach_officer), ("outsider", outsider))
    }


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
