import pytest

from mediateka.video import captions as c
from mediateka.video.captions import CaptionError, Cue, decode_caption_bytes, parse_captions, to_webvtt

TAJIK_SRT = (
    "1\r\n"
    "00:00:01,000 --> 00:00:02,500\r\n"
    "Ҳуҷҷатҳоятонро нигоҳ доред: қонун ғамхорӣ мекунад.\r\n"
    "\r\n"
    "2\r\n"
    "00:00:03,000 --> 00:00:05,000\r\n"
    "Телефони ёрӣ: 1313\r\n"
)
RUSSIAN_SRT = (
    "1\r\n"
    "00:00:01,000 --> 00:00:02,500\r\n"
    "Храните документы при себе.\r\n"
    "\r\n"
    "2\r\n"
    "00:00:03,000 --> 00:00:05,000\r\n"
    "Телефон доверия: 1313. Ёлка, щётка.\r\n"
)


def problems(text, **kwargs) -> list[str]:
    with pytest.raises(CaptionError) as caught:
        parse_captions(text, **kwargs)
    return caught.value.messages


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_encodings_with_and_without_bom(encoding):
    assert decode_caption_bytes(TAJIK_SRT.encode(encoding)) == TAJIK_SRT


def test_big_endian_utf16_with_its_bom():
    data = b"\xfe\xff" + TAJIK_SRT.encode("utf-16-be")

    assert decode_caption_bytes(data) == TAJIK_SRT


def test_windows_1251_russian():
    data = RUSSIAN_SRT.encode("cp1251")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    assert decode_caption_bytes(data) == RUSSIAN_SRT


def test_tajik_letters_have_no_place_in_windows_1251():
    # Which is why a Tajik file that is not Unicode can only be Russian look-alikes.
    with pytest.raises(UnicodeEncodeError):
        "ҳ".encode("cp1251")


def test_binary_data_is_refused():
    with pytest.raises(CaptionError) as caught:
        decode_caption_bytes(bytes(range(256)) * 4)
    assert caught.value.messages == [c.UNDECODABLE]


def test_latin1_accents_are_not_mistaken_for_cyrillic():
    with pytest.raises(CaptionError):
        decode_caption_bytes("1\n00:00:01,000 --> 00:00:02,000\nCafé déjà vu à Paris\n".encode("latin-1"))


# ---------------------------------------------------------------- parsing


def test_srt_cues():
    cues = parse_captions(TAJIK_SRT, duration=10)

    assert cues == [
        Cue(1.0, 2.5, "Ҳуҷҷатҳоятонро нигоҳ доред: қонун ғамхорӣ мекунад.", "1"),
        Cue(3.0, 5.0, "Телефони ёрӣ: 1313", "2"),
    ]


def test_srt_with_dots_multiline_text_and_a_stray_blank_line():
    text = (
        "1\n00:00:01.000 --> 00:00:02.000\nfirst line\nsecond line\n\nafter a blank line\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nnext\n"
    )

    cues = parse_captions(text)

    assert cues[0].text == "first line\nsecond line\nafter a blank line"
    assert [cue.identifier for cue in cues] == ["1", "2"]


def test_webvtt_cues_with_short_timestamps_settings_and_notes():
    text = (
        "WEBVTT - Mediateka\nKind: captions\nLanguage: tg\n\n"
        "NOTE written by hand\n\n"
        "STYLE\n::cue { color: yellow }\n\n"
        "intro\n00:01.000 --> 00:02.500 line:0 align:start\n<v Нигина>Салом!</v>\n\n"
        "01:00:02.000 --> 01:00:03.000\nLate\n"
    )

    cues = parse_captions(text)

    assert cues == [
        Cue(1.0, 2.5, "<v Нигина>Салом!</v>", "intro", "line:0 align:start"),
        Cue(3602.0, 3603.0, "Late", ""),
    ]


def test_webvtt_is_told_by_its_header_alone():
    srt_timestamps_in_vtt = "WEBVTT\n\n00:00:01,000 --> 00:00:02,000\ntext\n"

    assert problems(srt_timestamps_in_vtt) == ["Line 3: malformed timestamp '00:00:01,000 --> 00:00:02,000'."]


def test_malformed_timestamp_names_its_line():
    text = "1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n00:00:05.5 --> 00:00:07,000\nB\n"

    assert problems(text) == ["Line 6: malformed timestamp '00:00:05.5 --> 00:00:07,000'."]


def test_missing_timing_line():
    assert problems("1\nHello\n\n") == [
        "Line 2: expected a timing line such as '00:00:01,000 --> 00:00:04,000', found 'Hello'."
    ]
    assert problems("WEBVTT\n\njust text\n") == [
        "Line 3: expected a timing line such as '00:00:01.000 --> 00:00:04.000', found 'just text'."
    ]


