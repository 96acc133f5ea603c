"""Bits against quality for the ladder's rungs: our capped constant quality, the target bitrates it
replaced, and PeerTube's settings, in the same run on three sources of different complexity.

Sources (6 s, 1280x720, 25 fps, made here with FFmpeg's test sources, stored losslessly, the same
bytes in every run: FFmpeg's `gradients` source picks new colours each run even with a seed, so the
backdrop is drawn by `geq` instead, and the Game of Life has a seed):
- calm: a talking head: a smooth, slowly changing backdrop, a detailed "head" (a small test card,
  whose digits and shapes move like a face) swaying slowly, and camera grain;
- busy: a street filmed from a moving hand: a large test card panned and tilted under the frame, with
  a Game of Life blended over it (many small things moving everywhere) and grain;
- graphics: animation and titles: FFmpeg's testsrc2 (flat colours, moving shapes, text).

Each rung is encoded from the source on its own (video only, so its bits are the video's) three ways:
- old: one-pass target bitrate at the rung's former rate, maxrate 1.25x, 2 s buffer, Main, medium;
- new: the ladder's own options (mediateka.video.ladder._x264_args): CRF and a cap from the link,
  medium with 8 B-frames (b-adapt 2) and 5 references, no psy-rd at 144p and 240p;
- peertube: CRF 23, veryfast, maxrate = PeerTube's average bits per pixel x pixels x fps, buffer 2x,
  16 B-frames (its default VOD profile).
and compared with the source scaled to the rung by FFmpeg's ssim filter. The peak is read from the
real one-pass ladder's segments (run_ladder) against each rung's link budget, and the encode time of
the three settings is the sum of their per-rung encodes, wall clock and CPU (the steadier on a shared
machine).

Bits at equal SSIM: CRF is a free choice, so "new" is a curve, not a point. The rung is encoded again
with our options at CRF steps of 2 either side of its own until two encodes bracket the other
setting's SSIM, and our bits at that SSIM are read off the line between them (log bits against SSIM;
never extrapolated). Where our curve stops below the other setting's SSIM within 8 CRF steps, the
rung cannot be compared at equal SSIM and is reported as "not reached" and left out of the mean rather
than counted as a loss or a win. Mostly that is the cap (the other setting spends more than the rung's
link carries); on grainy pictures it can also be SSIM itself, which stops rising with bits once all
that is left is grain no encoder keeps, so a few ten-thousandths of SSIM there are bits without end.

    python -m bench ladder_quality
    LADDER_QUALITY_SOURCES=calm python -m bench ladder_quality   # a quicker look at one source
"""

