"""Versions of a film (one per spoken language), their encodings and their caption tracks.

An Encoding is written under its own unguessable storage prefix; a Video points at the encoding it
plays (`current_encoding`). Publishing a new encoding is one UPDATE of that pointer, so a crash at
any moment leaves either the old encoding or the new one playing, never half of one.
"""

import secrets
import uuid
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediateka.catalogue.models import Film

from .ladder import still_name

SPOKEN_LANGUAGES = [
    ("tg", _("Tajik")),
    ("ru", _("Russian")),
    ("en", _("English")),
    ("uz", _("Uzbek")),
    ("zxx", _("No speech")),
]


def new_prefix() -> str:
    return secrets.token_urlsafe(18)


def ago(seconds: float):
    # By the database's clock: the web and worker hosts' clocks may disagree.
    return models.ExpressionWrapper(Now() - timedelta(seconds=seconds), output_field=models.DateTimeField())


class StoredFile(NamedTuple):
    """An uploaded file in the media storage, as the pipeline encodes it."""

    name: str
    filename: str
    sha256: str


class VideoQuerySet(models.QuerySet):
    def playable(self):
        return self.filter(current_encoding__isnull=False)

    def language_of_a_new_version(self, film: Film | None) -> str:
        """What a new version of the film most likely speaks: a language the film is titled in and has no
        version in yet, the site's own first; else the site's language (the mission's)."""
        if film is None:
            return settings.LANGUAGE_CODE
        taken = set(self.filter(film=film).values_list("language", flat=True))
        codes = sorted(dict(settings.LANGUAGES), key=lambda code: code != settings.LANGUAGE_CODE)
        titled = [code for code in codes if getattr(film, f"title_{code}", "")]
        return next((code for code in titled if code not in taken), settings.LANGUAGE_CODE)


