import re
import struct
import subprocess
from fractions import Fraction
from pathlib import Path

import av
import pytest
from bench.ladder import per_rung_commands
from django.core.exceptions import ImproperlyConfigured

from mediateka.video import ladder_run
from mediateka.video.ladder import build_command, output_frame_rate, plan_rungs
from mediateka.video.ladder_run import EncodeError, ProgressMeter, run_ladder
from mediateka.video.probe import ProbeResult, probe

# The ladder itself is under test here: every rung, at the production preset.
pytestmark = pytest.mark.full_ladder


def fake_probe(
    width=1920, height=1080, *, rate=25.0, vfr=False, channels=2, duration=60.0, nominal=0.0
) -> ProbeResult:
    return ProbeResult(
        duration=duration,
        width=width,
        height=height,
        coded_width=width,
        coded_height=height,
        rotation=0,
        frame_rate=rate,
        variable_frame_rate=vfr,
        video_codec="h264",
        pix_fmt="yuv420p",
        bit_depth=8,
        audio_codec="aac" if channels else None,
        audio_channels=channels,
        container="mov,mp4,m4a,3gp,3g2,mj2",
        nominal_frame_rate=nominal,
    )


def sizes(rungs):
    return {r.name: (r.width, r.height) for r in rungs}


# ---------------------------------------------------------------- planning


def test_full_hd_source_gets_every_rung_and_an_audio_rung():
    rungs = plan_rungs(fake_probe(1920, 1080, rate=30))

    assert sizes(rungs) == {
        "144p": (256, 144),
        "240p": (426, 240),
        "360p": (640, 360),
        "480p": (854, 480),
        "720p": (1280, 720),
        "audio": (0, 0),
    }
    assert [r.codecs for r in rungs] == [
        "avc1.64001e,mp4a.40.2",
        "avc1.64001e,mp4a.40.2",
        "avc1.64001e,mp4a.40.2",
        "avc1.64001f,mp4a.40.2",  # 854x480 at 30 fps is past level 3.0's macroblock rate
        "avc1.64001f,mp4a.40.2",
        "mp4a.40.2",
    ]
    lowest, audio = rungs[0], rungs[-1]
    assert lowest.video_bitrate + lowest.audio_bitrate < 170_000  # leaves room for container overhead
    assert (lowest.audio_channels, audio.audio_channels) == (1, 1)
    assert audio.video_bitrate == 0 and audio.audio_bitrate <= 48_000
    bitrates = [r.video_bitrate for r in rungs[:-1]]
    assert bitrates == sorted(bitrates)
    assert [r.link for r in rungs[:-1]] == [256_000, 384_000, 512_000, 1_000_000, 2_000_000]
    for rung in rungs[:-1]:
        # A segment 15 % over the cap, the sound and the container still fit the link's share.
        assert rung.video_bitrate * 1.15 + rung.audio_bitrate + 6_000 <= rung.peak_budget * 0.97
        assert rung.peak_budget == rung.link * 0.7


def test_rungs_stop_at_the_source_size():
    assert list(sizes(plan_rungs(fake_probe(640, 360)))) == ["144p", "240p", "360p", "audio"]
    assert list(sizes(plan_rungs(fake_probe(321, 241)))) == ["144p", "240p", "audio"]


def test_a_tiny_source_still_gets_a_144p_rung_at_its_own_size():
    assert sizes(plan_rungs(fake_probe(160, 120, channels=0))) == {"144p": (160, 120)}


def test_portrait_rungs_are_named_by_their_short_side():
    rungs = plan_rungs(fake_probe(1080, 1920))

    assert sizes(rungs)["144p"] == (144, 256)
    assert sizes(rungs)["720p"] == (720, 1280)
    assert all(r.width < r.height for r in rungs if not r.is_audio_only)


def test_wide_picture_gets_a_higher_h264_level():
    top = plan_rungs(fake_probe(1920, 804))[-2]  # 2.39:1 cinema scope

    assert (top.name, top.width, top.height) == ("720p", 1720, 720)
    assert top.codecs.startswith("avc1.640020")  # High, level 3.2


