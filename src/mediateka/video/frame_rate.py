"""The rate a film is encoded at: the camera's own, measured by the probe, chosen for each rung here."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mediateka.video.probe import ProbeResult

# Above this, rungs below 720p get half the rate: 50 fps becomes 25 on a phone's small rungs, where
# bits for a smoother picture cost more sharpness than they give.
MAX_SMALL_RUNG_FRAME_RATE = 30
MAX_FRAME_RATE = 60
_STANDARD = ((24000, 1001), (24, 1), (25, 1), (30000, 1001), (30, 1), (50, 1), (60000, 1001), (60, 1))
STANDARD_FRAME_RATES = tuple(Fraction(n, d) for n, d in _STANDARD)


def output_frame_rate(probe_result: ProbeResult) -> Fraction:
    """The constant rate of the ladder's top rung: the source's nominal rate, snapped to a standard one.

    The nominal rate is that of the commonest frame interval, so a phone clip at 30 fps that drops to
    15 in the dark stays at 30 (its slow stretch gets each frame twice; none is lost), and a 24.992 fps
    average from a camera's dropped frame is 25. Within 0.5 % of a standard rate it is that rate, so
    25.02 does not become fps=3124/125 with extra frames. Above 60, halved (or more) until it is not.
    """
    measured = probe_result.nominal_frame_rate or probe_result.frame_rate or 25
    rate = Fraction(measured).limit_denominator(1001)
    if probe_result.variable_frame_rate and not probe_result.nominal_frame_rate:
        rate = Fraction(max(1, round(rate)))  # no interval to trust: the nearest whole rate
    nearest = min(STANDARD_FRAME_RATES, key=lambda standard: abs(rate - standard))
    if abs(rate - nearest) <= nearest * Fraction(5, 1000):
        rate = nearest
    return rate / math.ceil(rate / MAX_FRAME_RATE) if rate > MAX_FRAME_RATE else rate


def rung_frame_rate(top: Fraction, short_side: int) -> Fraction:
    """Rungs below 720p get half of a rate above 30: every other frame, so motion stays even."""
    if short_side < 720 and top > MAX_SMALL_RUNG_FRAME_RATE:
        return top / math.ceil(top / MAX_SMALL_RUNG_FRAME_RATE)
    return top


# What the probe measures


def average_rate(video, duration: float) -> float:
    """The stream's mean rate as its container states it, else frames over duration."""
    rate = video.average_rate or video.guessed_rate or video.base_rate
    if rate:
        return float(rate)
    if video.frames and duration:
        return video.frames / duration
    return 0.0


def looks_variable(packet_times: list[int]) -> bool:
    """Best effort: frame intervals that differ by more than timestamp rounding can explain."""
    times = sorted(set(packet_times))
    gaps = sorted(b - a for a, b in itertools.pairwise(times))
    if len(gaps) < 4:
        return False
    median = gaps[len(gaps) // 2]
    # A millisecond time base makes 30 fps alternate 33/34 ticks; that is not variable.
    return gaps[-1] - gaps[0] > max(2, median * 0.2)


def nominal_rate(packet_times: list[int], time_base) -> float:
    """The rate of the commonest frame interval among the first packets: what the camera was set to."""
    times = sorted(set(packet_times))
    gaps = [b - a for a, b in itertools.pairwise(times)]
    if len(gaps) < 4 or not time_base:
        return 0.0
    # Timestamp rounding splits one interval into neighbours (33 and 34 ms at 30 fps): the mean of the
    # gaps within one tick of the commonest says the interval to a fraction of a tick.
    common = Counter(gaps).most_common(1)[0][0]
    near = [gap for gap in gaps if abs(gap - common) <= 1]
    return float(1 / (Fraction(sum(near), len(near)) * time_base))