class Video(models.Model):
    class Status(models.TextChoices):
        UPLOADING = "uploading", _("Uploading")
        UPLOADED = "uploaded", _("Uploaded")
        PROBING = "probing", _("Checking the file")
        QUEUED = "queued", _("Queued for encoding")
        ENCODING = "encoding", _("Encoding")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    film = models.ForeignKey(Film, verbose_name=_("film"), on_delete=models.CASCADE, related_name="videos")
    language = models.CharField(_("spoken language"), max_length=3, choices=SPOKEN_LANGUAGES)
    original = models.CharField(_("original file"), max_length=300, blank=True, editable=False)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    original_size = models.BigIntegerField(_("original size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # A new file for a version that plays waits here until its encoding is published; the playing
    # original above, and what was measured in it below, stay until that pointer flip.
    pending_original = models.CharField(_("replacement file"), max_length=300, blank=True, editable=False)
    pending_original_name = models.CharField(_("replacement file name"), max_length=255, blank=True)
    pending_original_size = models.BigIntegerField(_("replacement size (bytes)"), null=True, blank=True)
    pending_sha256 = models.CharField(_("replacement SHA-256"), max_length=64, blank=True)

    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    frame_rate = models.FloatField(_("frame rate"), null=True, blank=True)
    video_codec = models.CharField(_("video codec"), max_length=40, blank=True)
    audio_codec = models.CharField(_("audio codec"), max_length=40, blank=True)
    rotation = models.SmallIntegerField(_("rotation"), default=0)
    audio_channels = models.PositiveSmallIntegerField(_("audio channels"), default=0)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UPLOADING)
    progress = models.FloatField(_("encoding progress (%)"), default=0)
    error = models.TextField(_("reason for failure"), blank=True)
    current_encoding = models.OneToOneField(
        "Encoding",
        verbose_name=_("current encoding"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VideoQuerySet.as_manager()

    class Meta:
        ordering = ["film", "language"]
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        constraints = [
            models.UniqueConstraint(fields=["film", "language"], name="one_video_per_film_language")
        ]

    def __str__(self) -> str:
        return f"{self.film} ({self.get_language_display()})"

    @property
    def to_encode(self) -> StoredFile:
        """The file the next encoding is made from: the replacement waiting for one, else the original."""
        if self.pending_original:
            return StoredFile(self.pending_original, self.pending_original_name, self.pending_sha256)
        return StoredFile(self.original, self.original_name, self.sha256)


class EncodingQuerySet(models.QuerySet):
    def abandoned(self):
        """Encodings that never finished and that no video plays: safe to sweep."""
        return self.exclude(state=Encoding.State.COMPLETE).exclude(
            pk__in=Video.objects.filter(current_encoding__isnull=False).values("current_encoding")
        )


_STILL_SIZES = RegexValidator(
    r"^(\d{1,5}x\d{1,5}(,\d{1,5}x\d{1,5})*)?$", "Sizes of stills are written 160x90,360x202."
)


class Encoding(models.Model):
    class State(models.TextChoices):
        BUILDING = "building", _("Building")
        COMPLETE = "complete", _("Complete")
        FAILED = "failed", _("Failed")

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="encodings")
    prefix = models.CharField(max_length=40, unique=True, default=new_prefix, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.BUILDING)
    source_sha256 = models.CharField(max_length=64, blank=True)
    master_playlist = models.CharField(max_length=200, blank=True)
    poster = models.CharField(max_length=200, blank=True)
    thumbnail = models.CharField(max_length=200, blank=True)
    # The poster's small copies, as "160x90,360x202": each is still-<width>.jpg beside the poster.
    # Encodings made before stills existed have none; their pictures fall back to thumbnail and poster.
    stills = models.CharField(max_length=120, blank=True, validators=[_STILL_SIZES])
    download = models.CharField(max_length=200, blank=True)
    download_bytes = models.BigIntegerField(default=0)
    # The lowest rung as one MP4 (ladder.SMALL_DOWNLOAD); empty for encodings made before it existed.
    small_download = models.CharField(max_length=200, blank=True)
    small_download_bytes = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = EncodingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("encoding")
        verbose_name_plural = _("encodings")

    def __str__(self) -> str:
        return f"{self.video} · {self.prefix[:8]}"

    @property
    def storage_dir(self) -> str:
        return f"encodings/{self.prefix}"

    def path(self, name: str) -> str:
        return f"{self.storage_dir}/{name}"

    @property
    def still_sizes(self) -> list[tuple[int, int]]:
        """(width, height) of each still, narrowest first."""
        sizes = [tuple(int(n) for n in size.split("x")) for size in self.stills.split(",") if size]
        return sorted(sizes)

    def still_path(self, width: int) -> str:
        return self.path(still_name(width))


class Rung(models.Model):
    """One step of an encoding's ladder: a resolution, or the audio-only rung."""

    encoding = models.ForeignKey(Encoding, on_delete=models.CASCADE, related_name="rungs")
    name = models.CharField(max_length=12)
    height = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    video_bitrate = models.PositiveIntegerField(default=0)
    audio_bitrate = models.PositiveIntegerField(default=0)
    measured_bitrate = models.PositiveIntegerField(default=0)
    codecs = models.CharField(max_length=80)
    bytes = models.BigIntegerField(default=0)
    playlist = models.CharField(max_length=200)

    class Meta:
        ordering = ["encoding", "-height"]
        constraints = [models.UniqueConstraint(fields=["encoding", "name"], name="one_rung_per_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_audio_only(self) -> bool:
        return self.height == 0


class CaptionTrack(models.Model):
    class Kind(models.TextChoices):
        SUBTITLES = "subtitles", _("Subtitles")
        CAPTIONS = "captions", _("Captions (with sounds, for the deaf and hard of hearing)")
        CHAPTERS = "chapters", _("Chapters")

    class Source(models.TextChoices):
        HUMAN = "human", _("Written by a person")
        MACHINE = "machine", _("Machine-made")

    video = models.ForeignKey(
        Video, verbose_name=_("video"), on_delete=models.CASCADE, related_name="captions"
    )
    language = models.CharField(_("language"), max_length=3, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SUBTITLES)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.HUMAN)
    file = models.CharField(_("WebVTT file"), max_length=200, editable=False)
    cue_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["video", "kind", "language"]
        verbose_name = _("caption track")
        verbose_name_plural = _("caption tracks")
        constraints = [
            models.UniqueConstraint(
                fields=["video", "language", "kind"], name="one_track_per_language_and_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.video} · {self.get_kind_display()} · {self.language}"


class UploadQuerySet(models.QuerySet):
    def untouched_for(self, seconds: float):
        return self.filter(touched_at__lt=ago(seconds))

    def unclaimed(self, stale_after: float):
        """Uploads that no request is writing to; a claim older than stale_after is a crashed writer's."""
        return self.filter(models.Q(writer="") | models.Q(writing_since__lt=ago(stale_after)))


class Upload(models.Model):
    """A resumable upload (tus 1.0): the bytes so far live in a file under the upload dir.

    The file on disk is the source of truth for the offset, so a server restart loses nothing. One
    request at a time may write to it: it claims the row (`writer`, `writing_since`) with one
    conditional UPDATE, which works across processes and hosts on SQLite and PostgreSQL alike and
    holds no transaction open while a slow body arrives. Once every byte is there, a job checks the
    file and either stores it as its version's original or refuses it; the row then keeps the
    outcome (and a refusal's reason) for the uploader to read until the upload expires.
    """

    class State(models.TextChoices):
        RECEIVING = "receiving", _("Uploading")
        CHECKING = "checking", _("Checking the file")
        REFUSED = "refused", _("Refused")
        ACCEPTED = "accepted", _("Accepted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="uploads")
    language = models.CharField(max_length=3, choices=SPOKEN_LANGUAGES)
    filename = models.CharField(max_length=255)
    length = models.BigIntegerField()
    expected_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RECEIVING)
    reason = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    stored_as = models.CharField(max_length=300, blank=True)
    writer = models.CharField(max_length=32, blank=True)
    writing_since = models.DateTimeField(null=True, blank=True)
    touched_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = UploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.length} bytes)"

    @property
    def part_path(self):
        return settings.MEDIATEKA_UPLOAD_DIR / f"{self.id}.part"

    def chunk_path(self, writer: str):
        """Where one request's chunk is written before it joins the file: each writer has its own."""
        return settings.MEDIATEKA_UPLOAD_DIR / f"{self.id}.{writer}.chunk"

    @property
    def offset(self) -> int:
        if self.state != self.State.RECEIVING:
            return self.length
        try:
            return self.part_path.stat().st_size
        except FileNotFoundError:
            return 0
