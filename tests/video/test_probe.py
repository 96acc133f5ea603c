import subprocess
from pathlib import Path

import pytest

from mediateka.video import probe as p
from mediateka.video.binaries import ffmpeg_path
from mediateka.video.probe import ProbeError, probe
from tests.video.clips import make_clip, make_empty_clip, make_solid_clip

MOV = "mov,mp4,m4a,3gp,3g2,mj2"


def refusal(path, **kwargs) -> str:
    with pytest.raises(ProbeError) as caught:
        probe(path, **kwargs)
    return caught.value.message


def test_plain_clip_is_measured(clip):
    result = probe(clip("plain.mp4"))

    assert result.duration == pytest.approx(3, abs=0.05)
    assert (result.width, result.height) == (320, 240)
    assert (result.coded_width, result.coded_height) == (320, 240)
    assert result.rotation == 0
    assert result.frame_rate == pytest.approx(25)
    assert result.variable_frame_rate is False
    assert (result.video_codec, result.pix_fmt, result.bit_depth) == ("h264", "yuv420p", 8)
    assert (result.audio_codec, result.audio_channels) == ("aac", 2)
    assert result.container == MOV
    assert result.display_aspect_ratio == pytest.approx(4 / 3)


def test_portrait_phone_video_reports_its_displayed_size(clip):
    result = probe(clip("portrait.mp4", rotate=90))

    assert result.rotation == 90
    assert (result.width, result.height) == (240, 320)
    assert (result.coded_width, result.coded_height) == (320, 240)
    assert result.is_portrait


def test_variable_frame_rate_is_noticed(clip):
    result = probe(clip("vfr.mp4", vfr=True))

    assert result.variable_frame_rate is True
    assert result.frame_rate == pytest.approx(17.5, abs=1)  # 7 frames in 10 kept from 25 fps


def test_surround_and_silent_sources(clip):
    assert probe(clip("surround.mp4", audio="5.1")).audio_channels == 6
    silent = probe(clip("silent.mp4", audio=None))
    assert (silent.audio_codec, silent.audio_channels, silent.has_audio) == (None, 0, False)


def test_ten_bit_hevc(clip):
    result = probe(clip("hevc10.mkv", codec="libx265", pix_fmt="yuv420p10le"))

    assert (result.video_codec, result.pix_fmt, result.bit_depth) == ("hevc", "yuv420p10le", 10)
    assert result.container == "matroska,webm"


def test_odd_dimensions_are_kept(clip):
    result = probe(clip("odd.mp4", width=321, height=241))

    assert (result.width, result.height) == (321, 241)


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("film.mov", MOV),
        ("film.3gp", MOV),
        ("film.mkv", "matroska,webm"),
        ("film.avi", "avi"),
        ("film.ts", "mpegts"),
    ],
)
def test_every_accepted_container(clip, name, family):
    assert probe(clip(name, seconds=2)).container == family


def test_browser_recording_without_duration_is_measured_from_its_packets(clip):
    result = probe(clip("recorded.mkv", live=True))

    assert result.duration == pytest.approx(3, abs=0.1)


def test_text_file_named_mp4(tmp_path):
    path = tmp_path / "film.mp4"
    path.write_text("This is not a film.\n" * 50)

    assert refusal(path) == p.UNREADABLE.format(detail="Invalid data found when processing input")


def test_mp4_cut_in_half_loses_its_index(clip, tmp_path):
    data = clip("plain.mp4").read_bytes()  # FFmpeg writes the moov atom after the media data
    assert data.find(b"moov") > data.find(b"mdat")
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])

    assert refusal(cut).startswith("The container is unreadable or truncated: ")


def test_faststart_mp4_cut_in_half(clip, tmp_path):
    data = clip("faststart.mp4", faststart=True).read_bytes()
    assert data.find(b"moov") < data.find(b"mdat")
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])

    assert refusal(cut) == p.UNREADABLE.format(detail=p.TRUNCATED_DETAIL)


def test_matroska_named_mp4(clip, tmp_path):
    renamed = tmp_path / "film.mp4"
    renamed.write_bytes(clip("film.mkv", seconds=2).read_bytes())

    assert refusal(renamed) == "The file extension .mp4 does not match its content (Matroska)."


def test_mp3_named_mp4(tmp_path):
    make_clip(tmp_path / "song.mp3", video=False)
    renamed = tmp_path / "song.mp4"
    (tmp_path / "song.mp3").rename(renamed)

    assert refusal(renamed) == "The file extension .mp4 does not match its content (MP3)."


