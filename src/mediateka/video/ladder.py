"""The adaptive-streaming ladder, made by one FFmpeg process.

The source is decoded once and the decoded picture is split to every rung, the poster, the thumbnail
and the download copy; decoding (HEVC, 10-bit, high resolutions) is the costly part on a small
server, so doing it once instead of once per rung is the point of this module.

Rung names give the short side of the picture: "360p" is 640x360 for a landscape film and 360x640 for
a portrait phone video. A rung's `height` and `width` are the real output dimensions.

Every video rung carries its own audio (muxed fMP4 segments), so each variant is self-contained and
its BANDWIDTH is what the phone really downloads; an audio-only variant is listed last for
connections too slow even for 144p.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from mediateka.video.binaries import ffmpeg_path
from mediateka.video.probe import ProbeResult

from .frame_rate import output_frame_rate, rung_frame_rate
from .rung_design import (
    AUDIO_ONLY,
    BETTER_SOUND,
    DOWNLOAD_SPEC,
    LINK_SHARE,
    VBV_BUFFER_SECONDS,
    VIDEO_LADDER,
    X264_EFFORT,
    RungSpec,
    h264_level,
)

SEGMENT_SECONDS = 4
# The first segment is shorter: on a 256 kbit/s link a 4 s segment of 144p takes some 2.5 s to arrive
# before the first frame shows; 2 s halves that. Keyframes follow the grid 0, 2, 6, 10 … in every rung.
FIRST_SEGMENT_SECONDS = 2
SHORTEST_LAST_SEGMENT = 1.0  # seconds: a shorter tail is joined to the segment before it
AUDIO_SAMPLE_RATE = 48_000
POSTER_SHORT_SIDE = 720
THUMBNAIL_WIDTH = 320
POSTER_AT = 0.10  # of the duration: past opening black frames and titles
# Smaller copies of the poster, by width: a film card (160, 360 on a sharp screen) and the film page on
# a phone (360) cost a few kilobytes instead of the full poster's tens. None wider than the poster: a
# width past it is made at the poster's own, at the stills' lower JPEG quality.
STILL_WIDTHS = (160, 360, 640)
STILL_QUALITY = 8  # FFmpeg's JPEG -q:v (2 best … 31): a 360 px still of a film frame stays near 6–8 KB

MASTER_PLAYLIST = "master.m3u8"
RUNG_PLAYLIST = "index.m3u8"
INIT_SEGMENT = "init.mp4"
POSTER = "poster.jpg"
THUMBNAIL = "thumb.jpg"
DOWNLOAD = "download.mp4"
# The lowest rung with its sound as one MP4, copied from its segments (no second encode): what the
# player falls back to under data saver where HLS cannot play, and what a person sends to a phone.
SMALL_DOWNLOAD = "small.mp4"
SOUND_DOWNLOAD = "download.m4a"  # a sound-only film's download
# A sound-only film's picture: its waveform on the site's dark blue, at 16:9.
SOUND_PICTURE = (1280, 720)


def still_name(width: int) -> str:
    return f"still-{width}.jpg"


AAC_LC = "mp4a.40.2"


@dataclass(frozen=True)
class Rung:
    name: str  # "144p" … "720p" (the short side) or "audio"
    height: int  # 0 for the audio-only rung
    width: int
    video_bitrate: int  # the video's cap (maxrate), bit/s; 0 for the audio-only rung
    audio_bitrate: int  # bit/s; 0 when the source has no sound
    codecs: str  # RFC 6381, as in the master playlist
    audio_channels: int = 0
    h264_level: int = 0  # level_idc, e.g. 30 for 3.0
    crf: int = 0
    psy_rd: float = 1.0
    b_adapt: int = 1
    link: int = 0  # bit/s: the slowest link the rung is made for
    frame_rate: Fraction = Fraction(0)  # 0 for the audio-only rung

    @property
    def peak_budget(self) -> int:
        """The most a segment may cost in bit/s, audio and container included, to play on its link."""
        return int(self.link * LINK_SHARE)

    @property
    def is_audio_only(self) -> bool:
        return self.video_bitrate == 0


def _even(value: float) -> int:
    return max(2, 2 * round(value / 2))


def _size_for_short_side(probe_result: ProbeResult, short_side: int) -> tuple[int, int]:
    aspect = probe_result.display_aspect_ratio
    if aspect < 1:
        return short_side, _even(short_side / aspect)
    return _even(short_side * aspect), short_side


def _source_short_side(probe_result: ProbeResult) -> int:
    # Rounded down to even: 4:2:0 H.264 cannot have an odd side, and upscaling by a pixel is pointless.
    return max(2, min(probe_result.width, probe_result.height) // 2 * 2)


def _make_rung(name: str, spec: RungSpec, probe_result: ProbeResult, short_side: int) -> Rung:
    width, height = _size_for_short_side(probe_result, short_side)
    rate = rung_frame_rate(output_frame_rate(probe_result), spec.short_side)
    level = h264_level(width, height, rate)
    # High profile: its 8x8 transform saves some 10 % at the same quality, and every phone that plays
    # H.264 at all (Android since 4.x, every iPhone since the 4S) decodes it.
    codecs = [f"avc1.6400{level:02x}"]
    if probe_result.has_audio:
        codecs.append(AAC_LC)
    return Rung(
        name=name,
        height=height,
        width=width,
        video_bitrate=spec.video_cap,
        audio_bitrate=spec.audio_bitrate if probe_result.has_audio else 0,
        codecs=",".join(codecs),
        audio_channels=_channels(spec, probe_result),
        h264_level=level,
        crf=spec.crf,
        psy_rd=spec.psy_rd,
        b_adapt=spec.b_adapt,
        link=spec.link,
        frame_rate=rate,
    )


def _channels(spec: RungSpec, probe_result: ProbeResult) -> int:
    if not probe_result.has_audio:
        return 0
    return min(spec.audio_channels, probe_result.audio_channels or spec.audio_channels)


def download_name(probe_result: ProbeResult) -> str:
    return DOWNLOAD if probe_result.has_video else SOUND_DOWNLOAD


def _sound_rung(name: str, spec: RungSpec, probe_result: ProbeResult) -> Rung:
    return Rung(
        name=name,
        height=0,
        width=0,
        video_bitrate=0,
        audio_bitrate=spec.audio_bitrate,
        codecs=AAC_LC,
        audio_channels=_channels(spec, probe_result),
        link=spec.link,
    )


def plan_rungs(probe_result: ProbeResult) -> list[Rung]:
    """The rungs at or below the source's short side (144p always), then the audio-only rung.

    A sound-only source gets the audio-only rung and "audio-hq", the better sound."""
    if not probe_result.has_video:
        return [
            _sound_rung("audio", AUDIO_ONLY, probe_result),
            _sound_rung("audio-hq", BETTER_SOUND, probe_result),
        ]
    source = _source_short_side(probe_result)
    rungs = []
    for spec in VIDEO_LADDER:
        if spec.short_side <= source or spec.short_side == VIDEO_LADDER[0].short_side:
            # A source smaller than 144p keeps its own size: upscaling would spend bits on blur.
            rungs.append(_make_rung(f"{spec.short_side}p", spec, probe_result, min(spec.short_side, source)))
    if probe_result.has_audio:
        rungs.append(_sound_rung("audio", AUDIO_ONLY, probe_result))
    return rungs


def quick_rungs(probe_result: ProbeResult) -> list[Rung]:
    """The test suite's quick ladder: the lowest rung and the audio rung, enough for a film to play."""
    return [rung for i, rung in enumerate(plan_rungs(probe_result)) if i == 0 or rung.is_audio_only]


