"""Running the ladder's one FFmpeg command (ladder.build_command) and reading back what it wrote.

FFmpeg reports progress on a pipe (ProgressMeter), runs in its own process group and dies with the
process that started it, even one killed by SIGKILL (PR_SET_PDEATHSIG on Linux), so an encode never
outlives its worker. Its rung and master playlists are read and rewritten with the m3u8 library:
every rung's init segment gets one name, a last segment shorter than a second joins the one before it,
and the master lists each variant's CODECS, FRAME-RATE and the BANDWIDTH its segments really take.
"""

from __future__ import annotations

import collections
import ctypes
import dataclasses
import functools
import math
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import m3u8

from mediateka.video.binaries import ffmpeg_path
from mediateka.video.probe import ProbeResult
from mediateka.video.sound_ladder import build_sound_command

from .ladder import (
    INIT_SEGMENT,
    MASTER_PLAYLIST,
    POSTER,
    RUNG_PLAYLIST,
    SHORTEST_LAST_SEGMENT,
    SMALL_DOWNLOAD,
    THUMBNAIL,
    Rung,
    build_command,
    download_name,
    plan_rungs,
    quick_ladder,
    quick_rungs,
    still_name,
    still_sizes,
)


class EncodeError(Exception):
    def __init__(self, message: str, stderr_tail: str = "", returncode: int | None = None):
        super().__init__(message)
        self.message = message
        self.stderr_tail = stderr_tail
        self.returncode = returncode  # negative when a signal ended FFmpeg

    @property
    def interrupted(self) -> bool:
        """Whether FFmpeg was stopped from outside (the OOM killer, an operator), not by its input."""
        signalled = self.returncode is not None and self.returncode < 0
        return signalled or "received signal" in self.stderr_tail


class FFmpegUnavailable(EncodeError):
    """The FFmpeg program could not be started at all (missing, not executable): the server's fault."""


@dataclass(frozen=True)
class EncodedRung:
    rung: Rung
    playlist: Path
    bytes: int  # init segment plus media segments, as stored
    duration: float  # sum of the playlist's segment durations
    bitrate: int  # measured average, bit/s
    peak: int = 0  # the costliest media segment, bit/s: the master's BANDWIDTH
    average: int = 0  # the media segments' mean, bit/s: the master's AVERAGE-BANDWIDTH

    @property
    def name(self) -> str:
        return self.rung.name


@dataclass(frozen=True)
class LadderResult:
    rungs: list[EncodedRung]
    master_playlist: Path
    poster: Path
    thumbnail: Path
    download: Path
    warnings: tuple[str, ...] = ()  # what FFmpeg logged at warning level or above, for the job log
    stills: tuple[tuple[int, int, Path], ...] = ()  # (width, height, file): small copies of the poster
    small: Path | None = None  # the lowest video rung as one MP4 (SMALL_DOWNLOAD); None without video


