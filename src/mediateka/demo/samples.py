"""Short sample clips for the demo films, made with ffmpeg's test sources and marked as samples.

The demo's films are not public files; a few seconds of test pattern and tone per film, sent
through the real pipeline, make the demo playable and show every part of the player.
"""

import hashlib
import subprocess
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.crypto import get_random_string

from mediateka.video.binaries import ffmpeg_path
from mediateka.video.models import CaptionTrack, Video
from mediateka.video.tasks import enqueue_processing

SECONDS = 12
FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
]
NOTICE = {
    "en": "Sample clip: this film is not yet in the library.",
    "ru": "Образец: этого фильма ещё нет в библиотеке.",
    "tg": "Намуна: ин филм ҳоло дар китобхона нест.",
}
STEPS = {  # the Mehrubon film is a step-by-step guide to stay, work and return
    "en": ["Stay", "Work", "Return"],
    "ru": ["Пребывание", "Работа", "Возвращение"],
    "tg": ["Будубош", "Кор", "Бозгашт"],
}


def _font() -> str | None:
    return next((font for font in FONTS if Path(font).exists()), None)


def make_sample(path: Path, seconds: int = SECONDS) -> Path:
    video = f"testsrc2=size=640x360:rate=25:duration={seconds}"
    font = _font()
    if font:  # a machine without fonts still gets a clip; the caption says it is a sample
        video += (
            f",drawtext=fontfile={font}:text=SAMPLE:fontsize=64:fontcolor=white"
            ":box=1:boxcolor=black@0.6:x=20:y=20"
        )
    argv = [
        ffmpeg_path(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        video,
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=440:sample_rate=48000:duration={seconds}",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        str(path),
    ]
    subprocess.run(argv, check=True, capture_output=True)  # noqa: S603 - argv built here
    return path


def _vtt(cues: list[tuple[float, float, str]]) -> bytes:
    def stamp(seconds: float) -> str:
        return f"00:00:{int(seconds):02d}.{int(seconds * 1000) % 1000:03d}"

    body = "\n".join(f"{stamp(a)} --> {stamp(b)}\n{text}\n" for a, b, text in cues)
    return f"WEBVTT\n\n{body}".encode()


def _track(video: Video, language: str, kind: str, cues) -> None:
    name = f"captions/{get_random_string(24)}/{language}-{kind}.vtt"
    CaptionTrack.objects.update_or_create(
        video=video,
        language=language,
        kind=kind,
        defaults={"file": default_storage.save(name, ContentFile(_vtt(cues))), "cue_count": len(cues)},
    )


def add_samples(films) -> int:
    """Gives each film without a video a sample clip, with captions; returns how many were queued."""
    queued = 0
    with tempfile.TemporaryDirectory() as scratch:
        for film in films:
            if Video.objects.filter(film=film).exists():
                continue
            clip = make_sample(Path(scratch) / f"{film.slug}.mp4")
            with clip.open("rb") as handle:
                stored = default_storage.save(f"originals/{get_random_string(24)}/source.mp4", File(handle))
            with transaction.atomic():
                video = Video.objects.create(
                    film=film,
                    language="zxx",
                    original=stored,
                    original_name=f"sample-{film.slug}.mp4",
                    original_size=clip.stat().st_size,
                    sha256=hashlib.sha256(clip.read_bytes()).hexdigest(),
                    status=Video.Status.UPLOADED,
                )
                for language, text in NOTICE.items():
                    _track(
                        video, language, CaptionTrack.Kind.SUBTITLES, [(0.5, 5.5, text), (6.0, 11.0, text)]
                    )
                if film.slug.startswith("mehrubon"):
                    for language, steps in STEPS.items():
                        _track(
                            video,
                            language,
                            CaptionTrack.Kind.CHAPTERS,
                            [(i * 4.0, i * 4.0 + 4.0, step) for i, step in enumerate(steps)],
                        )
                enqueue_processing(video)
            queued += 1
    return queued