def test_silent_source_has_no_audio_rung_and_no_audio_codec():
    rungs = plan_rungs(fake_probe(640, 360, channels=0))

    assert [r.name for r in rungs] == ["144p", "240p", "360p"]
    assert all(r.codecs == "avc1.64001e" and r.audio_bitrate == 0 for r in rungs)


def test_mono_source_is_not_made_stereo():
    assert {r.audio_channels for r in plan_rungs(fake_probe(640, 360, channels=1))} == {1}


@pytest.mark.parametrize(
    ("rate", "vfr", "nominal", "expected"),
    [
        (25, False, 0, Fraction(25)),
        (30000 / 1001, False, 0, Fraction(30000, 1001)),
        (29.97, False, 0, Fraction(30000, 1001)),  # a rounded rate is the standard one it rounds
        (24.992, False, 0, Fraction(25)),  # a camera's dropped frame lowers the mean, not the rate
        (25.1, False, 0, Fraction(25)),
        (50, False, 0, Fraction(50)),
        (60, False, 0, Fraction(60)),
        (120, False, 0, Fraction(60)),
        (27.5, True, 30.0, Fraction(30)),  # a phone at 30 fps that dropped to 15 in the dark
        (29.6, True, 0, Fraction(30)),
        (12.5, False, 0, Fraction(25, 2)),  # not near a standard rate: kept
        (0, False, 0, Fraction(25)),
    ],
)
def test_output_frame_rate(rate, vfr, nominal, expected):
    assert output_frame_rate(fake_probe(rate=rate, vfr=vfr, nominal=nominal)) == expected


def test_rungs_below_720p_get_half_of_a_rate_above_30():
    rungs = plan_rungs(fake_probe(1280, 720, rate=50))

    assert {r.name: r.frame_rate for r in rungs if not r.is_audio_only} == {
        "144p": 25,
        "240p": 25,
        "360p": 25,
        "480p": 25,
        "720p": 50,
    }
    assert rungs[-2].codecs.startswith("avc1.640020")  # 720p at 50 fps needs level 3.2


def test_command_has_one_input_and_aligned_keyframes(tmp_path):
    source = fake_probe(1280, 720, rate=25)
    argv = build_command(tmp_path / "in.mp4", tmp_path / "out", source, plan_rungs(source))

    assert argv.count("-i") == 1
    assert argv[argv.index("-progress") + 1] == "pipe:1" and "-nostats" in argv
    assert argv[argv.index("-hls_segment_type") + 1] == "fmp4"
    assert argv[argv.index("-master_pl_name") + 1] == "master.m3u8"
    assert argv[argv.index("-var_stream_map") + 1] == (
        "v:0,a:0,name:144p v:1,a:1,name:240p v:2,a:2,name:360p v:3,a:3,name:480p "
        "v:4,a:4,name:720p a:5,name:audio"
    )
    graph = argv[argv.index("-filter_complex") + 1]
    assert graph.startswith("[0:V:0]bwdif=mode=send_frame:deint=interlaced,fps=25,split=")
    grids = set()
    for i, rung in enumerate(plan_rungs(source)[:-1]):
        grids.add(argv[argv.index(f"-force_key_frames:v:{i}") + 1])
        # x264's own interval is past the longest segment, so only the grid makes keyframes.
        assert int(argv[argv.index(f"-g:v:{i}") + 1]) > 25 * 4
        assert argv[argv.index(f"-keyint_min:v:{i}") + 1] == argv[argv.index(f"-g:v:{i}") + 1]
        assert argv[argv.index(f"-profile:v:{i}") + 1] == "high"
        assert argv[argv.index(f"-crf:v:{i}") + 1] == str(rung.crf)
        assert argv[argv.index(f"-maxrate:v:{i}") + 1] == str(rung.video_bitrate)
    assert grids == {"expr:if(eq(n_forced,0),1,gte(t,2+4*(n_forced-1)))"}  # one grid: 0, 2, 6, 10 …
    assert argv[argv.index("-hls_time") + 1] == "2"
    assert graph.count("format=yuv420p") == 6  # five rungs and the download
    assert argv[argv.index("-movflags") + 1] == "+faststart"


