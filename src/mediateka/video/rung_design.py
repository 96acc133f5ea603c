"""The rungs of the ladder, each designed from the slowest link it must play on (docs/encoding.md).

`ladder.py` plans a film's rungs from these and writes the FFmpeg command; this module says what
each rung is for and what it may spend.
"""

import math
from dataclasses import dataclass
from fractions import Fraction

DOWNLOAD_SHORT_SIDE = 360


# What a rung's peak may take of its link: hls.js switches up only when 0.7 of its estimate covers a
# rung's BANDWIDTH, and a phone's link also carries the page, the captions and the odd retry.
LINK_SHARE = 0.7
# fMP4 boxes and per-sample entries: about 3 % plus 6 kbit/s of ~70 samples a second.
CONTAINER_SHARE = 0.03
CONTAINER_BITS = 6_000


@dataclass(frozen=True)
class RungSpec:
    """One rung, designed from the slowest link it must play on without stalling.

    Video is capped constant quality: x264 spends what a scene needs at `crf`, up to `maxrate` over a
    one-second buffer, so a calm talking head costs a fraction of its cap and a busy street stays inside
    the link. The cap is what the link's share leaves after the audio and the container
    (`video_cap`), divided by the worst a segment can overshoot the cap (`VBV_OVERSHOOT`).
    """

    short_side: int
    link: int  # bit/s
    crf: int
    audio_bitrate: int
    audio_channels: int
    psy_rd: float = 1.0  # x264's psychovisual rate-distortion strength (its default)
    b_adapt: int = 1  # how x264 places B-frames: 1 fast (medium's), 2 by trellis (slower, fewer bits)

    @property
    def peak_budget(self) -> int:
        return int(self.link * LINK_SHARE)

    @property
    def video_cap(self) -> int:
        left = self.peak_budget * (1 - CONTAINER_SHARE) - CONTAINER_BITS - self.audio_bitrate
        return int(left / VBV_OVERSHOOT) // 1000 * 1000


# A one-second buffer: the VBV lets a stretch of T seconds spend maxrate × T plus the buffer, but x264
# keeps well inside it: on the busy source of `python -m bench ladder_quality` the costliest segment
# of every rung came within 5 % of the cap. 1.15 leaves the rest of the margin.
VBV_BUFFER_SECONDS = 1
VBV_OVERSHOOT = 1.15

# What the full ladder asks of x264 beyond its medium preset: 8 B-frames and 5 reference frames. Some
# 5 % fewer bits at the same SSIM on the sources of `python -m bench ladder_quality`.
X264_EFFORT = (("-bf", "8"), ("-refs", "5"))
# The rungs of the slow links (up to 512 kbit/s), where a bit saved matters most to a viewer and the
# picture is at most 640x360, shown on a phone:
# - B-frames placed by trellis (b-adapt 2). On every rung it took the encode to 1.3x the old settings'
#   time; on these small pictures it costs little (docs/benchmarks.md).
# - No psy-rd. It spends bits to keep texture (grain, skin, fabric) looking sharp, a pixel or two
#   here: without it these rungs cost 3-18 % fewer bits at the same CRF (360p: 179 kbit/s for SSIM
#   0.9892 where psy-rd spent 207 for 0.9890), and at equal bits 240p and 360p frames looked the
#   same. Part of the gain on the bench is SSIM's own liking for it (docs/encoding.md). Larger rungs
#   keep x264's default, since their texture shows.
SLOW_LINK_TUNING = {"psy_rd": 0.0, "b_adapt": 2}

# The links we serve (docs/encoding.md has the same table with the figures measured on real sources):
# 2G/EDGE and a congested 3G cell at 256 kbit/s, the region's commonest mobile plan at 512, a fair 3G
# or rural 4G at 1,000, and 2,000 and above. 240p sits between the first two for links that vary.
VIDEO_LADDER = (
    RungSpec(144, 256_000, 21, 40_000, 1, **SLOW_LINK_TUNING),
    RungSpec(240, 384_000, 21, 48_000, 1, **SLOW_LINK_TUNING),
    RungSpec(360, 512_000, 22, 64_000, 2, **SLOW_LINK_TUNING),
    RungSpec(480, 1_000_000, 22, 96_000, 2),
    RungSpec(720, 2_000_000, 22, 128_000, 2),
)
# FFmpeg's native AAC encoder has no HE-AAC, so the audio-only rung is LC; mono keeps 48k clear for speech.
AUDIO_ONLY = RungSpec(0, 128_000, 0, 48_000, 1)
# A sound-only film (a radio spot) gets the same rung, and a better one for music and a fair link.
BETTER_SOUND = RungSpec(0, 256_000, 0, 96_000, 2)
# The download is kept, not streamed: the 360p picture at its quality, with a looser cap than the stream.
DOWNLOAD_SPEC = RungSpec(DOWNLOAD_SHORT_SIDE, 1_000_000, 22, 96_000, 2)

# H.264 levels (Table A-1): level_idc, max macroblocks per second, max macroblocks per frame.
# Level 3.0 is the floor: every phone that plays H.264 Main plays it, and it keeps CODECS predictable.
H264_LEVELS = (
    (30, 40_500, 1_620),
    (31, 108_000, 3_600),
    (32, 216_000, 5_120),
    (40, 245_760, 8_192),
    (42, 522_240, 8_704),
)


def h264_level(width: int, height: int, rate: Fraction) -> int:
    frame_mbs = math.ceil(width / 16) * math.ceil(height / 16)
    for level, max_mbps, max_frame_mbs in H264_LEVELS:
        if frame_mbs <= max_frame_mbs and frame_mbs * rate <= max_mbps:
            return level
    return 51