def quick_ladder() -> bool:
    # Only a settings module can ask for it (tests/quick_settings.py): no environment variable reaches
    # MEDIATEKA_LADDER, so a deployment cannot encode its films with the quick ladder by a typo.
    kind = getattr(settings, "MEDIATEKA_LADDER", "full") if settings.configured else "full"
    if kind not in ("full", "quick"):
        raise ImproperlyConfigured(f'MEDIATEKA_LADDER must be "full" or "quick", not {kind!r}.')
    return kind == "quick"


def _download_rung(probe_result: ProbeResult) -> Rung:
    short_side = min(DOWNLOAD_SPEC.short_side, _source_short_side(probe_result))
    return _make_rung("download", DOWNLOAD_SPEC, probe_result, short_side)


def _options(*pairs: tuple[str, str]) -> list[str]:
    return [part for pair in pairs for part in pair]


def _x264_args(rung: Rung, preset: str, spec: str) -> list[str]:
    """Encoder options for one video stream; `spec` is the stream specifier suffix such as ":v:2"."""
    # The grid's keyframes are forced (IDR). x264's own interval is twice a segment, so it adds none;
    # its minimum (which x264 holds to half the interval plus a frame) is then still past the 4 s
    # between grid keyframes, so a scene cut gets an I-frame that is not a keyframe: a little quality
    # where the picture changes, never a segment boundary out of line with the other rungs.
    interval = str(round(rung.frame_rate * SEGMENT_SECONDS * 2))
    grid = f"expr:if(eq(n_forced,0),1,gte(t,{FIRST_SEGMENT_SECONDS}+{SEGMENT_SECONDS}*(n_forced-1)))"
    # The test suite's quick ladder keeps ultrafast's own cheap choices; every other preset gets the effort.
    effort = [*X264_EFFORT, ("-b_strategy", str(rung.b_adapt))] if preset != "ultrafast" else []
    effort = [(f"{option}{spec}", value) for option, value in effort]
    return _options(
        (f"-c{spec}", "libx264"),
        (f"-preset{spec}", preset),
        (f"-profile{spec}", "high"),
        (f"-level{spec}", f"{rung.h264_level / 10:.1f}"),
        (f"-crf{spec}", str(rung.crf)),
        (f"-maxrate{spec}", str(rung.video_bitrate)),
        (f"-bufsize{spec}", str(rung.video_bitrate * VBV_BUFFER_SECONDS)),
        (f"-force_key_frames{spec}", grid),
        (f"-g{spec}", interval),
        (f"-keyint_min{spec}", interval),
        (f"-psy-rd{spec}", f"{rung.psy_rd}:0"),
        *effort,
    )


