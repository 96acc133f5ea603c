"""The screening kit: one ZIP with the 360p MP4, its captions, and the guide and attendance sheet.

The ZIP is written as it is sent: zipfile writes to a sink that hands each piece on, and the MP4
is copied from storage a megabyte at a time, so a kit of a long film never sits in memory. The
MP4 is stored, not compressed again (it would not shrink, and a village laptop unzips faster).
"""

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import default_storage

from mediateka.catalogue.models import Film
from mediateka.video.models import CaptionTrack, Video

CHUNK = 1024 * 1024


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

    def captions(self):
        return self.video.captions.exclude(kind=CaptionTrack.Kind.CHAPTERS).order_by("language", "kind")

    def stream(self, guide_pdf: bytes) -> Iterator[bytes]:
        sink = _Sink()
        encoding = self.video.current_encoding
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
            with (
                default_storage.open(encoding.path(encoding.download), "rb") as source,
                archive.open(f"{self.folder}/{self.folder}-360p.mp4", "w", force_zip64=True) as target,
            ):
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield sink.take()
            for track in self.captions():
                suffix = "-sdh" if track.kind == CaptionTrack.Kind.CAPTIONS else ""
                with default_storage.open(track.file, "rb") as handle:
                    archive.writestr(
                        f"{self.folder}/captions/{self.film.slug}.{track.language}{suffix}.vtt",
                        handle.read(),
                        compress_type=zipfile.ZIP_DEFLATED,
                    )
                yield sink.take()
            archive.writestr(
                f"{self.folder}/discussion-guide-and-attendance-sheet.pdf",
                guide_pdf,
                compress_type=zipfile.ZIP_DEFLATED,
            )
        yield sink.take()


def kit_for(film: Film, language: str) -> Kit | None:
    """The kit of the version spoken in `language`, else of the first playable version."""
    videos = list(Video.objects.playable().filter(film=film).select_related("current_encoding"))
    videos = [v for v in videos if v.current_encoding.download]
    if not videos:
        return None
    chosen = next((v for v in videos if v.language == language), videos[0])
    return Kit(film, chosen)
