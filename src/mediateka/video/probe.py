"""Inspect an uploaded video before any encoding starts.

Everything a later step relies on (dimensions after rotation, frame rate, whether there is sound) is
measured here once, and every file that would only fail later, after minutes of encoding, is refused
here with a message the uploader can act on.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error

from mediateka.video.frame_rate import average_rate, looks_variable, nominal_rate

UNREADABLE = "The container is unreadable or truncated: {detail}"
TRUNCATED_DETAIL = "the end of the file is missing or damaged"
NO_VIDEO = "The file has neither a video nor a sound stream."
ZERO_DURATION = "The video has zero duration."
TOO_LONG = "The video lasts {duration}, longer than the limit of {limit}."
# A sound-only upload (a radio spot) is a recording, not a video, in what its uploader reads.
SOUND_ZERO_DURATION = "The recording has zero duration."
SOUND_TOO_LONG = "The recording lasts {duration}, longer than the limit of {limit}."
EXTENSION_MISMATCH = "The file extension {ext} does not match its content ({content})."
EXTENSION_NOT_ACCEPTED = "The file extension {ext} is not accepted; use one of {accepted}."
UNDECODABLE = "The first video frames cannot be decoded ({codec})."
UNDECODABLE_SOUND = "The sound cannot be decoded ({codec})."
TOO_SMALL = "The picture is {width}×{height} pixels; a film needs at least {minimum} pixels on each side."
TOO_LARGE = "The picture is {width}×{height} pixels; at most {maximum} pixels on each side can be encoded."
NO_SIZE = "The video stream does not say how large its picture is."

# The smallest picture every step of the ladder takes: FFmpeg's deinterlacer needs chroma planes of
# at least 3 columns and 4 lines (8×8 in 4:2:0, 16×16 in 4:1:0), and one 16×16 macroblock is the
# least H.264 codes anyway. The largest: 8K cinema; beyond it decoding alone would exhaust a small server.
MIN_SIDE = 16
MAX_SIDE = 8192

# Demuxer names as FFmpeg reports them (AVInputFormat.name); one demuxer serves a whole family.
_MOV = "mov,mp4,m4a,3gp,3g2,mj2"
_MATROSKA = "matroska,webm"
_MPEG = frozenset({"mpeg", "mpegts", "mpegvideo"})

ACCEPTED_EXTENSIONS: dict[str, frozenset[str]] = {
    ".mp4": frozenset({_MOV}),
    ".m4v": frozenset({_MOV}),
    ".mov": frozenset({_MOV}),
    ".3gp": frozenset({_MOV}),
    ".mkv": frozenset({_MATROSKA}),
    ".webm": frozenset({_MATROSKA}),
    ".avi": frozenset({"avi"}),
    ".mpg": _MPEG,
    ".mpeg": _MPEG,
    ".ts": _MPEG,
    # Radio spots and other sound-only films: an audio version of a film.
    ".mp3": frozenset({"mp3"}),
    ".m4a": frozenset({_MOV}),
    ".aac": frozenset({"aac"}),
    ".wav": frozenset({"wav"}),
    ".ogg": frozenset({"ogg"}),
    ".opus": frozenset({"ogg"}),
    ".flac": frozenset({"flac"}),
}

# Names an uploader recognises, rather than FFmpeg's internal demuxer names.
_FRIENDLY_FORMAT = {
    _MOV: "MP4/QuickTime",
    _MATROSKA: "Matroska",
    "avi": "AVI",
    "mpeg": "MPEG program stream",
    "mpegts": "MPEG transport stream",
    "mpegvideo": "MPEG video",
    "mp3": "MP3",
    "wav": "WAV",
    "ogg": "Ogg",
    "flv": "Flash video",
    "asf": "Windows Media",
    "aac": "AAC audio",
    "flac": "FLAC",
    "gif": "GIF",
}

# Enough packets to get past decoder delay (B-frame reordering, HEVC/x265 lookahead) on any sane file.
_DECODE_PACKET_BUDGET = 64
# Packets whose timestamps are compared for the variable-frame-rate guess.
_VFR_SAMPLE_PACKETS = 120


class ProbeError(Exception):
    """A refusal whose message is shown to the uploader as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProbeResult:
    duration: float
    width: int  # as displayed: after rotation
    height: int
    coded_width: int  # as stored, before rotation
    coded_height: int
    rotation: int  # clockwise degrees a player turns the stored picture: 0, 90, 180 or 270
    frame_rate: float  # average
    variable_frame_rate: bool
    video_codec: str
    pix_fmt: str
    bit_depth: int
    audio_codec: str | None
    audio_channels: int
    container: str
    sample_aspect_ratio: Fraction = Fraction(1)
    # The rate of the commonest frame interval among the first packets: what the camera was set to, even
    # when a phone dropped frames in the dark (0 when too few packets tell).
    nominal_frame_rate: float = 0.0

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None

    @property
    def has_video(self) -> bool:
        return bool(self.video_codec)

    @property
    def display_aspect_ratio(self) -> float:
        if not self.height:
            return 16 / 9  # a sound-only film's picture (its waveform) is made at 16:9
        return self.width * float(self.sample_aspect_ratio) / self.height

    @property
    def is_portrait(self) -> bool:
        return self.display_aspect_ratio < 1


