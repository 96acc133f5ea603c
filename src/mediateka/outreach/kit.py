"""The screening kit: one ZIP with the 360p MP4, its captions, and the guide and attendance sheet.

The ZIP is written as it is sent: zipfile writes to a sink that hands each piece on, and the MP4
is copied from storage a megabyte at a time, so a kit of a long film never sits in memory. The
MP4 is stored, not compressed again (it would not shrink, and a village laptop unzips faster).

Every file is opened (the captions read) before the first byte is sent: once a 200 has gone out, a
missing file can only cut the ZIP short, and an officer finds out in the village that it will not
unzip. A kit with a file missing is refused whole, naming the file, rather than sent without it:
a kit that quietly lacks the Russian captions is found out at the screening, too late, and the
editors who could upload them again are never told.
"""

import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import default_storage

from mediateka.catalogue.models import Film
from mediateka.video.models import CaptionTrack, Video

CHUNK = 1024 * 1024
log = logging.getLogger(__name__)


class KitIncomplete(Exception):
    """Files the kit needs are not in storage; `missing` names them as they would be in the ZIP."""

    def __init__(self, kit: "Kit", missing: list[str]):
        super().__init__(f"{kit.film.slug}: {', '.join(missing)}")
        self.kit = kit
        self.missing = missing


class _Sink:
    """A write-only, unseekable file for ZipFile: what is written waits in `pending` until taken."""

    def __init__(self):
        self.pending: list[bytes] = []
        self.offset = 0

    def write(self, data) -> int:
        self.pending.append(bytes(data))
        self.offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self.offset

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.pending)
        self.pending.clear()
        return data


class Packed:
    """A kit's bytes, made from files opened beforehand; `close` (called by the response however the
    sending ends, even before it starts) closes the MP4."""

    def __init__(self, kit: "Kit", source, captions: list[tuple[str, bytes]], guide_pdf: bytes):
        self.kit, self.source, self.captions, self.guide_pdf = kit, source, captions, guide_pdf

    def __iter__(self) -> Iterator[bytes]:
        folder = self.kit.folder
        sink = _Sink()
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
            with self.source, archive.open(f"{folder}/{folder}-360p.mp4", "w", force_zip64=True) as target:
                while chunk := self.source.read(CHUNK):
                    target.write(chunk)
                    yield sink.take()
            for name, content in self.captions:
                archive.writestr(f"{folder}/captions/{name}", content, compress_type=zipfile.ZIP_DEFLATED)
                yield sink.take()
            archive.writestr(
                f"{folder}/discussion-guide-and-attendance-sheet.pdf",
                self.guide_pdf,
                compress_type=zipfile.ZIP_DEFLATED,
            )
        yield sink.take()

    def close(self) -> None:
        self.source.close()


@dataclass
class Kit:
    film: Film
    video: Video

    @property
    def folder(self) -> str:
        return f"{self.film.slug}-{self.video.language}"

    @property
    def filename(self) -> str:
        return f"{self.folder}-screening-kit.zip"

    @property
    def mp4_name(self) -> str:
        return f"{self.folder}-360p.mp4"

    def captions(self):
        return self.video.captions.exclude(kind=CaptionTrack.Kind.CHAPTERS).order_by("language", "kind")

    def caption_name(self, track: CaptionTrack) -> str:
        suffix = "-sdh" if track.kind == CaptionTrack.Kind.CAPTIONS else ""
        return f"{self.film.slug}.{track.language}{suffix}.vtt"

    def pack(self, guide_pdf: bytes) -> Packed:
        """Opens every file of the kit, or raises KitIncomplete naming each one that is missing."""
        missing = []
        captions = []
        for track in self.captions():
            content = _read(track.file)
            if content is None:
                missing.append(self.caption_name(track))
            else:
                captions.append((self.caption_name(track), content))
        encoding = self.video.current_encoding
        stored = encoding.path(encoding.download)
        source = _open(stored)
        if source is None:
            missing.insert(0, self.mp4_name)
        if missing:
            if source is not None:
                source.close()
            log.error("Screening kit of %s not sent: missing %s", self.film.slug, ", ".join(missing))
            raise KitIncomplete(self, missing)
        return Packed(self, source, captions, guide_pdf)


def _open(name: str):
    # exists() first: an object store's open() is lazy and would only fail at the first read.
    if not name or not default_storage.exists(name):
        return None
    try:
        return default_storage.open(name, "rb")
    except OSError:
        return None


def _read(name: str) -> bytes | None:
    handle = _open(name)
    if handle is None:
        return None
    try:
        with handle:
            return handle.read()
    except OSError:
        return None


def kit_for(film: Film, language: str) -> Kit | None:
    """The kit of the version spoken in `language`, else of the first playable version."""
    videos = list(Video.objects.playable().filter(film=film).select_related("current_encoding"))
    videos = [v for v in videos if v.current_encoding.download]
    if not videos:
        return None
    chosen = next((v for v in videos if v.language == language), videos[0])
    return Kit(film, chosen)
