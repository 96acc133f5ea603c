"""What a film page needs to play a film: its versions, rungs, captions and download links."""

from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef, QuerySet

from mediateka.catalogue.models import Film

from .access import url_for
from .captions import CaptionError, parse_captions
from .models import CaptionTrack, Video
from .stills import poster_choices


def watchable_first(films: QuerySet[Film]) -> QuerySet[Film]:
    """Newest first, but a film published before any version of it plays waits below those that do."""
    plays = Exists(Video.objects.playable().filter(film=OuterRef("pk")))
    return films.alias(plays=plays).order_by("-plays", "-published_at", "pk")


@dataclass
class Track:
    language: str
    kind: str
    label: str
    url: str


@dataclass
class Chapter:
    start: float
    title: str


@dataclass
class Quality:
    name: str  # "144p" ... "720p", or "audio"
    label: str
    url: str  # the rung's own media playlist
    bitrate: int
    is_audio_only: bool
    height: int = 0  # 0 for a sound rung
    bytes: int = 0  # the rung's real files, as measured when it was encoded; 0 when unknown


@dataclass
class Version:
    video: Video
    language: str
    language_name: str
    master_url: str
    poster_url: str
    download_url: str
    download_bytes: int
    duration: float | None
    qualities: list[Quality] = field(default_factory=list)
    tracks: list[Track] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    chapter_language: str = ""
    phone_poster_url: str = ""  # the poster as a phone gets it (stills.poster_choices)
    stills: list[tuple[int, str]] = field(default_factory=list)  # smaller copies of the poster, by width
    small_url: str = ""  # the lowest rung as one MP4; "" for encodings made before it existed
    small_bytes: int = 0
    small_quality: str = ""  # its rung's name, "144p"


def _chapters(track: CaptionTrack) -> list[Chapter]:
    try:
        with default_storage.open(track.file, "rb") as handle:
            cues = parse_captions(handle.read().decode("utf-8"), duration=None)
    except (OSError, CaptionError, UnicodeDecodeError):
        return []
    return [Chapter(start=cue.start, title=cue.text) for cue in cues]


def _preferred(tracks: list[CaptionTrack], language: str | None) -> CaptionTrack | None:
    for wanted in (language, "en"):
        chosen = next((t for t in tracks if t.language == wanted), None)
        if chosen:
            return chosen
    return tracks[0] if tracks else None


def versions_of(film: Film, language: str | None = None) -> list[Version]:
    """Playable versions, in a stable order; media URLs are signed unless the film is public.

    Chapters come from the chapters track in `language` when there is one, else English, else any.
    """
    public = film.is_public
    versions = []
    videos = (
        Video.objects.playable()
        .filter(film=film)
        .select_related("current_encoding")
        .prefetch_related("current_encoding__rungs", "captions")
    )
    for video in videos:
        encoding = video.current_encoding
        version = Version(
            video=video,
            language=video.language,
            language_name=str(video.get_language_display()),
            master_url=url_for(encoding.path(encoding.master_playlist), public=public),
            poster_url=url_for(encoding.path(encoding.poster), public=public),
            download_url=url_for(encoding.path(encoding.download), public=public),
            download_bytes=encoding.download_bytes,
            duration=video.duration,
        )
        version.phone_poster_url, version.stills, _full = poster_choices(encoding, public=public)
        rungs = sorted(encoding.rungs.all(), key=lambda r: (r.height == 0, r.height))
        if encoding.small_download and rungs and rungs[0].height:
            version.small_url = url_for(encoding.path(encoding.small_download), public=public)
            version.small_bytes = encoding.small_download_bytes
            version.small_quality = rungs[0].name
        for rung in rungs:
            version.qualities.append(
                Quality(
                    name=rung.name,
                    label=rung.name,
                    url=url_for(encoding.path(rung.playlist), public=public),
                    bitrate=rung.measured_bitrate or rung.video_bitrate + rung.audio_bitrate,
                    is_audio_only=rung.is_audio_only,
                    height=rung.height,
                    bytes=rung.bytes,
                )
            )
        for track in video.captions.all():
            url = url_for(track.file, public=public)
            version.tracks.append(Track(track.language, track.kind, track.get_language_display(), url))
        chapters = _preferred(
            [t for t in video.captions.all() if t.kind == CaptionTrack.Kind.CHAPTERS], language
        )
        if chapters is not None:
            version.chapters = _chapters(chapters)
            version.chapter_language = chapters.language
        versions.append(version)
    return versions
