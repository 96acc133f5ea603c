"""Test clips made on the spot with FFmpeg's synthetic sources, so the repository holds no media."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from mediateka.video.binaries import ffmpeg_path

_AUDIO_LAYOUTS = {
    "mono": "pan=mono|c0=c0",
    "stereo": "pan=stereo|c0=c0|c1=c0",
    "5.1": "pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0",
}


_HEAD = (ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y")


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"making a test clip failed: {' '.join(argv)}\n{done.stderr[-2000:]}")


def make_clip(
    path: str | Path,
    *,
    seconds: float = 3,
    width: int = 320,
    height: int = 240,
    fps: float = 25,
    audio: str | None = "stereo",
    codec: str = "libx264",
    pix_fmt: str = "yuv420p",
    rotate: int | None = None,
    vfr: bool = False,
    video: bool = True,
    faststart: bool = False,
    live: bool = False,
    interlaced: bool = False,
) -> Path:
    """Write a clip whose container follows the extension of `path`.

    `rotate` is the clockwise angle a player must turn the stored picture, as phones record it;
    `vfr` drops three frames in ten so frame intervals vary; `video=False` makes an audio-only file.
    Odd dimensions come out as 4:4:4 (what screen recorders write), since x264 cannot store odd 4:2:0.
    `faststart` puts an MP4's index first; `live` writes Matroska without a duration, as browsers do;
    `interlaced` codes the pictures as top-field-first interlaced, as camcorders and broadcast do.
    """
    path = Path(path)
    argv = list(_HEAD)
    inputs = 0
    if video:
        # testsrc2 rounds its size down to even numbers, so odd sizes are scaled afterwards.
        even = f"{width + width % 2}x{height + height % 2}"
        argv += ["-f", "lavfi", "-i", f"testsrc2=size={even}:rate={fps}:duration={seconds}"]
        inputs += 1
    if audio:
        argv += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"]
        inputs += 1
    if video:
        vfilter = f"scale={width}:{height}"
        if vfr:
            vfilter += ",select='lt(mod(n\\,10)\\,7)'"
        if interlaced:
            vfilter += ",setfield=tff"
        if (width % 2 or height % 2) and pix_fmt == "yuv420p":
            pix_fmt = "yuv444p"
        argv += ["-filter:v", vfilter, "-map", "0:v"]
        argv += ["-c:v", codec, "-preset", "ultrafast", "-pix_fmt", pix_fmt]
        if codec == "libx265":
            argv += ["-tag:v", "hvc1", "-x265-params", "log-level=error"]
        if vfr:
            argv += ["-fps_mode", "vfr"]
        if interlaced:
            argv += ["-flags", "+ildct+ilme", "-x264-params", "tff=1"]
    if audio:
        argv += ["-filter:a", _AUDIO_LAYOUTS[audio], "-map", f"{inputs - 1}:a"]
        argv += ["-c:a", "libmp3lame" if path.suffix == ".mp3" else "aac"]
    if faststart:
        argv += ["-movflags", "+faststart"]
    if live:
        argv += ["-live", "1"]
    if rotate is None:
        _run([*argv, str(path)])
        return path
    # Rotation is container metadata; setting it while encoding would turn the pixels instead.
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / f"plain{path.suffix}"
        _run([*argv, str(plain)])
        # -display_rotation counts counterclockwise.
        rotation = ["-display_rotation", str(-rotate), "-i", str(plain), "-c", "copy", str(path)]
        _run([*_HEAD, *rotation])
    return path


def make_empty_clip(path: str | Path, *, video: bool = True) -> Path:
    """A fragmented MP4 (or M4A) whose one track has no frames at all: a stream, but zero duration."""
    path = Path(path)
    if video:
        picture = "testsrc2=size=320x240:rate=25:duration=1"
        source = ["-f", "lavfi", "-i", picture, "-frames:v", "0", "-c:v", "libx264"]
    else:
        source = ["-f", "lavfi", "-i", "sine=duration=1", "-frames:a", "0", "-c:a", "aac"]
    _run([*_HEAD, *source, "-movflags", "frag_keyframe+empty_moov", str(path)])
    return path


def make_solid_clip(path: str | Path, *, width: int, height: int, seconds: float = 1) -> Path:
    """A one-colour clip of any size, down to the 2×2 that testsrc2 cannot draw (odd sizes in 4:4:4)."""
    path = Path(path)
    pix_fmt = "yuv444p" if width % 2 or height % 2 else "yuv420p"
    source = ["-f", "lavfi", "-i", f"color=c=teal:s={width}x{height}:r=25:d={seconds}"]
    _run([*_HEAD, *source, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", pix_fmt, str(path)])
    return path
