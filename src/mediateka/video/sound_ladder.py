"""The one FFmpeg run of a sound-only film (a radio spot): its audio rungs, an M4A download, and a
picture of its waveform as poster, stills and thumbnail (the rungs are planned by ladder.plan_rungs).
"""

import os
from pathlib import Path

from mediateka.video.probe import ProbeResult

from .ladder import (
    MASTER_PLAYLIST,
    RUNG_PLAYLIST,
    SOUND_DOWNLOAD,
    SOUND_PICTURE,
    THUMBNAIL_WIDTH,
    Rung,
    _aac_args,
    _check_out_dir,
    _even,
    _ffmpeg_head,
    _hls_args,
    _pictures,
    still_sizes,
)


def build_sound_command(
    source: str | os.PathLike, out_dir: str | os.PathLike, probe_result: ProbeResult, rungs: list[Rung]
) -> list[str]:
    """A sound-only film: its audio rungs, an M4A download, and its waveform as its pictures."""
    source = Path(source).resolve()
    out_dir = Path(out_dir).resolve()
    _check_out_dir(out_dir)
    width, height = SOUND_PICTURE
    stills = still_sizes(probe_result)
    thumb_width = THUMBNAIL_WIDTH
    thumb_height = _even(thumb_width * height / width)
    graph = [
        f"color=c=0x1d3557:s={width}x{height}:d=1[ground]",
        f"[0:a:0]showwavespic=s={width}x{height // 2}:colors=0xa8dadc:split_channels=0[wave]",
        f"[ground][wave]overlay=x=0:y={height // 4}:format=auto,format=yuvj420p,"
        f"split={2 + len(stills)}[poster][t]" + "".join(f"[s{i}]" for i in range(len(stills))),
        f"[t]scale={thumb_width}:{thumb_height}[thumb]",
        *(f"[s{i}]scale={w}:{h}[still{i}]" for i, (w, h) in enumerate(stills)),
    ]
    argv = [*_ffmpeg_head(), "-progress", "pipe:1", "-nostats", "-i", str(source)]
    argv += ["-filter_complex", ";".join(graph)]
    for i, rung in enumerate(rungs):
        argv += ["-map", "0:a:0", *_aac_args(rung, f":a:{i}")]
    variants = " ".join(f"a:{i},name:{rung.name}" for i, rung in enumerate(rungs))
    argv += ["-var_stream_map", variants, "-master_pl_name", MASTER_PLAYLIST]
    argv += _hls_args(out_dir, "%v/seg_%05d.m4s", f"%v/{RUNG_PLAYLIST}")
    argv += _pictures(out_dir, stills)
    best = max(rungs, key=lambda rung: rung.audio_bitrate)
    argv += [
        "-map",
        "0:a:0",
        *_aac_args(best, ":a"),
        "-movflags",
        "+faststart",
        str(out_dir / SOUND_DOWNLOAD),
    ]
    return argv