def test_command_for_a_silent_source_maps_no_audio(tmp_path):
    source = fake_probe(640, 360, channels=0)
    argv = build_command(tmp_path / "in.mp4", tmp_path / "out", source, plan_rungs(source))

    assert "0:a:0" not in argv
    assert argv[argv.index("-var_stream_map") + 1] == "v:0,name:144p v:1,name:240p v:2,name:360p"


def test_percent_sign_in_the_output_folder_is_refused(tmp_path):
    source = fake_probe(640, 360)
    with pytest.raises(ValueError, match="%"):
        build_command(tmp_path / "in.mp4", tmp_path / "100%", source, plan_rungs(source))


# ---------------------------------------------------------------- progress


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def feed_block(meter, out_time_us, state="continue"):
    for line in ("frame=1\n", f"out_time_us={out_time_us}\n", f"progress={state}\n"):
        meter.feed(line)


def test_progress_is_throttled_rising_and_ends_at_100():
    seen, clock = [], FakeClock()
    meter = ProgressMeter(10.0, seen.append, interval=1.0, clock=clock)

    meter.feed("out_time_us=N/A\n")
    feed_block(meter, 1_000_000)
    clock.now = 0.5
    feed_block(meter, 2_000_000)  # too soon after the last report
    clock.now = 1.5
    feed_block(meter, 5_000_000)
    clock.now = 3.0
    feed_block(meter, 4_000_000)  # a later block with an earlier time never lowers the value
    clock.now = 4.0
    meter.feed("out_time_ms=9000000\n")  # microseconds, despite the name
    meter.feed("progress=continue\n")
    clock.now = 5.0
    feed_block(meter, 12_000_000, "end")  # past the probed duration: capped below 100 until finish
    meter.finish()

    assert seen == [10.0, 50.0, 90.0, 99.9, 100.0]


# ---------------------------------------------------------------- encoding


def rung_mp4(rung_dir: Path, tmp_path: Path) -> Path:
    """The init segment and media segments of a rung joined: a fragmented MP4 that PyAV can read."""
    playlist = (rung_dir / "index.m3u8").read_text()
    init = re.search(r'#EXT-X-MAP:URI="([^"]+)"', playlist).group(1)
    segments = [line for line in playlist.splitlines() if line and not line.startswith("#")]
    joined = tmp_path / f"{rung_dir.name}.mp4"
    joined.write_bytes(b"".join((rung_dir / name).read_bytes() for name in [init, *segments]))
    return joined


def video_facts(path: Path) -> dict:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        return {
            "codec": stream.codec_context.name,
            "profile": stream.codec_context.profile,
            "pix_fmt": frames[0].format.name,
            "size": (frames[0].width, frames[0].height),
            "frames": len(frames),
            "pts": [f.pts for f in frames],
            "time_base": stream.time_base,
            "audio_channels": [a.codec_context.channels for a in container.streams.audio],
        }


def top_level_boxes(path: Path) -> list[str]:
    data = path.read_bytes()
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        boxes.append(kind.decode("latin-1"))
        if size == 0:
            break
        offset += size
    return boxes


def jpeg_size(path: Path) -> tuple[int, int]:
    assert path.read_bytes()[:3] == b"\xff\xd8\xff"
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        return frame.width, frame.height


@pytest.fixture(scope="module")
def motion(tmp_path_factory):
    """A 6.5 s, 640x360 stereo clip with motion, encoded once: the meaningful bitrate measurements.

    6.5 s ends half a second past the segment grid (2, 6, …): a tail every rung must join."""
    from tests.video.clips import make_clip

    folder = tmp_path_factory.mktemp("motion")
    source = make_clip(folder / "motion.mp4", seconds=6.5, width=640, height=360)
    seen: list[float] = []
    result = run_ladder(source, folder / "out", probe(source), on_progress=seen.append)
    return result, seen


def test_lowest_rung_and_audio_rung_fit_a_slow_link(motion):
    result, _ = motion
    measured = {r.name: r.bitrate for r in result.rungs}

    assert list(measured) == ["144p", "240p", "360p", "audio"]
    assert measured["144p"] < 200_000
    assert measured["audio"] <= 64_000
    for rung in result.rungs:  # the measurement is what is on disk
        files = [p for p in rung.playlist.parent.iterdir() if p.suffix in (".mp4", ".m4s")]
        assert rung.bytes == sum(p.stat().st_size for p in files)
        assert rung.duration == pytest.approx(6.48, abs=0.05)