def _aac_args(rung: Rung, spec: str) -> list[str]:
    return _options(
        (f"-c{spec}", "aac"),
        (f"-b{spec}", str(rung.audio_bitrate)),
        (f"-ac{spec}", str(rung.audio_channels)),
        # One sample rate across rungs: some players click or stall when a switch changes it.
        (f"-ar{spec}", str(AUDIO_SAMPLE_RATE)),
    )


def _cadence(rate: Fraction) -> str:
    # Broadcast and camcorder sources are often interlaced; phones show combing as ugly stripes.
    # deint=interlaced leaves frames flagged progressive untouched.
    return f"bwdif=mode=send_frame:deint=interlaced,fps={rate}"


def _scale(rung: Rung, top_rate: Fraction) -> str:
    # setsar=1: output pixels are square, the aspect ratio is in the dimensions.
    rate = f"fps={rung.frame_rate}," if rung.frame_rate != top_rate else ""
    return f"{rate}scale={rung.width}:{rung.height},setsar=1,format=yuv420p"


def poster_size(probe_result: ProbeResult) -> tuple[int, int]:
    if not probe_result.has_video:
        return SOUND_PICTURE
    return _size_for_short_side(probe_result, min(POSTER_SHORT_SIDE, _source_short_side(probe_result)))


def still_sizes(probe_result: ProbeResult) -> list[tuple[int, int]]:
    """(width, height) of each still the ladder makes, narrowest first: STILL_WIDTHS, none wider than
    the poster."""
    return stills_of_poster(*poster_size(probe_result))


def stills_of_poster(poster_width: int, poster_height: int) -> list[tuple[int, int]]:
    widths = sorted({min(width, poster_width) for width in STILL_WIDTHS})
    return [(w, _even(w * poster_height / poster_width)) for w in widths]


def _poster_frame_index(probe_result: ProbeResult, rate: Fraction) -> int:
    return max(0, math.floor(probe_result.duration * POSTER_AT * rate))


def _check_out_dir(out_dir: Path) -> None:
    # FFmpeg expands % patterns in HLS file names; a % in the directory would be mangled.
    if "%" in str(out_dir):
        raise ValueError(f"output directory must not contain '%': {out_dir}")


def _ffmpeg_head() -> list[str]:
    return [ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "warning", "-y"]


def _hls_args(out_dir: Path, segment_pattern: str, playlist: str) -> list[str]:
    options = _options(
        ("-f", "hls"),
        # Cut at the grid's keyframes: the muxer cuts at the first keyframe past each multiple of
        # hls_time, so the 2 s step lands on 2, 6, 10 … and the audio-only rung gets 2 s segments.
        ("-hls_time", str(FIRST_SEGMENT_SECONDS)),
        ("-hls_playlist_type", "vod"),
        ("-hls_list_size", "0"),
        ("-hls_segment_type", "fmp4"),
        ("-hls_flags", "independent_segments"),
        ("-hls_fmp4_init_filename", INIT_SEGMENT),
        ("-start_number", "1"),
        ("-hls_segment_filename", str(out_dir / segment_pattern)),
    )
    return [*options, str(out_dir / playlist)]


