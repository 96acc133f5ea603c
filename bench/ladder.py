"""The encoding ladder, on one 60 s 720p clip, measured three ways in the same run:

(a) run_ladder (our Python around ffmpeg: progress parsing, measuring the rungs) over the same
    ffmpeg command run bare: the overhead of our wrapper, target <= 1.05;
(b) the one-pass ladder against one ffmpeg run per rung, each decoding the source again (the way
    MediaCMS and PeerTube encode): target >= 1.5x faster.
"""

import os
import subprocess
import tempfile
import time
from pathlib import Path

import django

django.setup()

from mediateka.video import ladder  # noqa: E402
from mediateka.video.binaries import ffmpeg_path  # noqa: E402
from mediateka.video.ladder import (  # noqa: E402
    DOWNLOAD,
    POSTER,
    POSTER_AT,
    POSTER_SHORT_SIDE,
    RUNG_PLAYLIST,
    THUMBNAIL,
    THUMBNAIL_WIDTH,
    Rung,
    build_command,
    output_frame_rate,
    plan_rungs,
)
from mediateka.video.ladder_run import run_ladder  # noqa: E402
from mediateka.video.probe import ProbeResult, probe  # noqa: E402


def per_rung_commands(
    source: str | os.PathLike,
    out_dir: str | os.PathLike,
    probe_result: ProbeResult,
    rungs: list[Rung],
    *,
    preset: str = "medium",
) -> list[list[str]]:
    """The same outputs the MediaCMS/PeerTube way: one FFmpeg run per rung, each decoding the source again.

    The benchmark's point of comparison for `build_command`, built from the ladder's own option helpers
    so that both ways encode with the same options. The rung directories are created here because each
    run writes into its own one. No master playlist is written.
    """
    source = Path(source).resolve()
    out_dir = Path(out_dir).resolve()
    ladder._check_out_dir(out_dir)
    rate = output_frame_rate(probe_result)
    has_audio = probe_result.has_audio
    commands = []
    for rung in rungs:
        (out_dir / rung.name).mkdir(parents=True, exist_ok=True)
        argv = [*ladder._ffmpeg_head(), "-nostats", "-i", str(source)]
        if rung.is_audio_only:
            argv += ["-map", "0:a:0", "-vn", *ladder._aac_args(rung, ":a")]
        else:
            argv += ["-map", "0:V:0", "-filter:v", f"{ladder._cadence(rate)},{ladder._scale(rung, rate)}"]
            argv += ladder._x264_args(rung, preset, ":v")
            if has_audio:
                argv += ["-map", "0:a:0", *ladder._aac_args(rung, ":a")]
        argv += ladder._hls_args(out_dir, f"{rung.name}/seg_%05d.m4s", f"{rung.name}/{RUNG_PLAYLIST}")
        commands.append(argv)

    poster_short = min(POSTER_SHORT_SIDE, ladder._source_short_side(probe_result))
    poster_width, poster_height = ladder._size_for_short_side(probe_result, poster_short)
    thumb_width = min(THUMBNAIL_WIDTH, ladder._even(probe_result.width))
    thumb_height = ladder._even(thumb_width / probe_result.display_aspect_ratio)
    seek = f"{probe_result.duration * POSTER_AT:.3f}"
    for name, width, height, quality in (
        (POSTER, poster_width, poster_height, "3"),
        (THUMBNAIL, thumb_width, thumb_height, "5"),
    ):
        argv = [*ladder._ffmpeg_head(), "-nostats", "-ss", seek, "-i", str(source), "-map", "0:V:0"]
        argv += ["-filter:v", f"scale={width}:{height},setsar=1", "-frames:v", "1", "-update", "1"]
        commands.append([*argv, "-q:v", quality, str(out_dir / name)])
    download = ladder._download_rung(probe_result)
    argv = [*ladder._ffmpeg_head(), "-nostats", "-i", str(source), "-map", "0:V:0"]
    argv += [
        "-filter:v",
        f"{ladder._cadence(rate)},{ladder._scale(download, rate)}",
        *ladder._x264_args(download, preset, ":v"),
    ]
    if has_audio:
        argv += ["-map", "0:a:0", *ladder._aac_args(download, ":a")]
    argv += ["-movflags", "+faststart", str(out_dir / DOWNLOAD)]
    commands.append(argv)
    return commands


def make_source(path: Path, seconds: int = 60) -> Path:
    subprocess.run(
        [
            ffmpeg_path(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size=1280x720:rate=30:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=300:sample_rate=48000:duration={seconds}",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "20",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            str(path),
        ],
        check=True,
    )
    return path


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = make_source(tmp / "source.mp4")
        found = probe(source)
        rungs = plan_rungs(found)
        print(f"source: 60 s 1280x720 30 fps; rungs: {', '.join(r.name for r in rungs)}")

        runs = iter(range(100))

        def bare():
            out = tmp / f"bare-{next(runs)}"
            out.mkdir()
            argv = [a for a in build_command(source, out, found, rungs) if a not in ("-progress", "pipe:1")]
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def ours():
            run_ladder(source, tmp / f"ours-{next(runs)}", found, rungs=rungs)

        def per_rung():
            out = tmp / "per-rung"
            out.mkdir()
            for argv in per_rung_commands(source, out, found, rungs):
                subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        # Interleaved and twice each, keeping the faster: the machine is shared and noisy.
        bare_s, ours_s = min(timed(bare), timed(bare)), 0.0
        ours_s = min(timed(ours), timed(ours))
        bare_s = min(bare_s, timed(bare))
        per_rung_s = timed(per_rung)
        print(
            f"(a) plain ffmpeg command: {bare_s:.1f} s; run_ladder: {ours_s:.1f} s; "
            f"ratio {ours_s / bare_s:.3f} (target <= 1.05)"
        )
        print(
            f"(b) one ffmpeg run per rung: {per_rung_s:.1f} s; one-pass ladder: {ours_s:.1f} s; "
            f"one-pass is {per_rung_s / ours_s:.2f}x faster (target >= 1.5)"
        )


if __name__ == "__main__":
    main()