def test_every_rung_peaks_within_its_links_budget(motion):
    result, _ = motion
    for encoded in result.rungs:
        playlist = encoded.playlist.read_text()
        durations = [float(d) for d in re.findall(r"#EXTINF:([\d.]+)", playlist)]
        names = [line for line in playlist.splitlines() if line.endswith(".m4s")]
        sizes = [(encoded.playlist.parent / name).stat().st_size for name in names]
        peak = max(size * 8 / duration for size, duration in zip(sizes, durations, strict=True))
        assert peak == pytest.approx(encoded.peak, abs=1)
        assert peak < encoded.rung.peak_budget, encoded.name


def test_a_short_tail_joins_the_segment_before_it(motion):
    result, _ = motion
    for encoded in result.rungs:
        durations = [float(d) for d in re.findall(r"#EXTINF:([\d.]+)", encoded.playlist.read_text())]
        assert durations[-1] >= 1.0, encoded.name
        assert sum(durations) == pytest.approx(6.48, abs=0.05)
    joined = result.rungs[0].playlist.parent / "seg_00002.m4s"
    # Two fragments in one segment, and no index box left to describe only the first of them.
    assert top_level_boxes(joined) == ["styp", "moof", "mdat", "moof", "mdat"]


def test_output_layout(motion):
    result, _ = motion
    out = result.master_playlist.parent

    assert result.warnings == ()  # FFmpeg found nothing to complain about in the command

    assert result.master_playlist == out / "master.m3u8"
    for name in ("144p", "240p", "360p"):
        names = sorted(p.name for p in (out / name).iterdir())
        assert names == ["index.m3u8", "init.mp4", "seg_00001.m4s", "seg_00002.m4s"]  # 2 s, then 4.5
        assert '#EXT-X-MAP:URI="init.mp4"' in (out / name / "index.m3u8").read_text()
    names = sorted(p.name for p in (out / "audio").iterdir())
    assert names == ["index.m3u8", "init.mp4", "seg_00001.m4s", "seg_00002.m4s", "seg_00003.m4s"]


def test_master_playlist_describes_every_video_rung(motion):
    result, _ = motion
    master = result.master_playlist.read_text()

    for encoded in result.rungs:
        rung = encoded.rung
        match = re.search(rf"#EXT-X-STREAM-INF:(.*)\n{rung.name}/index.m3u8", master)
        assert match, rung.name
        attributes = match.group(1)
        assert (
            f"BANDWIDTH={encoded.peak}," in attributes
            and f"AVERAGE-BANDWIDTH={encoded.average}," in attributes
        )
        assert f'CODECS="{rung.codecs}"' in attributes
        if not rung.is_audio_only:
            assert f"RESOLUTION={rung.width}x{rung.height}" in attributes
            assert "FRAME-RATE=25," in attributes


def test_master_playlist_plays_through_ffmpegs_hls_reader(motion):
    result, _ = motion
    with av.open(str(result.master_playlist)) as container:
        widths = [s.codec_context.width for s in container.streams.video]
        packets = sum(1 for p in container.demux(container.streams.video[0]) if p.size)

    assert widths == [r.rung.width for r in result.rungs if not r.rung.is_audio_only]
    assert packets == 162  # 6.48 s at 25 fps


def test_the_lowest_rung_is_also_one_small_mp4_with_its_index_first(motion):
    result, _ = motion
    lowest = result.rungs[0]
    facts = video_facts(result.small)

    assert result.small.name == "small.mp4"
    boxes = top_level_boxes(result.small)
    assert boxes.index("moov") < boxes.index("mdat")  # plays while it downloads
    assert (facts["size"], facts["frames"], facts["audio_channels"]) == ((256, 144), 162, [1])
    # The rung's own bits copied, not a second encode.
    assert abs(result.small.stat().st_size - lowest.bytes) < lowest.bytes * 0.05


