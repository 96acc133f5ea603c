"""Bits against quality for the ladder's rungs: our capped constant quality, the target bitrates it
replaced, and PeerTube's settings, in the same run on three sources of different complexity.

Sources (6 s, 1280x720, 25 fps, made here with FFmpeg's test sources, stored losslessly):
- calm: a talking head: a smooth, slowly changing backdrop, a detailed "head" (a small test card,
  whose digits and shapes move like a face) swaying slowly, and camera grain;
- busy: a street filmed from a moving hand: a large test card panned and tilted under the frame, with
  a Game of Life blended over it (many small things moving everywhere) and grain;
- graphics: animation and titles: FFmpeg's testsrc2 (flat colours, moving shapes, text).

Each rung is encoded from the source on its own (video only, so its bits are the video's) three ways:
- old: one-pass target bitrate at the rung's former rate, maxrate 1.25x, 2 s buffer, Main, medium;
- new: the ladder's own options (mediateka.video.ladder._x264_args): CRF and a cap from the link;
- peertube: CRF 23, veryfast, maxrate = PeerTube's average bits per pixel x pixels x fps, buffer 2x,
  16 B-frames (its default VOD profile).
and compared with the source scaled to the rung by FFmpeg's ssim filter. The peak is read from the
real one-pass ladder's segments (run_ladder) against each rung's link budget, and the encode time of
the three settings is the sum of their per-rung encodes.

    python -m bench ladder_quality
"""

import math
import re
import subprocess
import tempfile
import time
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import django

django.setup()

from mediateka.video import ladder  # noqa: E402
from mediateka.video.binaries import ffmpeg_path  # noqa: E402
from mediateka.video.ladder_run import run_ladder  # noqa: E402
from mediateka.video.probe import probe  # noqa: E402

SECONDS = 6
RATE = 25
SOURCES = {
    "calm": (
        "-f lavfi -i gradients=s=1280x720:r=25:d=6:speed=0.002:n=4 -f lavfi -i testsrc2=s=240x300:r=25:d=6 "
        "-filter_complex [0:v][1:v]overlay=x=520+30*sin(t*0.8):y=160+6*sin(t*1.3),noise=alls=3:allf=t"
    ),
    "busy": (
        "-f lavfi -i testsrc2=s=1920x1080:r=25:d=6 -f lavfi -i life=s=160x90:r=25:mold=8:ratio=0.2:"
        "life_color=#e0d0a0:death_color=#202830,scale=1280:720:flags=neighbor -filter_complex "
        "[0:v]crop=1280:720:x=40+t*90:y=20+t*40,rotate=a=0.05*sin(t):fillcolor=0x404040[a];"
        "[a][1:v]blend=all_mode=overlay:all_opacity=0.35:shortest=1,noise=alls=2:allf=t"
    ),
    "graphics": "-f lavfi -i testsrc2=s=1280x720:r=25:d=6",
}
# The ladder before capped constant quality: (short side, target video bit/s).
OLD_TARGETS = {144: 110_000, 240: 250_000, 360: 500_000, 480: 900_000, 720: 1_800_000}
# PeerTube's average bits per pixel (its core-utils bitrate table), by rung.
PEERTUBE_BITS_PER_PIXEL = {144: 0.20, 240: 0.17, 360: 0.15, 480: 0.12, 720: 0.11}


