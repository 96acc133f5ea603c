"""The poster's smaller copies for an encoding made before the ladder made them (ladder.STILL_WIDTHS).

New encodings get theirs in the ladder's one FFmpeg run; this makes the same files from the stored
poster, beside it under the encoding's prefix, so they are exposed and signed as the poster is.
"""

import subprocess
import tempfile
from pathlib import Path

import av
from django.db import transaction

from mediateka.catalogue import changes

from .binaries import ffmpeg_path
from .ladder import STILL_QUALITY, still_name, stills_of_poster
from .models import Encoding
from .storage import local_copy, store_tree


def _picture_size(path: Path) -> tuple[int, int]:
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        return frame.width, frame.height


def make_stills(encoding: Encoding) -> list[tuple[int, int]]:
    """Writes the stills of the encoding's poster and records them; returns their sizes."""
    with local_copy(encoding.path(encoding.poster)) as poster, tempfile.TemporaryDirectory() as work:
        sizes = stills_of_poster(*_picture_size(poster))
        for width, height in sizes:
            still = str(Path(work) / still_name(width))
            argv = [ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", str(poster)]
            argv += ["-vf", f"scale={width}:{height}", "-q:v", str(STILL_QUALITY), still]
            subprocess.run(argv, check=True, capture_output=True)  # noqa: S603 - argv is built here, no shell
        # Stored before they are recorded: a page never names a still that is not there yet.
        store_tree(Path(work), encoding.storage_dir)
    with transaction.atomic():
        Encoding.objects.filter(pk=encoding.pk).update(stills=",".join(f"{w}x{h}" for w, h in sizes))
        changes.touch([encoding.video.film_id])
    return sizes


def without_stills():
    """Complete encodings that have a poster and no stills: what `make_stills` has to do."""
    return (
        Encoding.objects.filter(state=Encoding.State.COMPLETE, stills="")
        .exclude(poster="")
        .select_related("video")
        .order_by("pk")
    )