def test_keyframes_align_across_rungs(motion):
    result, _ = motion
    durations = {
        r.name: re.findall(r"#EXTINF:([\d.]+)", r.playlist.read_text())
        for r in result.rungs
        if not r.rung.is_audio_only
    }

    assert [float(d) for d in durations["144p"]] == [2.0, 4.48]  # a short first segment: a quick start
    assert len({tuple(d) for d in durations.values()}) == 1


def test_a_scene_cut_gets_an_i_frame_inside_its_segment_not_a_new_segment(tmp_path):
    from mediateka.video.binaries import ffmpeg_path

    cut = tmp_path / "cut.mp4"  # one picture for 3.2 s, then another: a hard cut between grid points
    subprocess.run(
        [
            ffmpeg_path(),
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=640x360:r=25:d=3.2",
            "-f",
            "lavfi",
            "-i",
            "rgbtestsrc=s=640x360:r=25:d=4.8",
            "-f",
            "lavfi",
            "-i",
            "sine=d=8",
            "-filter_complex",
            "[0:v][1:v]concat=n=2:v=1:a=0[v]",
            "-map",
            "[v]",
            "-map",
            "2:a",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            str(cut),
        ],
        check=True,
    )
    result = run_ladder(cut, tmp_path / "out", probe(cut))

    video = [r for r in result.rungs if not r.rung.is_audio_only]
    durations = {tuple(re.findall(r"#EXTINF:([\d.]+)", r.playlist.read_text())) for r in video}
    assert durations == {("2", "4", "2")}
    with av.open(str(rung_mp4(video[0].playlist.parent, tmp_path))) as container:
        stream = container.streams.video[0]
        intra = [
            (round(float(frame.time * 25)), frame.key_frame)
            for frame in container.decode(stream)
            if frame.pict_type == av.video.frame.PictureType.I
        ]
    start = intra[0][0]
    # Keyframes on the grid only (0, 2 and 6 s); the cut, frame 80, gets an I-frame that is not one.
    assert [(n - start, key) for n, key in intra] == [(0, True), (50, True), (80, False), (150, True)]


def test_every_video_rung_is_h264_high_4_2_0_of_its_planned_size(motion, tmp_path):
    result, _ = motion
    for encoded in result.rungs:
        if encoded.rung.is_audio_only:
            continue
        facts = video_facts(rung_mp4(encoded.playlist.parent, tmp_path))
        assert (facts["codec"], facts["profile"], facts["pix_fmt"]) == ("h264", "High", "yuv420p")
        assert facts["size"] == (encoded.rung.width, encoded.rung.height)
        assert facts["frames"] == 162


def test_poster_thumbnail_and_download(motion):
    result, _ = motion

    assert jpeg_size(result.poster) == (640, 360)
    assert jpeg_size(result.thumbnail) == (320, 180)
    # Smaller copies of the poster for cards and phones, none wider than the poster.
    assert [(w, h, path.name) for w, h, path in result.stills] == [
        (160, 90, "still-160.jpg"),
        (360, 202, "still-360.jpg"),
        (640, 360, "still-640.jpg"),
    ]
    for width, height, path in result.stills:
        assert jpeg_size(path) == (width, height)
    # A few kilobytes each: a card's picture, and the film page's poster on a phone.
    assert result.stills[0][2].stat().st_size <= 4 * 1024
    assert result.stills[1][2].stat().st_size <= 8 * 1024
    assert result.stills[2][2].stat().st_size < result.poster.stat().st_size
    boxes = top_level_boxes(result.download)
    assert boxes.index("moov") < boxes.index("mdat")  # playable while it downloads
    facts = video_facts(result.download)
    assert facts["size"] == (640, 360)
    assert facts["audio_channels"] == [2]


def test_progress_rises_and_ends_at_100(motion):
    _, seen = motion

    assert seen[-1] == 100.0
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert all(0 <= value <= 100 for value in seen)