def old_args(rung) -> list[str]:
    target = OLD_TARGETS[int(rung.name.removesuffix("p"))]
    gop = str(RATE * ladder.SEGMENT_SECONDS)
    return [
        *("-c:v", "libx264", "-preset", "medium", "-profile:v", "main"),
        *("-b:v", str(target), "-maxrate:v", str(target * 5 // 4), "-bufsize:v", str(target * 2)),
        *("-g:v", gop, "-keyint_min:v", gop, "-sc_threshold:v", "0"),
    ]


def new_args(rung) -> list[str]:
    return ladder._x264_args(rung, "medium", ":v")


def peertube_args(rung) -> list[str]:
    short = int(rung.name.removesuffix("p"))
    target = int(rung.width * rung.height * RATE * PEERTUBE_BITS_PER_PIXEL[short])
    gop = str(RATE * ladder.SEGMENT_SECONDS)
    return [
        *("-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-level:v", "3.1"),
        *("-maxrate:v", str(target), "-bufsize:v", str(target * 2), "-b_strategy", "1", "-bf", "16"),
        *("-g:v", gop),
    ]


SETTINGS = {"old": old_args, "new": new_args, "peertube": peertube_args}


def ffmpeg(*args: str) -> subprocess.CompletedProcess:
    argv = [ffmpeg_path(), "-hide_banner", "-nostdin", "-y", *args]
    return subprocess.run(argv, check=True, capture_output=True, text=True)


def make_source(name: str, folder: Path) -> Path:
    path = folder / f"{name}.mkv"
    ffmpeg(
        "-loglevel",
        "error",
        *SOURCES[name].split(),
        "-c:v",
        "libx264",
        "-qp",
        "0",
        "-preset",
        "ultrafast",
        str(path),
    )
    return path


def encode(source: Path, rung, args: list[str], out: Path) -> float:
    scale = f"scale={rung.width}:{rung.height},setsar=1,format=yuv420p"
    start = time.perf_counter()
    ffmpeg("-loglevel", "error", "-i", str(source), "-an", "-vf", scale, *args, str(out))
    return time.perf_counter() - start


def ssim(encoded: Path, source: Path, rung) -> float:
    graph = (
        f"[1:v]scale={rung.width}:{rung.height},setsar=1,format=yuv420p[ref];"
        "[0:v]setsar=1,format=yuv420p[dist];[dist][ref]ssim"
    )
    done = ffmpeg("-i", str(encoded), "-i", str(source), "-lavfi", graph, "-f", "null", "-")
    return float(re.search(r"All:([\d.]+)", done.stderr).group(1))


def at_ssim(target: float, first: tuple[float, float], second: tuple[float, float]) -> float | None:
    """The bits at SSIM `target` on the line through two (kbit/s, SSIM) points in log(bits); None if
    the target lies beyond the finer point (the cap holds the rung below it)."""
    (bits_a, ssim_a), (bits_b, ssim_b) = first, second
    if target > max(ssim_a, ssim_b) + 0.0005 or ssim_a == ssim_b:
        return None
    share = (target - ssim_b) / (ssim_a - ssim_b)
    return math.exp(math.log(bits_b) + share * (math.log(bits_a) - math.log(bits_b)))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        totals = {name: {"bits": 0.0, "seconds": 0.0} for name in SETTINGS}
        saved_calm, saved_peertube, at_equal, worse = [], [], [], []
        header = " ".join(f"{s:>22}" for s in SETTINGS)
        print(f"{'source':9} {'rung':5} {header}   new at PeerTube's SSIM   peak/budget")
        for name in SOURCES:
            source = make_source(name, folder)
            probed = probe(source)
            rungs = [r for r in ladder.plan_rungs(probed) if not r.is_audio_only]
            ladder_out = run_ladder(source, folder / f"{name}-ladder", probed)
            peaks = {e.name: e for e in ladder_out.rungs}
            for rung in rungs:
                rung = replace(rung, frame_rate=Fraction(RATE))
                figures = {}
                for setting, args in SETTINGS.items():
                    out = folder / f"{name}-{rung.name}-{setting}.mp4"
                    seconds = encode(source, rung, args(rung), out)
                    kbps = out.stat().st_size * 8 / SECONDS / 1000
                    figures[setting] = (kbps, ssim(out, source, rung))
                    totals[setting]["bits"] += kbps
                    totals[setting]["seconds"] += seconds
                new, old, peertube = figures["new"], figures["old"], figures["peertube"]
                # A second point of our own curve (4 CRF steps coarser) gives the bits we would spend at
                # PeerTube's SSIM, read off log(bits) against SSIM between the two points.
                coarser = folder / f"{name}-{rung.name}-coarser.mp4"
                encode(source, rung, new_args(replace(rung, crf=rung.crf + 4)), coarser)
                second = (coarser.stat().st_size * 8 / SECONDS / 1000, ssim(coarser, source, rung))
                equal = at_ssim(peertube[1], new, second)
                if equal:
                    at_equal.append(1 - equal / peertube[0])
                if name == "calm":
                    saved_calm.append(1 - new[0] / old[0])
                saved_peertube.append(1 - new[0] / peertube[0])
                if new[1] < old[1] - 0.001 or new[1] < peertube[1] - 0.001:
                    worse.append(f"{name} {rung.name}")
                encoded = peaks[rung.name]
                cells = " ".join(f"{kbps:8.0f} kbit/s {q:.4f}" for kbps, q in figures.values())
                cells += f"   {equal:8.0f} kbit/s       " if equal else "   (capped: not reached)"
                over = "  OVER" if encoded.peak > rung.peak_budget else ""
                budget = f"{encoded.peak / 1000:.0f}/{rung.peak_budget / 1000:.0f}"
                print(f"{name:9} {rung.name:5} {cells}   {budget}{over}", flush=True)
        print(
            f"\ncalm source: new spends {100 * sum(saved_calm) / len(saved_calm):.0f} % fewer bits than old "
            "(mean over rungs; goal >= 25 %)"
        )
        print(
            f"all sources: new spends {100 * sum(saved_peertube) / len(saved_peertube):.0f} % fewer bits "
            "than PeerTube's settings (mean over rungs; goal >= 20 %)"
        )
        print(
            f"at PeerTube's SSIM, new spends {100 * sum(at_equal) / max(1, len(at_equal)):.0f} % fewer bits "
            f"than PeerTube's settings (mean over the {len(at_equal)} rungs whose cap lets them reach it)"
        )
        print(
            "rungs where new's SSIM is more than 0.001 below old's or PeerTube's: "
            + (", ".join(worse) or "none")
        )
        base = totals["old"]["seconds"]
        print(
            "encode time, sum of per-rung encodes: "
            + ", ".join(
                f"{s} {t['seconds']:.1f} s ({t['seconds'] / base:.2f}x old)" for s, t in totals.items()
            )
            + " (goal: new within 1.3x of old)"
        )


if __name__ == "__main__":
    main()