def probe(
    path: str | os.PathLike, *, max_duration: float | None = None, filename: str | None = None
) -> ProbeResult:
    """Measure the video at `path` or raise ProbeError naming what is wrong with it.

    `filename` is the name the uploader gave, when the stored file is named differently (a temporary
    upload file); its extension is the one checked against the content.
    """
    extension = Path(filename if filename is not None else os.fspath(path)).suffix.lower()
    if extension and extension not in ACCEPTED_EXTENSIONS:
        accepted = ", ".join(ACCEPTED_EXTENSIONS)
        raise ProbeError(EXTENSION_NOT_ACCEPTED.format(ext=extension, accepted=accepted))
    try:
        container = av.open(os.fspath(path), metadata_errors="ignore")
    except av.error.FFmpegError as exc:
        raise ProbeError(UNREADABLE.format(detail=_detail(exc))) from exc
    try:
        return _inspect(container, extension, max_duration)
    finally:
        container.close()


def _inspect(container, extension: str, max_duration: float | None) -> ProbeResult:
    format_name = container.format.name
    if extension and format_name not in ACCEPTED_EXTENSIONS[extension]:
        content = _FRIENDLY_FORMAT.get(format_name) or container.format.long_name or format_name
        raise ProbeError(EXTENSION_MISMATCH.format(ext=extension, content=content))

    video = _main_video_stream(container)
    audio = container.streams.audio[0] if container.streams.audio else None
    if video is None:
        if audio is None:
            raise ProbeError(NO_VIDEO)
        return _inspect_sound(container, audio, format_name, max_duration)
    # Before decoding: a picture of absurd size is refused without allocating it.
    _check_size(video.codec_context.width, video.codec_context.height, declared=True)

    duration = _duration(container, video)
    if duration <= 0:
        raise ProbeError(ZERO_DURATION)
    if max_duration is not None and duration > max_duration:
        raise ProbeError(TOO_LONG.format(duration=_clock(duration), limit=_clock(max_duration)))

    first_frame, packet_times = _decode_head(container, video)
    if first_frame is None:
        raise ProbeError(UNDECODABLE.format(codec=video.codec_context.name))
    if _tail_is_missing(container, duration):
        raise ProbeError(UNREADABLE.format(detail=TRUNCATED_DETAIL))

    # The display matrix angle is counterclockwise; the old "rotate" tag, and phone vendors, speak clockwise.
    rotation = (-int(first_frame.rotation)) % 360 if first_frame.rotation else _rotate_tag(video)
    rotation = 90 * round(rotation / 90) % 360
    coded_width, coded_height = first_frame.width, first_frame.height
    _check_size(coded_width, coded_height, declared=False)
    sample_aspect = _sample_aspect_ratio(video)
    width, height = coded_width, coded_height
    if rotation in (90, 270):
        width, height, sample_aspect = height, width, 1 / sample_aspect

    fmt = first_frame.format
    return ProbeResult(
        duration=duration,
        width=width,
        height=height,
        coded_width=coded_width,
        coded_height=coded_height,
        rotation=rotation,
        frame_rate=average_rate(video, duration),
        variable_frame_rate=looks_variable(packet_times),
        nominal_frame_rate=nominal_rate(packet_times, video.time_base),
        video_codec=video.codec_context.name,
        pix_fmt=fmt.name,
        bit_depth=max((c.bits for c in fmt.components), default=8),
        audio_codec=audio.codec_context.name if audio is not None else None,
        audio_channels=audio.codec_context.channels if audio is not None else 0,
        container=format_name,
        sample_aspect_ratio=sample_aspect,
    )


def _inspect_sound(container, audio, format_name: str, max_duration: float | None) -> ProbeResult:
    """A sound-only file (a radio spot): its duration and sound, and that the sound decodes."""
    duration = _duration(container, audio)
    if duration <= 0:
        raise ProbeError(SOUND_ZERO_DURATION)
    if max_duration is not None and duration > max_duration:
        raise ProbeError(SOUND_TOO_LONG.format(duration=_clock(duration), limit=_clock(max_duration)))
    decoded = False
    try:
        for packet in container.demux(audio):
            if packet.size and audio.codec_context.decode(packet):
                decoded = True
                break
    except av.error.FFmpegError:
        pass
    if not decoded:
        raise ProbeError(UNDECODABLE_SOUND.format(codec=audio.codec_context.name))
    if _tail_is_missing(container, duration):
        raise ProbeError(UNREADABLE.format(detail=TRUNCATED_DETAIL))
    return ProbeResult(
        duration=duration,
        width=0,
        height=0,
        coded_width=0,
        coded_height=0,
        rotation=0,
        frame_rate=0.0,
        variable_frame_rate=False,
        video_codec="",
        pix_fmt="",
        bit_depth=0,
        audio_codec=audio.codec_context.name,
        audio_channels=audio.codec_context.channels,
        container=format_name,
    )


