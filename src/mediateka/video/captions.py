"""Caption and chapter files: read what uploaders have (SRT or WebVTT, in whatever encoding their
editor saved), refuse what players would choke on, and write clean UTF-8 WebVTT.

Chapters use the same format; whether a file is captions or chapters is the caller's business.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

MAX_MESSAGES = 20
# A caption may run a little past the last frame: encoders round the duration, editors round the cue.
DURATION_TOLERANCE = 0.5

UNDECODABLE = "The file is not text in UTF-8, UTF-16 or Windows-1251; save it as UTF-8."
EMPTY = "The file is empty."
NO_CUES = "The file has no cues."
MALFORMED_TIMESTAMP = "Line {line}: malformed timestamp '{text}'."
EXPECTED_TIMING = "Line {line}: expected a timing line such as '{example}', found '{text}'."
END_NOT_AFTER_START = "Line {line}: the cue ends at {end}, not after its start at {start}."
OUT_OF_ORDER = "Line {line}: the cue starts at {start}, before the previous cue at {previous}."
AFTER_VIDEO_END = "Line {line}: the cue ends at {end}, after the end of the video at {duration}."
MORE_PROBLEMS = "… and {count} more problems."


class CaptionError(Exception):
    """A refusal; `messages` are shown to the uploader, one per fault, with line numbers."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    text: str
    identifier: str = ""
    settings: str = ""  # WebVTT cue settings, e.g. "line:0 align:start"


# ---------------------------------------------------------------- decoding


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_caption_bytes(data: bytes) -> str:
    """The text of a caption file, from UTF-8 (with or without BOM), UTF-16 or Windows-1251."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decode(data, utf16)
    try:
        return _decode(data, "utf-8")
    except CaptionError:
        pass
    if _looks_like_cp1251(data):
        return _decode(data, "cp1251")
    raise CaptionError([UNDECODABLE])


def _decode(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CaptionError([UNDECODABLE]) from exc
    if "\x00" in text:
        raise CaptionError([UNDECODABLE])
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows itself by NUL bytes on one side of the timestamps' ASCII digits.

    Cyrillic and Tajik letters have 0x04 as their high byte, but the digits, colons, arrows and
    newlines of the timing lines still give the NUL pattern.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    pairs = len(data) // 2
    nul_even = data[0::2].count(0)
    nul_odd = data[1::2].count(0)
    if nul_odd >= pairs * 0.3 and nul_even <= pairs * 0.02:
        return "utf-16-le"
    if nul_even >= pairs * 0.3 and nul_odd <= pairs * 0.02:
        return "utf-16-be"
    return None


def _looks_like_cp1251(data: bytes) -> bool:
    """Non-ASCII bytes are Cyrillic letters in Windows-1251 (0xC0–0xFF, Ё 0xA8, ё 0xB8), in runs.

    Latin-1 accents fall in the same byte range, but one at a time between ASCII letters ("déjà"),
    while a Cyrillic word is all high bytes. Windows-1251 has no ғ ӣ қ ӯ ҳ ҷ, so Tajik text in it was
    typed with Russian look-alikes; it is still Windows-1251 and is read as it is.
    """
    high = [i for i, b in enumerate(data) if b >= 0x80]
    if not high:
        return False
    letters = {i for i in high if data[i] >= 0xC0 or data[i] in (0xA8, 0xB8)}
    in_runs = sum(1 for i in letters if i - 1 in letters or i + 1 in letters)
    return len(letters) >= 0.8 * len(high) and in_runs >= 0.6 * len(letters)


# ---------------------------------------------------------------- parsing

_VTT_TIME = re.compile(r"^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$")
# SRT proper is HH:MM:SS,mmm; a dot instead of the comma is common enough, and every player takes it.
_SRT_TIME = re.compile(r"^(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{3})$")
_TIMING = re.compile(r"^\s*(\S+)\s*-->\s*(\S+)(?:\s+(.*?))?\s*$")
_VTT_SETTING = re.compile(r"^(vertical|line|position|size|align|region):\S+$")
_SRT_EXAMPLE = "00:00:01,000 --> 00:00:04,000"
_VTT_EXAMPLE = "00:00:01.000 --> 00:00:04.000"


@dataclass
class _Block:
    first_line: int  # 1-based
    lines: list[str]


class _Problems:
    def __init__(self):
        self.found: list[tuple[int, str]] = []

    def add(self, line: int, template: str, **fields) -> None:
        self.found.append((line, template.format(line=line, **fields)))

    def raise_if_any(self) -> None:
        if not self.found:
            return
        # Timing checks run after parsing; the uploader reads the file top to bottom.
        messages = [message for _, message in sorted(self.found, key=lambda found: found[0])]
        extra = len(messages) - MAX_MESSAGES
        tail = [MORE_PROBLEMS.format(count=extra)] if extra > 0 else []
        raise CaptionError(messages[:MAX_MESSAGES] + tail)


def parse_captions(text: str, *, duration: float | None = None) -> list[Cue]:
    """Cues from SRT or WebVTT text (told apart by the WEBVTT header), checked against the video."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise CaptionError([EMPTY])
    lines = text.split("\n")
    is_vtt = re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]) is not None
    blocks = _blocks(lines)
    problems = _Problems()
    cues = _vtt_cues(blocks, problems) if is_vtt else _srt_cues(blocks, problems)
    _check_times(cues, duration, problems)
    problems.raise_if_any()
    if not cues:
        raise CaptionError([NO_CUES])
    return [cue for cue, _ in cues]


