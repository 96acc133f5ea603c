"""The encoding ladder, on one 60 s 720p clip, measured three ways in the same run:

(a) run_ladder (our Python around ffmpeg: progress parsing, measuring the rungs) over the same
    ffmpeg command run bare: the overhead of our wrapper, target <= 1.05;
(b) the one-pass ladder against one ffmpeg run per rung, each decoding the source again (the way
    MediaCMS and PeerTube encode): target >= 1.5x faster.
"""

import subprocess
import tempfile
import time
from pathlib import Path

import django

django.setup()

from mediateka.video.binaries import ffmpeg_path  # noqa: E402
from mediateka.video.ladder import build_command, per_rung_commands, plan_rungs, run_ladder  # noqa: E402
from mediateka.video.probe import probe  # noqa: E402


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