def _check_size(width: int, height: int, *, declared: bool) -> None:
    if not width or not height:
        if declared:
            return  # some containers leave it to the decoder; the first frame tells
        raise ProbeError(NO_SIZE)
    if min(width, height) < MIN_SIDE:
        raise ProbeError(TOO_SMALL.format(width=width, height=height, minimum=MIN_SIDE))
    if max(width, height) > MAX_SIDE:
        raise ProbeError(TOO_LARGE.format(width=width, height=height, maximum=MAX_SIDE))


def _detail(exc: av.error.FFmpegError) -> str:
    # str(exc) carries the server-side path, which the uploader must not see.
    return (exc.strerror or type(exc).__name__).rstrip(".")


def _main_video_stream(container):
    # Cover art in MP3/M4A files is a one-picture "video" stream; it is not a film.
    for stream in container.streams.video:
        if not stream.disposition & av.stream.Disposition.attached_pic:
            return stream
    return None


def _duration(container, video) -> float:
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    if video.duration and video.time_base is not None:
        return float(video.duration * video.time_base)
    # Live-written files (a browser's MediaRecorder WebM) carry no duration; read the timestamps.
    try:
        duration = _packet_end(container.demux(), container.start_time or 0) or 0.0
    except _Damaged as exc:
        raise ProbeError(UNREADABLE.format(detail=TRUNCATED_DETAIL)) from exc
    with contextlib.suppress(av.error.FFmpegError):
        container.seek(0)
    return duration


def _packet_end(packets, start: int) -> float | None:
    """The end time, in seconds from `start` (AV_TIME_BASE units), of the latest packet read.

    Raises _Damaged when a packet is flagged corrupt or the demuxer fails mid-way.
    """
    reached: float | None = None
    try:
        for packet in packets:
            if packet.size == 0:
                continue
            if packet.is_corrupt:
                raise _Damaged
            ts = packet.pts if packet.pts is not None else packet.dts
            if ts is None or packet.time_base is None:
                continue
            end = float((ts + (packet.duration or 0)) * packet.time_base) - start / av.time_base
            reached = end if reached is None else max(reached, end)
    except av.error.FFmpegError as exc:
        raise _Damaged from exc
    return reached


class _Damaged(Exception):
    pass


def _decode_head(container, video):
    """Decode until the first picture comes out; keep the early packet times for the VFR guess."""
    first_frame = None
    packet_times: list[int] = []
    decoded_packets = 0
    try:
        for packet in container.demux(video):
            if packet.size == 0:
                continue
            if packet.pts is not None:
                packet_times.append(packet.pts)
            if first_frame is None and decoded_packets < _DECODE_PACKET_BUDGET:
                decoded_packets += 1
                try:
                    frames = video.codec_context.decode(packet)
                except av.error.FFmpegError:
                    frames = []
                if frames:
                    first_frame = frames[0]
            if len(packet_times) >= _VFR_SAMPLE_PACKETS and (
                first_frame is not None or decoded_packets >= _DECODE_PACKET_BUDGET
            ):
                break
        if first_frame is None:
            # Decoders with delay hold their pictures back until drained.
            frames = video.codec_context.decode(None)
            first_frame = frames[0] if frames else None
    except av.error.FFmpegError:
        pass
    return first_frame, packet_times


def _tail_is_missing(container, duration: float) -> bool:
    """Whether the last tenth of the film cannot be read although the header promises it.

    A file cut short after an MP4 "faststart" header, or a Matroska file, still opens and decodes
    from the start; only reading to the end shows the damage.
    """
    start = container.start_time or 0
    try:
        # Lands on the keyframe before the target, so even a one-frame file has a packet to read.
        container.seek(start + int(duration * 0.9 * av.time_base))
    except av.error.FFmpegError:
        return False  # not seekable: nothing can be told, and encoding will still read what there is
    try:
        reached = _packet_end(container.demux(), start)
    except _Damaged:
        return True
    return reached is None or reached < duration - max(0.5, duration * 0.02)


def _rotate_tag(video) -> int:
    try:
        return int(float(video.metadata.get("rotate", 0))) % 360
    except ValueError:
        return 0


def _sample_aspect_ratio(video) -> Fraction:
    sar = video.codec_context.sample_aspect_ratio or video.sample_aspect_ratio
    if not sar or sar <= 0:
        return Fraction(1)
    return Fraction(sar)


def _clock(seconds: float) -> str:
    total = round(seconds)
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