def test_end_not_after_start():
    assert problems("1\n00:00:03,000 --> 00:00:03,000\nA\n") == [
        "Line 2: the cue ends at 00:00:03.000, not after its start at 00:00:03.000."
    ]


def test_cues_out_of_order():
    text = "1\n00:00:05,000 --> 00:00:06,000\nA\n\n2\n00:00:01,000 --> 00:00:02,000\nB\n"

    assert problems(text) == [
        "Line 6: the cue starts at 00:00:01.000, before the previous cue at 00:00:05.000."
    ]


def test_cue_past_the_end_of_the_video():
    text = (
        "1\n00:00:01,000 --> 00:00:10,400\nwithin tolerance\n\n2\n00:00:11,000 --> 00:00:12,000\ntoo late\n"
    )

    assert problems(text, duration=10) == [
        "Line 6: the cue ends at 00:00:12.000, after the end of the video at 00:00:10.000."
    ]
    assert len(parse_captions(text, duration=12)) == 2


def test_empty_file_and_file_without_cues():
    assert problems("") == ["The file is empty."]
    assert problems(" \r\n\n") == ["The file is empty."]
    assert problems("WEBVTT\n\nNOTE nothing here\n") == ["The file has no cues."]


def test_every_fault_is_reported_not_only_the_first():
    text = (
        "1\n00:00:05,000 --> 00:00:04,000\nA\n\n"
        "2\n00:00:01,000 --> 00:00:02,000\nB\n\n"
        "3\n0:0:1 --> 00:00:02,000\nC\n"
    )

    assert problems(text) == [
        "Line 2: the cue ends at 00:00:04.000, not after its start at 00:00:05.000.",
        "Line 6: the cue starts at 00:00:01.000, before the previous cue at 00:00:05.000.",
        "Line 10: malformed timestamp '0:0:1 --> 00:00:02,000'.",
    ]


def test_a_flood_of_faults_is_summarised():
    text = "".join(f"{i}\nbroken --> timing\nx\n\n" for i in range(1, 31))

    messages = problems(text)

    assert len(messages) == c.MAX_MESSAGES + 1
    assert messages[0] == "Line 2: malformed timestamp 'broken --> timing'."
    assert messages[-1] == "… and 10 more problems."


# ---------------------------------------------------------------- writing


def test_webvtt_output():
    cues = parse_captions(TAJIK_SRT)

    assert to_webvtt(cues) == (
        "WEBVTT\n\n"
        "1\n00:00:01.000 --> 00:00:02.500\nҲуҷҷатҳоятонро нигоҳ доред: қонун ғамхорӣ мекунад.\n\n"
        "2\n00:00:03.000 --> 00:00:05.000\nТелефони ёрӣ: 1313\n\n"
    )


def test_webvtt_output_round_trips_through_the_parser():
    cues = parse_captions(TAJIK_SRT)

    assert parse_captions(to_webvtt(cues)) == cues


def test_long_times_and_rounding():
    assert to_webvtt([Cue(3725.0004, 3726.9996, "x")]) == "WEBVTT\n\n01:02:05.000 --> 01:02:07.000\nx\n\n"


def test_script_and_foreign_html_are_stripped():
    text = (
        'Hello <script type="text/javascript">alert("x")</script><b>bold</b> '
        "<font color=\"red\">red</font> <span onclick='x()'>span</span><br>"
        '<img src=x onerror="alert(1)">line two <SCRIPT>unclosed'
    )

    assert c.clean_cue_text(text) == "Hello <b>bold</b> red span\nline two"


def test_webvtt_markup_is_kept_and_bare_specials_are_escaped():
    text = "<v.loud Али>Салом</v> <c.yellow>зард</c> <i>курсив</i> <U>u</U> <lang en>hi</lang> <00:00:01.500>"
    assert c.clean_cue_text(text) == (
        "<v.loud Али>Салом</v> <c.yellow>зард</c> <i>курсив</i> <u>u</u> <lang en>hi</lang> <00:00:01.500>"
    )
    assert c.clean_cue_text("1 < 2 & 3 --> 4 &amp; &#1178; &nbsp; x<2 and y>3") == (
        "1 &lt; 2 &amp; 3 --&gt; 4 &amp; &#1178; &nbsp; x&lt;2 and y>3"
    )


def test_subtitle_editor_overrides_and_blank_lines_are_dropped():
    assert c.clean_cue_text("{\\an8}Top line\n\n  \nbottom") == "Top line\nbottom"


def test_cue_identifiers_cannot_break_the_timing_line():
    assert to_webvtt([Cue(1, 2, "x", identifier="a --> b")]).splitlines()[2] == "a  b"