AWKWARD = {
    "portrait": ("portrait.mp4", {"rotate": 90}),
    "odd": ("odd.mp4", {"width": 321, "height": 241}),
    "vfr": ("vfr30.mp4", {"vfr": True, "fps": 30}),
    "surround": ("surround.mp4", {"audio": "5.1"}),
    "silent": ("silent.mp4", {"audio": None}),
    "ten_bit": ("tenbit.mp4", {"pix_fmt": "yuv420p10le"}),
    "hevc": ("hevc10.mkv", {"codec": "libx265", "pix_fmt": "yuv420p10le"}),
    "interlaced": ("interlaced.mp4", {"interlaced": True}),
}


@pytest.fixture(scope="module")
def encode(clip, tmp_path_factory):
    """`encode(case)` → (probe result, ladder result) for an AWKWARD case, encoded once per module."""
    done = {}

    def get(case):
        if case not in done:
            name, options = AWKWARD[case]
            source = clip(name, **options)
            probed = probe(source)
            done[case] = probed, run_ladder(source, tmp_path_factory.mktemp(case), probed)
        return done[case]

    return get


@pytest.mark.parametrize("case", list(AWKWARD))
def test_awkward_sources_encode_to_plain_h264(encode, case, tmp_path):
    probed, result = encode(case)

    assert [r.name for r in result.rungs][:2] == ["144p", "240p"]
    for encoded in result.rungs:
        if encoded.rung.is_audio_only:
            continue
        facts = video_facts(rung_mp4(encoded.playlist.parent, tmp_path))
        assert (facts["codec"], facts["profile"], facts["pix_fmt"]) == ("h264", "High", "yuv420p")
        assert facts["size"] == (encoded.rung.width, encoded.rung.height)
        assert facts["frames"] >= 2 * probed.frame_rate
    assert jpeg_size(result.poster) == (probed.width // 2 * 2, probed.height // 2 * 2)


def luma_grid(frame, width, height) -> list[list[int]]:
    small = frame.reformat(width=width, height=height, format="gray")
    plane = small.planes[0]
    data = bytes(plane)
    return [[data[y * plane.line_size + x] for x in range(width)] for y in range(height)]


def test_portrait_video_comes_out_upright(encode, clip, tmp_path):
    _, result = encode("portrait")
    rung = next(r for r in result.rungs if r.name == "240p")
    assert (rung.rung.width, rung.rung.height) == (240, 320)

    with av.open(str(clip("portrait.mp4", rotate=90))) as container:
        stored = luma_grid(next(container.decode(video=0)), 8, 6)  # landscape, as the phone stored it
    with av.open(str(rung_mp4(rung.playlist.parent, tmp_path))) as container:
        shown = luma_grid(next(container.decode(video=0)), 6, 8)
    turned_right = [[stored[5 - x][y] for x in range(6)] for y in range(8)]  # 90° clockwise
    turned_left = [[stored[x][7 - y] for x in range(6)] for y in range(8)]

    def distance(a, b):
        return sum(abs(a[y][x] - b[y][x]) for y in range(8) for x in range(6))

    assert distance(shown, turned_right) * 5 < distance(shown, turned_left)
    assert jpeg_size(result.poster) == (240, 320)
    assert jpeg_size(result.thumbnail) == (240, 320)
    assert [(w, h) for w, h, _path in result.stills] == [(160, 214), (240, 320)]
    assert jpeg_size(result.stills[0][2]) == (160, 214)


def test_odd_dimensions_become_even(encode):
    _, result = encode("odd")

    assert [(r.rung.width, r.rung.height) for r in result.rungs[:2]] == [(192, 144), (320, 240)]


def test_variable_frame_rate_comes_out_constant_at_the_cameras_rate(encode, tmp_path):
    probed, result = encode("vfr")  # 30 fps with three frames in ten dropped: 21 fps on average
    facts = video_facts(rung_mp4(result.rungs[0].playlist.parent, tmp_path))
    gaps = {b - a for a, b in zip(facts["pts"], facts["pts"][1:], strict=False)}

    assert probed.nominal_frame_rate == pytest.approx(30)
    assert len(gaps) == 1
    assert float(1 / (gaps.pop() * facts["time_base"])) == pytest.approx(30)
    # Every source frame is kept: frames 0 … 86 of the camera's 30 fps grid (its last kept one is 86),
    # the 63 it kept and the 24 it dropped, each of those shown again; none lost.
    assert facts["frames"] == 87
    assert "FRAME-RATE=30," in result.master_playlist.read_text()


def test_surround_is_downmixed(encode, tmp_path):
    _, result = encode("surround")
    channels = {
        r.name: video_facts(rung_mp4(r.playlist.parent, tmp_path))["audio_channels"]
        for r in result.rungs
        if not r.rung.is_audio_only
    }

    assert channels == {"144p": [1], "240p": [1]}  # mono below 360p: clear speech in few bits
    audio = next(r for r in result.rungs if r.rung.is_audio_only)
    with av.open(str(rung_mp4(audio.playlist.parent, tmp_path))) as container:
        assert container.streams.audio[0].codec_context.channels == 1


def test_silent_source_has_video_only_rungs(encode, tmp_path):
    _, result = encode("silent")

    assert [r.name for r in result.rungs] == ["144p", "240p"]
    assert not (result.master_playlist.parent / "audio").exists()
    assert "mp4a" not in result.master_playlist.read_text()
    facts = video_facts(rung_mp4(result.rungs[0].playlist.parent, tmp_path))
    assert facts["audio_channels"] == [] and facts["frames"] == 75
    assert video_facts(result.download)["audio_channels"] == []


def test_interlaced_source_comes_out_progressive(encode, clip, tmp_path):
    _, result = encode("interlaced")
    with av.open(str(clip("interlaced.mp4", interlaced=True))) as container:
        assert next(container.decode(video=0)).interlaced_frame

    with av.open(str(rung_mp4(result.rungs[1].playlist.parent, tmp_path))) as container:
        frames = list(container.decode(video=0))
    assert len(frames) == 75 and not any(f.interlaced_frame for f in frames)


def test_failed_encode_reports_ffmpeg_error(tmp_path):
    bogus = tmp_path / "film.mp4"
    bogus.write_text("not a film")

    with pytest.raises(EncodeError) as caught:
        run_ladder(bogus, tmp_path / "out", fake_probe(320, 240, duration=3))
    assert "exit status" in caught.value.message
    assert caught.value.stderr_tail and "Invalid data" in caught.value.stderr_tail


def test_raising_from_the_progress_callback_cancels(clip, tmp_path):
    source = clip("plain.mp4")

    def cancel(_percent):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_ladder(source, tmp_path / "out", probe(source), on_progress=cancel)


def test_the_master_lists_codecs_frame_rate_and_measured_bandwidth(tmp_path):
    (tmp_path / "144p").mkdir()
    (tmp_path / "144p" / "seg_1.m4s").write_bytes(b"\0" * 20_000)  # 2 s: 80 kbit/s
    (tmp_path / "144p" / "seg_2.m4s").write_bytes(b"\0" * 30_000)  # 4 s: 60 kbit/s
    (tmp_path / "144p" / "init.mp4").write_bytes(b"\0" * 900)
    playlist = tmp_path / "144p" / "index.m3u8"
    playlist.write_text(
        '#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI="init.mp4"\n'
        "#EXTINF:2,\nseg_1.m4s\n#EXTINF:4,\nseg_2.m4s\n#EXT-X-ENDLIST\n"
    )
    master = tmp_path / "master.m3u8"
    master.write_text(
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-STREAM-INF:BANDWIDTH=172791,RESOLUTION=256x144\n144p/index.m3u8\n"
    )
    rung = plan_rungs(fake_probe(256, 144))[0]

    ladder_run._describe_variants(master, [ladder_run._measure(rung, playlist)])

    text = master.read_text()
    assert "BANDWIDTH=80000,AVERAGE-BANDWIDTH=66667," in text  # the costliest segment; the mean
    assert 'FRAME-RATE=25,CODECS="avc1.64001e,mp4a.40.2"' in text


def x264_settings(playlist: Path) -> str:
    """The option string x264 writes into every stream it encodes, read from a rung's first segment."""
    data = (playlist.parent / "seg_00001.m4s").read_bytes()
    start = data.index(b"x264 - core")
    return data[start : data.index(b"\0", start)].decode()


def test_the_quick_ladder_is_the_lowest_rung_and_the_audio_rung_at_ultrafast(clip, tmp_path, settings):
    settings.MEDIATEKA_LADDER = "quick"
    source = clip("plain.mp4")

    result = run_ladder(source, tmp_path / "out", probe(source))

    assert [r.name for r in result.rungs] == ["144p", "audio"]
    assert "subme=0" in x264_settings(result.rungs[0].playlist)  # ultrafast
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "144p",
        "audio",
        "download.mp4",
        "master.m3u8",
        "poster.jpg",
        "small.mp4",  # the 144p rung as one file
        "still-160.jpg",  # the poster's smaller copies: a card's,
        "still-320.jpg",  # and a phone's, as wide as this small poster
        "thumb.jpg",
    ]


