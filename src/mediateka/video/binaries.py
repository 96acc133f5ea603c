"""Where the ffmpeg binary lives.

The wheel of imageio-ffmpeg ships a static ffmpeg, so `pip install` is the whole set-up; a system
ffmpeg (for example one with hardware encoders) can be named with MEDIATEKA_FFMPEG.
"""

from functools import cache

from django.conf import settings


@cache
def ffmpeg_path() -> str:
    configured = getattr(settings, "FFMPEG_BINARY", "") if settings.configured else ""
    if configured:
        return configured
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()