def test_a_sound_only_file_is_a_sound_film(tmp_path):
    found = probe(make_clip(tmp_path / "voice.mp4", video=False, seconds=2))

    assert not found.has_video and found.has_audio
    assert (found.width, found.height, found.audio_channels) == (0, 0, 2)
    assert found.duration == pytest.approx(2, abs=0.1)


def test_a_file_with_neither_picture_nor_sound_is_refused(tmp_path):
    subtitles = tmp_path / "subs.srt"
    subtitles.write_text("1\n00:00:00,000 --> 00:00:01,000\nHello\n")
    only_text = tmp_path / "only-text.mkv"
    subprocess.run([ffmpeg_path(), "-loglevel", "error", "-i", str(subtitles), str(only_text)], check=True)

    assert refusal(only_text) == "The file has neither a video nor a sound stream."


def test_zero_duration(tmp_path):
    assert refusal(make_empty_clip(tmp_path / "empty.mp4")) == "The video has zero duration."


def test_a_sound_recording_is_not_called_a_video_when_refused(tmp_path):
    assert refusal(make_empty_clip(tmp_path / "empty.m4a", video=False)) == "The recording has zero duration."
    spot = make_clip(tmp_path / "spot.m4a", video=False, seconds=3)
    assert refusal(spot, max_duration=2) == "The recording lasts 0:00:03, longer than the limit of 0:00:02."


def test_duration_limit(clip):
    assert probe(clip("plain.mp4"), max_duration=10).duration == pytest.approx(3, abs=0.05)
    assert refusal(clip("plain.mp4"), max_duration=2) == (
        "The video lasts 0:00:03, longer than the limit of 0:00:02."
    )


def test_first_frames_that_do_not_decode(clip, tmp_path):
    data = bytearray(clip("faststart.mp4", faststart=True).read_bytes())
    media = data.find(b"mdat") + 4
    data[media:] = bytes(len(data) - media)  # the index stays valid, the pictures are gone
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(bytes(data))

    assert refusal(broken) == "The first video frames cannot be decoded (h264)."


def test_extension_not_accepted(clip, tmp_path):
    renamed = tmp_path / "film.wmv"
    renamed.write_bytes(clip("plain.mp4").read_bytes())

    assert refusal(renamed) == p.EXTENSION_NOT_ACCEPTED.format(
        ext=".wmv",
        accepted=".mp4, .m4v, .mov, .3gp, .mkv, .webm, .avi, .mpg, .mpeg, .ts, "
        ".mp3, .m4a, .aac, .wav, .ogg, .opus, .flac",
    )


def test_uploaded_name_is_checked_rather_than_the_stored_one(clip, tmp_path):
    stored = tmp_path / "upload-tmp"
    stored.write_bytes(clip("plain.mp4").read_bytes())

    assert probe(stored, filename="Film.MP4").container == MOV
    assert refusal(stored, filename="film.mkv") == (
        "The file extension .mkv does not match its content (MP4/QuickTime)."
    )


def test_missing_file_is_a_refusal_not_a_crash(tmp_path):
    assert refusal(Path(tmp_path / "gone.mp4")).startswith("The container is unreadable or truncated: ")


def test_a_picture_too_small_for_the_ladder_is_refused_before_ffmpeg_sees_it(tmp_path):
    # FFmpeg accepted to start on it, then failed with "Video of less than 3 columns or lines…".
    tiny = make_solid_clip(tmp_path / "tiny.mp4", width=2, height=2)

    assert refusal(tiny) == "The picture is 2×2 pixels; a film needs at least 16 pixels on each side."


@pytest.mark.parametrize(
    ("width", "height", "reason"),
    [
        (720, 8, "The picture is 720×8 pixels; a film needs at least 16 pixels on each side."),
        (8200, 16, "The picture is 8200×16 pixels; at most 8192 pixels on each side can be encoded."),
    ],
)
def test_pictures_the_ladder_cannot_take_are_refused_with_their_size(tmp_path, width, height, reason):
    assert refusal(make_solid_clip(tmp_path / "odd-size.mp4", width=width, height=height)) == reason


def test_the_smallest_pictures_the_ladder_takes_pass(tmp_path):
    for width, height in ((16, 16), (17, 720)):
        result = probe(make_solid_clip(tmp_path / f"{width}x{height}.mp4", width=width, height=height))
        assert (result.width, result.height) == (width, height)