def test_the_full_ladder_is_the_default_at_the_medium_preset(motion):
    result, _ = motion
    used_by = {r.name: x264_settings(r.playlist) for r in result.rungs if r.name != "audio"}
    assert all("subme=7" in used for used in used_by.values())  # medium
    # and the effort beyond it, which bench ladder_quality measured to pay (docs/encoding.md)
    assert all(" ref=5 " in used and " bframes=8 " in used for used in used_by.values())
    # B-frames placed by trellis on the rungs of the slow links, x264's fast way above them
    assert {name: " b_adapt=2 " in used for name, used in used_by.items()} == {
        "144p": True,
        "240p": True,
        "360p": True,
    }
    # and no psychovisual texture on those small pictures
    assert {name: "psy_rd=0.00:0.00" in used for name, used in used_by.items()} == {
        "144p": True,
        "240p": True,
        "360p": True,
    }


def test_the_quick_ladder_keeps_ultrafast_choices(tmp_path):
    source = fake_probe(640, 360, rate=25)
    argv = build_command(
        tmp_path / "in.mp4", tmp_path / "out", source, plan_rungs(source), preset="ultrafast"
    )
    assert "-bf:v:0" not in argv and "-refs:v:0" not in argv  # the test suite's ladder stays quick
    assert argv[argv.index("-psy-rd:v:0") + 1] == "0.0:0"