import math
import os
import re
import resource
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
        "-f lavfi -i nullsrc=s=160x90:r=25:d=6,geq=r=150+70*sin(X/53+T*0.25):g=110+60*sin(Y/37-T*0.2):"
        "b=120+80*cos((X+Y)/71+T*0.15),scale=1280:720:flags=bicubic -f lavfi -i testsrc2=s=240x300:r=25:d=6 "
        "-filter_complex [0:v][1:v]overlay=x=520+30*sin(t*0.8):y=160+6*sin(t*1.3),noise=alls=3:allf=t"
    ),
    "busy": (
        "-f lavfi -i testsrc2=s=1920x1080:r=25:d=6 -f lavfi -i life=s=160x90:r=25:mold=8:ratio=0.2:seed=1:"
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


def child_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def encode(source: Path, rung, args: list[str], out: Path) -> tuple[float, float]:
    """Encodes; returns (wall seconds, CPU seconds). On a shared machine the CPU time is the steadier."""
    scale = f"scale={rung.width}:{rung.height},setsar=1,format=yuv420p"
    start, cpu = time.perf_counter(), child_cpu()
    ffmpeg("-loglevel", "error", "-i", str(source), "-an", "-vf", scale, *args, str(out))
    return time.perf_counter() - start, child_cpu() - cpu


def ssim(encoded: Path, source: Path, rung) -> float:
    graph = (
        f"[1:v]scale={rung.width}:{rung.height},setsar=1,format=yuv420p[ref];"
        "[0:v]setsar=1,format=yuv420p[dist];[dist][ref]ssim"
    )
    done = ffmpeg("-i", str(encoded), "-i", str(source), "-lavfi", graph, "-f", "null", "-")
    return float(re.search(r"All:([\d.]+)", done.stderr).group(1))


# How far from the rung's own CRF the curve is followed, in steps of 2, to bracket a target SSIM.
CRF_STEP = 2
CRF_REACH = 8


class Curve:
    """Our options on one rung of one source at any CRF: (kbit/s, SSIM) by CRF, encoded when first asked."""

    def __init__(self, source: Path, rung, folder: Path):
        self.source, self.rung, self.folder = source, rung, folder
        self.points: dict[int, tuple[float, float]] = {}

    def at(self, crf: int) -> tuple[float, float]:
        if crf not in self.points:
            rung = replace(self.rung, crf=crf)
            out = self.folder / f"{self.source.stem}-{rung.name}-crf{crf}.mp4"
            encode(self.source, rung, new_args(rung), out)
            self.points[crf] = (out.stat().st_size * 8 / SECONDS / 1000, ssim(out, self.source, rung))
        return self.points[crf]

    def bits_at(self, target: float) -> float | None:
        """Our kbit/s at SSIM `target`, between the two CRFs that bracket it; None where every CRF within
        reach stays below it (the cap, or SSIM no longer rising with bits)."""
        crf = self.rung.crf
        step = CRF_STEP if self.at(crf)[1] >= target else -CRF_STEP
        while abs(crf + step - self.rung.crf) <= CRF_REACH:
            here, there = self.at(crf), self.at(crf + step)
            if min(here[1], there[1]) <= target <= max(here[1], there[1]):
                return between(target, here, there)
            if step < 0 and there[1] <= here[1]:
                return None  # finer CRFs no longer raise SSIM: the cap holds the rung, or grain does
            crf += step
        return None


def between(target: float, first: tuple[float, float], second: tuple[float, float]) -> float:
    """The kbit/s at SSIM `target` on the line through two (kbit/s, SSIM) points, in log(bits)."""
    (bits_a, ssim_a), (bits_b, ssim_b) = first, second
    if ssim_a == ssim_b:
        return min(bits_a, bits_b)
    share = (target - ssim_b) / (ssim_a - ssim_b)
    return math.exp(math.log(bits_b) + share * (math.log(bits_a) - math.log(bits_b)))


def chosen_sources() -> list[str]:
    names = os.environ.get("LADDER_QUALITY_SOURCES", ",".join(SOURCES)).split(",")
    unknown = sorted(set(names) - set(SOURCES))
    if unknown:
        choose = ", ".join(SOURCES)
        raise SystemExit(f"LADDER_QUALITY_SOURCES: no source {', '.join(unknown)}; choose from {choose}")
    return names


def mean_percent(savings: list[float]) -> str:
    if not savings:
        return "n/a"
    mean, low, high = (100 * f for f in (sum(savings) / len(savings), min(savings), max(savings)))
    return f"{mean:.1f} % ({low:.0f} to {high:.0f} % by rung)"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seconds = {setting: [0.0, 0.0] for setting in SETTINGS}  # wall, CPU
        plain_calm, plain_peertube, at_old, at_peertube, unreached, worse = [], [], [], [], [], []
        header = " ".join(f"{s:>22}" for s in SETTINGS)
        print(f"{'source':9} {'rung':5} {header}   new at PeerTube's SSIM   new at old's SSIM   peak/budget")
        for name in chosen_sources():
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
                    wall, cpu = encode(source, rung, args(rung), out)
                    seconds[setting][0] += wall
                    seconds[setting][1] += cpu
                    figures[setting] = (out.stat().st_size * 8 / SECONDS / 1000, ssim(out, source, rung))
                new, old, peertube = figures["new"], figures["old"], figures["peertube"]
                curve = Curve(source, rung, folder)
                curve.points[rung.crf] = new
                plain_peertube.append(1 - new[0] / peertube[0])
                equal = curve.bits_at(peertube[1])
                if equal:
                    at_peertube.append(1 - equal / peertube[0])
                    cells = f"   {equal:6.0f} kbit/s ({100 * (1 - equal / peertube[0]):3.0f} %)"
                else:
                    unreached.append(f"{name} {rung.name}")
                    cells = "   not reached           "
                if name == "calm":
                    plain_calm.append(1 - new[0] / old[0])
                    equal_old = curve.bits_at(old[1])
                    if equal_old:
                        at_old.append(1 - equal_old / old[0])
                        cells += f"   {equal_old:5.0f} ({100 * (1 - equal_old / old[0]):3.0f} %)"
                    else:
                        cells += "   not reached  "
                else:
                    cells += "                  "
                if new[1] < old[1] - 0.001 or new[1] < peertube[1] - 0.001:
                    worse.append(f"{name} {rung.name}")
                encoded = peaks[rung.name]
                over = "  OVER" if encoded.peak > rung.peak_budget else ""
                budget = f"{encoded.peak / 1000:.0f}/{rung.peak_budget / 1000:.0f}"
                first = " ".join(f"{kbps:8.0f} kbit/s {q:.4f}" for kbps, q in figures.values())
                print(f"{name:9} {rung.name:5} {first}{cells}   {budget}{over}", flush=True)
        print(f"\ncalm source, new against old at old's SSIM: {mean_percent(at_old)} fewer (goal >= 25 %)")
        print(f"calm source, new against old in plain bits: {mean_percent(plain_calm)} fewer")
        print(
            f"new against PeerTube's settings at PeerTube's SSIM: {mean_percent(at_peertube)} fewer bits "
            f"over the {len(at_peertube)} rungs where our curve reaches it (goal >= 20 %)"
        )
        print("  not reached, left out: " + (", ".join(unreached) or "none"))
        print(
            f"new against PeerTube's settings in plain bits, every rung, whatever its SSIM: "
            f"{mean_percent(plain_peertube)} fewer"
        )
        print(
            "rungs where new's SSIM is more than 0.001 below old's or PeerTube's: "
            + (", ".join(worse) or "none")
        )
        wall, cpu = seconds["old"]
        print(
            "encode time, sum of per-rung encodes at each setting's own CRF or rate, wall and CPU: "
            + ", ".join(
                f"{s} {w:.1f} s, {c:.1f} s ({w / wall:.2f}x, {c / cpu:.2f}x old)"
                for s, (w, c) in seconds.items()
            )
            + " (goal: new within 1.3x of old)"
        )


if __name__ == "__main__":
    main()
