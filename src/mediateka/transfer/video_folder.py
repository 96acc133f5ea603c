"""Bulk import of video files from a folder: each file is matched to a film by its name and sent
through the encoding pipeline, as an upload through the site would be.

`<film slug>.<ext>` is a version in the default spoken language; `<film slug>.<language>.<ext>`
names the language (tg, ru, en, uz, zxx). A file that matches no film, or is of a type the site
does not accept, is reported and left alone.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.crypto import get_random_string

from mediateka.catalogue.models import Film
from mediateka.video import originals
from mediateka.video.models import SPOKEN_LANGUAGES, Video


@dataclass
class Match:
    path: Path
    film: Film
    language: str


@dataclass
class Report:
    matched: list[Match] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "name: reason"


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def match_folder(folder: Path, default_language: str) -> Report:
    report = Report()
    spoken = dict(SPOKEN_LANGUAGES)
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    films = Film.objects.in_bulk([p.name.split(".")[0] for p in files], field_name="slug")
    for path in files:
        parts = path.name.split(".")
        extension = parts[-1].lower() if len(parts) > 1 else ""
        if extension not in settings.MEDIATEKA_ACCEPTED_CONTAINERS:
            report.skipped.append(f"{path.name}: files of type .{extension or '?'} are not accepted")
            continue
        language = parts[1].lower() if len(parts) == 3 else default_language
        if len(parts) > 3 or language not in spoken:
            report.skipped.append(f"{path.name}: name it <film slug>.<ext> or <film slug>.<language>.<ext>")
            continue
        film = films.get(parts[0])
        if film is None:
            report.skipped.append(f"{path.name}: no film has the slug {parts[0]!r}")
            continue
        report.matched.append(Match(path, film, language))
    return report


def import_folder(folder: Path, *, default_language: str = "tg", dry_run: bool = False) -> Report:
    report = match_folder(folder, default_language)
    if dry_run:
        return report
    for match in report.matched:
        name = f"originals/{get_random_string(24)}/source{match.path.suffix.lower()}"
        with match.path.open("rb") as handle:
            stored = default_storage.save(name, File(handle))
        with transaction.atomic():
            video, _created = Video.objects.select_for_update().get_or_create(
                film=match.film, language=match.language
            )
            # As for an upload: a version that plays keeps its original until the new one's
            # encoding is published; the pipeline probes, refuses what it cannot play, and encodes.
            originals.receive(
                video,
                name=stored,
                filename=match.path.name,
                size=match.path.stat().st_size,
                sha256=_sha256(match.path),
            )
    return report