def test_only_the_rungs_of_slow_links_pay_for_trellis_b_frames_and_drop_psy_rd(tmp_path):
    source = fake_probe(1280, 720, rate=25)
    rungs = plan_rungs(source)
    argv = build_command(tmp_path / "in.mp4", tmp_path / "out", source, rungs, preset="medium")

    def option(name):
        return {r.name: argv[argv.index(f"-{name}:v:{n}") + 1] for n, r in enumerate(rungs) if r.height}

    assert option("b_strategy") == {"144p": "2", "240p": "2", "360p": "2", "480p": "1", "720p": "1"}
    assert option("psy-rd") == {
        "144p": "0.0:0",
        "240p": "0.0:0",
        "360p": "0.0:0",
        "480p": "1.0:0",
        "720p": "1.0:0",
    }


def test_an_unknown_ladder_setting_is_refused_by_name(clip, tmp_path, settings):
    settings.MEDIATEKA_LADDER = "fast"
    with pytest.raises(ImproperlyConfigured, match='MEDIATEKA_LADDER must be "full" or "quick"'):
        run_ladder(clip("plain.mp4"), tmp_path / "out", fake_probe(320, 240, duration=3))


def test_per_rung_commands_make_the_same_rungs(clip, tmp_path):
    source = clip("plain.mp4")
    probed = probe(source)
    rungs = plan_rungs(probed)
    commands = per_rung_commands(source, tmp_path, probed, rungs)

    assert len(commands) == len(rungs) + 3  # and poster, thumbnail, download
    assert all(argv.count("-i") == 1 for argv in commands)
    for argv in commands:
        done = subprocess.run(argv, check=True, capture_output=True, text=True)
        assert done.stderr == ""  # no ignored or ambiguous option
    for rung in rungs:
        assert (tmp_path / rung.name / "init.mp4").is_file()
        assert "seg_00001.m4s" in (tmp_path / rung.name / "index.m3u8").read_text()
    assert jpeg_size(tmp_path / "poster.jpg") == (320, 240)
    assert jpeg_size(tmp_path / "thumb.jpg") == (320, 240)
    assert (tmp_path / "download.mp4").stat().st_size > 0
