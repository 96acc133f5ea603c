"""What saving a version for offline viewing stores, in bytes, from the real files in storage.

For each rung: its init and media segments (Rung.bytes, measured when the encoding was made), its
media playlist, and what every rung's save stores besides: the version's WebVTT tracks and the poster a
phone gets. One storage stat per playlist, track and poster: on object storage, a HEAD each, paid
only when the film page is rendered (it is then kept, ops.page_cache).
"""

from django.core.files.storage import default_storage

from .stills import PHONE_WIDTH


def _size(path: str) -> int:
    try:
        return default_storage.size(path)
    except (OSError, ValueError):
        return 0  # a missing file: the save will say so when it fetches it


def phone_poster_path(encoding) -> str:
    """The file behind stills.poster_choices' phone poster."""
    widths = [width for width, _height in encoding.still_sizes]
    width = next((w for w in widths if w >= PHONE_WIDTH), widths[-1] if widths else None)
    return encoding.still_path(width) if width else encoding.path(encoding.poster)


def offline_sizes(versions) -> dict[str, dict[str, int]]:
    """{language: {rung name: bytes a save of that rung stores}} for each version (playback.Version)."""
    sizes = {}
    for version in versions:
        encoding = version.video.current_encoding
        besides = _size(phone_poster_path(encoding)) + sum(
            _size(track.file) for track in version.video.captions.all()
        )
        sizes[version.language] = {
            rung.name: rung.bytes + _size(encoding.path(rung.playlist)) + besides
            for rung in encoding.rungs.all()
        }
    return sizes
