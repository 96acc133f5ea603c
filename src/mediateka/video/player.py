"""What the player partial (web/_player.html) and player.js need beyond the versions themselves.

One function for the film page and the embed page, so the two players never drift apart.
"""

from django.utils.translation import gettext

from .data_cost import megabytes
from .rung_design import DOWNLOAD_SHORT_SIDE


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def _track_label(track) -> str:
    if track.kind == "chapters":
        return gettext("Chapters")
    if track.kind == "captions":
        return gettext("%(language)s (with sound descriptions)") % {"language": track.label}
    return track.label


def _rung_order(quality) -> tuple[bool, int]:
    return quality.is_audio_only, quality.height


def _quality_text(quality) -> str:
    """What the chooser says of a rung: its name, and what watching it all costs ("144p · 4.2 MB")."""
    if quality.name == "audio-hq":  # a sound-only film's better rung
        name = gettext("Better sound")
    elif quality.is_audio_only:
        name = gettext("Audio only (saves data)")
    else:
        name = quality.label
    return f"{name} · {megabytes(quality.bytes)}" if quality.bytes else name


def _chapter_track(version):
    return next(
        (t for t in version.tracks if t.kind == "chapters" and t.language == version.chapter_language), None
    )


def player_context(request, versions, language: str) -> dict:
    """`version`, `versions`, `player` and `save_data`, prepared as the film page prepares them."""
    qualities, data = {}, {}
    for version in versions:
        video = version.video
        version.frame = (video.width, video.height) if video.width and video.height else (16, 9)
        # A radio spot: its rungs are all sound, its download an M4A.
        version.is_sound = bool(version.qualities) and all(q.is_audio_only for q in version.qualities)
        short_side = min(video.width or 0, video.height or 0) // 2 * 2
        version.download_height = min(DOWNLOAD_SHORT_SIDE, short_side) if short_side else DOWNLOAD_SHORT_SIDE
        for quality in version.qualities:
            qualities.setdefault(quality.name, quality)
        text_tracks = [t for t in version.tracks if t.kind != "chapters"]
        in_language = [t for t in text_tracks if t.language == language]
        default = next((t for t in in_language if t.kind == "subtitles"), None) or next(
            iter(in_language), None
        )
        version.text_tracks = [(t, _track_label(t), t is default) for t in text_tracks]
        version.chapter_track = _chapter_track(version)
        for chapter in version.chapters:
            chapter.clock = _clock(chapter.start)
        tracks = [
            {"kind": t.kind, "lang": t.language, "label": label, "src": t.url}
            for t, label, _d in version.text_tracks
        ]
        if version.chapter_track:
            chapters = version.chapter_track
            tracks.append(
                {
                    "kind": "chapters",
                    "lang": chapters.language,
                    "label": _track_label(chapters),
                    "src": chapters.url,
                }
            )
        data[version.language] = {
            "master": version.master_url,
            "poster": version.phone_poster_url,
            "stills": version.stills,  # [[width, url]]: player.js takes a wider one for a wider player
            "full": version.poster_url,
            "mp4": version.download_url,
            "small": version.small_url,  # the MP4 under data saver
            "q": {q.name: q.url for q in version.qualities},
            "t": {q.name: _quality_text(q) for q in version.qualities},  # the chooser's text, by version
            "tracks": tracks,
        }
    version = next((v for v in versions if v.language == language), versions[0] if versions else None)
    shown = data[version.language]["t"] if version else {}
    ordered = sorted(qualities.values(), key=_rung_order)
    choices = [(q.name, shown.get(q.name) or _quality_text(q)) for q in ordered]
    return {
        "versions": versions,
        "version": version,
        "player": {"choices": choices, "data": data} if versions else None,
        "save_data": request.headers.get("Save-Data") == "on",
    }
