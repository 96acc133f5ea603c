"""Versions of a film (one per spoken language), their encodings and their caption tracks.

An Encoding is written under its own unguessable storage prefix; a Video points at the encoding it
plays (`current_encoding`). Publishing a new encoding is one UPDATE of that pointer, so a crash at
any moment leaves either the old encoding or the new one playing, never half of one.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediateka.catalogue.models import Film

SPOKEN_LANGUAGES = [
    ("tg", _("Tajik")),
    ("ru", _("Russian")),
    ("en", _("English")),
    ("uz", _("Uzbek")),
    ("zxx", _("No speech")),
]


def new_prefix() -> str:
    return secrets.token_urlsafe(18)


class VideoQuerySet(models.QuerySet):
    def playable(self):
        return self.filter(current_encoding__isnull=False)


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


class EncodingQuerySet(models.QuerySet):
    def abandoned(self):
        """Encodings that never finished and that no video plays: safe to sweep."""
        return self.exclude(state=Encoding.State.COMPLETE).exclude(
            pk__in=Video.objects.filter(current_encoding__isnull=False).values("current_encoding")
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
    download = models.CharField(max_length=200, blank=True)
    download_bytes = models.BigIntegerField(default=0)
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


class Upload(models.Model):
    """A resumable upload in progress (tus 1.0): the bytes so far live in a file under the upload dir.

    The file on disk is the source of truth for the offset, so a server restart loses nothing.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="uploads")
    filename = models.CharField(max_length=255)
    length = models.BigIntegerField()
    expected_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.length} bytes)"

    @property
    def part_path(self):
        return settings.MEDIATEKA_UPLOAD_DIR / f"{self.id}.part"

    @property
    def offset(self) -> int:
        try:
            return self.part_path.stat().st_size
        except FileNotFoundError:
            return 0