class ProgressMeter:
    """Turns FFmpeg's `-progress` key=value lines into percentages for a callback.

    Reports rise strictly and come at most once per `interval` seconds; 100 is left to `finish`, so
    a caller never sees 100 for a run that then fails.
    """

    def __init__(
        self,
        duration: float,
        callback: Callable[[float], None] | None,
        *,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.duration = duration
        self.callback = callback
        self.interval = interval
        self.clock = clock
        self.last_reported = -1.0
        self.last_time: float | None = None
        self.percent = 0.0

    def feed(self, line: str) -> None:
        key, _, value = line.strip().partition("=")
        # out_time_ms holds microseconds too, despite its name.
        if key in ("out_time_us", "out_time_ms"):
            seconds = _number(value, 1e-6)
        else:
            if key == "progress":
                self._report()
            return
        if seconds is not None and self.duration > 0:
            self.percent = max(self.percent, min(99.9, 100 * seconds / self.duration))

    def _report(self) -> None:
        if self.callback is None or self.percent <= self.last_reported:
            return
        now = self.clock()
        if self.last_time is not None and now - self.last_time < self.interval:
            return
        self.last_time = now
        self.last_reported = self.percent
        self.callback(self.percent)

    def finish(self) -> None:
        if self.callback is not None:
            self.callback(100.0)


def _number(value: str, scale: float) -> float | None:
    try:
        return int(value) * scale
    except ValueError:
        return None  # "N/A" before the first packet is written


def run_ladder(
    source: str | os.PathLike,
    out_dir: str | os.PathLike,
    probe_result: ProbeResult,
    *,
    on_progress: Callable[[float], None] | None = None,
    rungs: list[Rung] | None = None,
    preset: str | None = None,
) -> LadderResult:
    """Encode the ladder into `out_dir` (best empty) and measure what was written.

    Without `rungs` and `preset`, the full ladder at the medium preset; with MEDIATEKA_LADDER = "quick"
    (the test suite's), the quick_rungs at the ultrafast preset.
    An exception raised by `on_progress` stops FFmpeg and propagates: that is how a caller cancels.
    """
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    quick = quick_ladder()
    if rungs is None:
        rungs = quick_rungs(probe_result) if quick else plan_rungs(probe_result)
    preset = preset or ("ultrafast" if quick else "medium")
    if probe_result.has_video:
        argv = build_command(source, out_dir, probe_result, rungs, preset=preset)
    else:
        argv = build_sound_command(source, out_dir, probe_result, rungs)
    meter = ProgressMeter(probe_result.duration, on_progress)
    stderr_tail: collections.deque[str] = collections.deque(maxlen=25)

    try:
        process = subprocess.Popen(  # noqa: S603 - argv is built here, never through a shell
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            # Its own process group: a Ctrl-C at the worker's terminal asks the worker to finish the
            # job, and must not reach FFmpeg and fail the encode.
            process_group=0,
            # Thread-safe enough: it runs only a prctl looked up beforehand, and getppid.
            preexec_fn=die_with_parent(),
        )
    except OSError as error:
        raise FFmpegUnavailable(f"ffmpeg could not be started: {error.strerror or error}") from error
    # Drained on a thread: a full stderr pipe would block FFmpeg while we wait on stdout.
    drain = threading.Thread(target=_drain, args=(process.stderr, stderr_tail), daemon=True)
    drain.start()
    try:
        for line in process.stdout:
            meter.feed(line)
        returncode = process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        drain.join(timeout=5)
    if returncode != 0:
        tail = "\n".join(stderr_tail)
        raise EncodeError(f"ffmpeg failed with exit status {returncode}:\n{tail}", tail, returncode)

    download = out_dir / download_name(probe_result)
    result = _collect(out_dir, rungs, still_sizes(probe_result), download, tuple(stderr_tail))
    result = dataclasses.replace(result, small=_small_copy(result))
    meter.finish()
    return result


PR_SET_PDEATHSIG = 1


def die_with_parent() -> Callable[[], None] | None:
    """What a new FFmpeg runs before exec so that it dies with the worker, even one killed by SIGKILL.

    Linux sends the signal when the thread that started the child ends; that is the job process's
    main thread, which waits for FFmpeg to the end (run_ladder kills it on any way out), so the
    signal comes exactly when the job process dies. Elsewhere FFmpeg may outlive a killed worker.
    The worker's job processes die with their supervisor the same way (mediateka.worker).
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = _prctl()
    parent = os.getpid()

    def die_with_parent() -> None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
        if os.getppid() != parent:  # the worker died before prctl: nobody would send the signal
            os._exit(1)

    return die_with_parent


@functools.cache
def _prctl():
    # Looked up in the parent: the child, between fork and exec, should do as little as it can.
    return ctypes.CDLL(None, use_errno=True).prctl


def _drain(stream, tail: collections.deque[str]) -> None:
    for line in stream:
        if line.strip():
            tail.append(line.rstrip())


def _collect(
    out_dir: Path,
    rungs: list[Rung],
    stills: list[tuple[int, int]],
    download: Path,
    warnings: tuple[str, ...],
) -> LadderResult:
    encoded = []
    for rung in rungs:
        playlist = out_dir / rung.name / RUNG_PLAYLIST
        if not playlist.is_file():
            raise EncodeError(f"ffmpeg wrote no playlist for the {rung.name} rung.")
        _rename_init_segment(playlist)
        _join_short_tail(playlist)
        encoded.append(_measure(rung, playlist))
    master = out_dir / MASTER_PLAYLIST
    _describe_variants(master, encoded)
    for name in (POSTER, THUMBNAIL, download.name, *(still_name(width) for width, _h in stills)):
        if not (out_dir / name).is_file() or (out_dir / name).stat().st_size == 0:
            raise EncodeError(f"ffmpeg did not write {name}.")
    return LadderResult(
        rungs=encoded,
        master_playlist=master,
        poster=out_dir / POSTER,
        thumbnail=out_dir / THUMBNAIL,
        download=download,
        warnings=warnings,
        stills=tuple((width, height, out_dir / still_name(width)) for width, height in stills),
    )


def _rename_init_segment(playlist: Path) -> None:
    """Give every rung's init segment the same name, init.mp4.

    With several variants FFmpeg appends the variant number (init_0.mp4, init_1.mp4 …) even though
    each variant already has a directory of its own.
    """
    parsed = m3u8.load(str(playlist))
    init = parsed.segment_map[0] if parsed.segment_map else None
    if init is None or init.uri == INIT_SEGMENT:
        return
    (playlist.parent / init.uri).replace(playlist.parent / INIT_SEGMENT)
    init.uri = INIT_SEGMENT
    for segment in parsed.segments:
        segment.init_section = init
    parsed.dump(str(playlist))


def _small_copy(result: LadderResult) -> Path | None:
    """The lowest video rung's segments copied into one MP4 with its index first (no re-encoding)."""
    lowest = next((encoded for encoded in result.rungs if not encoded.rung.is_audio_only), None)
    if lowest is None:
        return None
    small = result.master_playlist.parent / SMALL_DOWNLOAD
    argv = [ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    argv += ["-i", str(lowest.playlist), "-map", "0", "-c", "copy", "-movflags", "+faststart", str(small)]
    done = subprocess.run(argv, capture_output=True, text=True, errors="replace", check=False)  # noqa: S603
    if done.returncode != 0 or not small.is_file():
        raise EncodeError(
            f"ffmpeg could not copy the {lowest.name} rung into {SMALL_DOWNLOAD}: {done.stderr[-500:]}"
        )
    return small


def _join_short_tail(playlist: Path) -> None:
    """Join a last segment shorter than SHORTEST_LAST_SEGMENT to the one before it.

    The segments are cut on a fixed grid, so a film's end rarely meets it: a 12.5 s film would end
    with 0.5 s, a request a slow link pays in full latency for almost nothing. A segment may hold
    several fragments (moof+mdat pairs); the tail's are appended, and the index boxes (sidx), which
    would no longer describe the whole segment, are dropped (players read the fragments themselves).
    """
    parsed = m3u8.load(str(playlist))
    if len(parsed.segments) < 2 or parsed.segments[-1].duration >= SHORTEST_LAST_SEGMENT:
        return
    last, before = parsed.segments[-1], parsed.segments[-2]
    folder = playlist.parent
    joined = _boxes(folder / before.uri, drop=(b"sidx",)) + _boxes(folder / last.uri, drop=(b"sidx", b"styp"))
    (folder / before.uri).write_bytes(joined)
    (folder / last.uri).unlink()
    before.duration = round(before.duration + last.duration, 6)
    parsed.segments.remove(last)
    parsed.target_duration = math.ceil(max(segment.duration for segment in parsed.segments))
    parsed.dump(str(playlist))


def _boxes(path: Path, drop: tuple[bytes, ...]) -> bytes:
    """The file's top-level ISO BMFF boxes without those whose type is in `drop`."""
    data = path.read_bytes()
    kept, offset = [], 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        kind = data[offset + 4 : offset + 8]
        if size == 1:  # a 64-bit size follows the type
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        elif size == 0:  # to the end of the file
            size = len(data) - offset
        if size < 8:
            raise EncodeError(f"ffmpeg wrote a damaged segment: {path.name}")
        if kind not in drop:
            kept.append(data[offset : offset + size])
        offset += size
    return b"".join(kept)


def _measure(rung: Rung, playlist: Path) -> EncodedRung:
    parsed = m3u8.load(str(playlist))
    folder = playlist.parent
    init_bytes = sum((folder / init.uri).stat().st_size for init in parsed.segment_map)
    sizes = [(folder / segment.uri).stat().st_size for segment in parsed.segments]
    duration = sum(segment.duration for segment in parsed.segments)
    total_bytes = init_bytes + sum(sizes)
    bitrate = round(total_bytes * 8 / duration) if duration > 0 else 0
    pairs = zip(sizes, parsed.segments, strict=True)
    rates = [size * 8 / segment.duration for size, segment in pairs if segment.duration > 0]
    peak = round(max(rates, default=0))
    average = round(sum(sizes) * 8 / duration) if duration > 0 else 0
    return EncodedRung(rung, playlist, total_bytes, duration, bitrate, peak=peak, average=average)


def _describe_variants(master: Path, encoded: list[EncodedRung]) -> None:
    """CODECS (FFmpeg skips codecs it cannot describe), FRAME-RATE (it writes none), and BANDWIDTH and
    AVERAGE-BANDWIDTH from the segments as finally stored."""
    if not master.is_file():
        raise EncodeError("ffmpeg wrote no master playlist.")
    by_uri = {f"{rung.name}/{RUNG_PLAYLIST}": rung for rung in encoded}
    parsed = m3u8.load(str(master))
    for variant in parsed.playlists:
        rung = by_uri.get(variant.uri)
        if rung is None:
            continue
        info = variant.stream_info
        info.codecs = info.codecs or rung.rung.codecs
        info.bandwidth = rung.peak or info.bandwidth
        info.average_bandwidth = rung.average or info.average_bandwidth
        if not rung.rung.is_audio_only:
            info.frame_rate = round(float(rung.rung.frame_rate), 3)
    parsed.dump(str(master))