def _blocks(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            current = None
            continue
        if current is None:
            current = _Block(number, [])
            blocks.append(current)
        current.lines.append(line.rstrip())
    return blocks


def _vtt_cues(blocks: list[_Block], problems: _Problems) -> list[tuple[Cue, int]]:
    cues: list[tuple[Cue, int]] = []
    header, *rest = blocks
    if any("-->" in line for line in header.lines[1:]):
        # A cue written straight under the header line, without the blank line WebVTT wants.
        rest.insert(0, _Block(header.first_line + 1, header.lines[1:]))
    for block in rest:
        first = block.lines[0]
        if re.match(r"^(NOTE|STYLE|REGION)(?:\s|$)", first):
            continue
        if "-->" in first:
            identifier, timing_at = "", 0
        elif len(block.lines) > 1 and "-->" in block.lines[1]:
            identifier, timing_at = first.strip(), 1
        else:
            found = _quote(first)
            problems.add(block.first_line, EXPECTED_TIMING, example=_VTT_EXAMPLE, text=found)
            continue
        cue = _cue(block, timing_at, identifier, _VTT_TIME, problems)
        if cue is not None:
            cues.append(cue)
    return cues


def _srt_cues(blocks: list[_Block], problems: _Problems) -> list[tuple[Cue, int]]:
    cues: list[tuple[Cue, int]] = []
    for block in blocks:
        first = block.lines[0].strip()
        if "-->" in first:
            identifier, timing_at = "", 0
        elif first.isdigit():
            identifier, timing_at = first, 1
            if len(block.lines) < 2 or "-->" not in block.lines[1]:
                found = block.lines[1] if len(block.lines) > 1 else ""
                line = block.first_line + 1
                problems.add(line, EXPECTED_TIMING, example=_SRT_EXAMPLE, text=_quote(found))
                continue
        elif cues:
            # A blank line inside a caption's text splits it in two blocks; the text still belongs to it.
            cue, line = cues[-1]
            joined = "\n".join(filter(None, [cue.text, *block.lines]))
            cues[-1] = (Cue(cue.start, cue.end, joined, cue.identifier, cue.settings), line)
            continue
        else:
            found = _quote(first)
            problems.add(block.first_line, EXPECTED_TIMING, example=_SRT_EXAMPLE, text=found)
            continue
        cue = _cue(block, timing_at, identifier, _SRT_TIME, problems)
        if cue is not None:
            cues.append(cue)
    return cues


def _cue(
    block: _Block, timing_at: int, identifier: str, time_pattern: re.Pattern, problems: _Problems
) -> tuple[Cue, int] | None:
    line_number = block.first_line + timing_at
    timing_line = block.lines[timing_at]
    match = _TIMING.match(timing_line)
    start = _seconds(match.group(1), time_pattern) if match else None
    end = _seconds(match.group(2), time_pattern) if match else None
    if start is None or end is None:
        problems.add(line_number, MALFORMED_TIMESTAMP, text=timing_line.strip())
        return None
    settings = ""
    if time_pattern is _VTT_TIME and match.group(3):
        # Unknown settings are dropped rather than refused: players ignore them anyway.
        settings = " ".join(s for s in match.group(3).split() if _VTT_SETTING.match(s))
    text = "\n".join(block.lines[timing_at + 1 :])
    return Cue(start, end, text, identifier, settings), line_number


def _seconds(stamp: str, pattern: re.Pattern) -> float | None:
    match = pattern.match(stamp)
    if match is None:
        return None
    hours, minutes, seconds, millis = (int(g) if g else 0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def _check_times(cues: list[tuple[Cue, int]], duration: float | None, problems: _Problems) -> None:
    previous: Cue | None = None
    for cue, line in cues:
        start, end = _stamp(cue.start), _stamp(cue.end)
        if cue.end <= cue.start:
            problems.add(line, END_NOT_AFTER_START, end=end, start=start)
        if previous is not None and cue.start < previous.start:
            problems.add(line, OUT_OF_ORDER, start=start, previous=_stamp(previous.start))
        if duration is not None and cue.end > duration + DURATION_TOLERANCE:
            problems.add(line, AFTER_VIDEO_END, end=end, duration=_stamp(duration))
        previous = cue


def _quote(line: str, limit: int = 60) -> str:
    line = line.strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


# ---------------------------------------------------------------- writing


def _stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def to_webvtt(cues: list[Cue]) -> str:
    """UTF-8 WebVTT text; cue text keeps WebVTT's own markup and loses any other HTML."""
    parts = ["WEBVTT", ""]
    for cue in cues:
        identifier = cue.identifier.replace("-->", "").strip()
        if identifier:
            parts.append(identifier)
        timing = f"{_stamp(cue.start)} --> {_stamp(cue.end)}"
        parts.append(f"{timing} {cue.settings}".rstrip())
        text = clean_cue_text(cue.text)
        if text:
            parts.append(text)
        parts.append("")
    return "\n".join(parts) + "\n"


_DROPPED_ELEMENTS = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_UNCLOSED_ELEMENT = re.compile(r"<(script|style)\b[^>]*$", re.IGNORECASE)
# "a < b" and "x<2 and y>3" are text: a tag starts with a name, a slash or a timestamp digit.
_TAG = re.compile(r"<(/?[A-Za-z][^<>]*|\d[\d:.]*)>")
_CUE_TIMESTAMP = re.compile(r"^(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}$")
_WEBVTT_TAGS = frozenset({"b", "i", "u", "v", "c", "lang", "ruby", "rt"})
_OPEN_TAG = re.compile(r"^([A-Za-z]+)((?:\.[\w-]+)*)(?:[ \t]+([^<>]*))?$")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#[xX][0-9A-Fa-f]+);")
_ASS_OVERRIDE = re.compile(r"\{\\[^}]*\}")  # {\an8} and the like, left in SRT files by subtitle editors


def clean_cue_text(text: str) -> str:
    text = _DROPPED_ELEMENTS.sub("", text)
    text = _UNCLOSED_ELEMENT.sub("", text)
    text = _ASS_OVERRIDE.sub("", text)
    out: list[str] = []
    position = 0
    for match in _TAG.finditer(text):
        out.append(_escape(text[position : match.start()]))
        out.append(_keep_tag(match.group(1)))
        position = match.end()
    out.append(_escape(text[position:]))
    # A blank line would end the cue early in WebVTT.
    lines = [line.rstrip() for line in "".join(out).split("\n")]
    return "\n".join(line for line in lines if line.strip())


def _keep_tag(inner: str) -> str:
    if _CUE_TIMESTAMP.match(inner):
        return f"<{inner}>"
    if inner.startswith("/"):
        name = inner[1:].strip().lower()
        return f"</{name}>" if name in _WEBVTT_TAGS else ""
    match = _OPEN_TAG.match(inner.strip())
    if match is None:
        return ""
    name = match.group(1).lower()
    if name == "br":
        return "\n"
    if name not in _WEBVTT_TAGS:
        return ""
    annotation = match.group(3) if name in ("v", "lang") and match.group(3) else ""
    return f"<{name}{match.group(2)}{' ' + _escape(annotation.strip()) if annotation else ''}>"


def _escape(text: str) -> str:
    pieces = []
    position = 0
    for match in _ENTITY.finditer(text):
        pieces.append(_escape_plain(text[position : match.start()]))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(_escape_plain(text[position:]))
    return "".join(pieces)


def _escape_plain(text: str) -> str:
    # "-->" may not appear in cue text; "<" and "&" only as markup.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("-->", "--&gt;")