def build_command(
    source: str | os.PathLike,
    out_dir: str | os.PathLike,
    probe_result: ProbeResult,
    rungs: list[Rung],
    *,
    preset: str = "medium",
) -> list[str]:
    """The argv of the single FFmpeg run that writes the whole ladder, poster, stills, thumbnail and download.

    `out_dir` must exist (FFmpeg creates the rung folders, not the top one); run_ladder makes it.
    """
    source = Path(source).resolve()
    out_dir = Path(out_dir).resolve()
    _check_out_dir(out_dir)
    rate = output_frame_rate(probe_result)
    video_rungs = [r for r in rungs if not r.is_audio_only]
    audio_rung = next((r for r in rungs if r.is_audio_only), None)
    has_audio = probe_result.has_audio
    download = _download_rung(probe_result)
    poster_width, poster_height = poster_size(probe_result)
    stills = still_sizes(probe_result)
    thumb_width = min(THUMBNAIL_WIDTH, _even(probe_result.width))
    thumb_height = _even(thumb_width / probe_result.display_aspect_ratio)
    frame = _poster_frame_index(probe_result, rate)

    # 0:V excludes cover-art pictures, which some containers list as a video stream.
    branches = [f"[r{i}]" for i in range(len(video_rungs))] + ["[dl]", "[still]"]
    graph = [f"[0:V:0]{_cadence(rate)},split={len(branches)}{''.join(branches)}"]
    graph += [f"[r{i}]{_scale(rung, rate)}[v{i}]" for i, rung in enumerate(video_rungs)]
    graph.append(f"[dl]{_scale(download, rate)}[vdl]")
    # trim ends its branch after one frame, so the split stops feeding it.
    graph.append(
        f"[still]trim=start_frame={frame}:end_frame={frame + 1},"
        f"scale={poster_width}:{poster_height},setsar=1,split={2 + len(stills)}[poster][t]"
        + "".join(f"[s{i}]" for i in range(len(stills)))
    )
    graph.append(f"[t]scale={thumb_width}:{thumb_height}[thumb]")
    graph += [f"[s{i}]scale={w}:{h}[still{i}]" for i, (w, h) in enumerate(stills)]

    argv = [*_ffmpeg_head(), "-progress", "pipe:1", "-nostats", "-i", str(source)]
    argv += ["-filter_complex", ";".join(graph)]

    variants = []
    audio_index = 0
    for i, rung in enumerate(video_rungs):
        argv += ["-map", f"[v{i}]"]
        argv += _x264_args(rung, preset, f":v:{i}")
        entry = f"v:{i}"
        if has_audio:
            argv += ["-map", "0:a:0", *_aac_args(rung, f":a:{audio_index}")]
            entry += f",a:{audio_index}"
            audio_index += 1
        variants.append(f"{entry},name:{rung.name}")
    if audio_rung is not None and has_audio:
        argv += ["-map", "0:a:0", *_aac_args(audio_rung, f":a:{audio_index}")]
        variants.append(f"a:{audio_index},name:{audio_rung.name}")
    argv += ["-var_stream_map", " ".join(variants), "-master_pl_name", MASTER_PLAYLIST]
    # The audio ends with the picture: a sound track a few milliseconds longer made a last segment of
    # 21 ms in the audio-only rung.
    if has_audio and video_rungs:
        argv += ["-shortest"]
    argv += _hls_args(out_dir, "%v/seg_%05d.m4s", f"%v/{RUNG_PLAYLIST}")

    argv += _pictures(out_dir, stills)

    argv += ["-map", "[vdl]", *_x264_args(download, preset, ":v")]
    if has_audio:
        argv += ["-map", "0:a:0", *_aac_args(download, ":a")]
    argv += ["-movflags", "+faststart", str(out_dir / DOWNLOAD)]
    return argv


def _pictures(out_dir: Path, stills: list[tuple[int, int]]) -> list[str]:
    """Output options of the poster, the thumbnail and the stills, from the graph's [poster], [thumb] and
    [still<i>] pads."""
    argv = ["-map", "[poster]", "-frames:v", "1", "-update", "1", "-q:v", "3", str(out_dir / POSTER)]
    argv += ["-map", "[thumb]", "-frames:v", "1", "-update", "1", "-q:v", "5", str(out_dir / THUMBNAIL)]
    for i, (width, _height) in enumerate(stills):
        still = str(out_dir / still_name(width))
        argv += ["-map", f"[still{i}]", "-frames:v", "1", "-update", "1", "-q:v", str(STILL_QUALITY), still]
    return argv
