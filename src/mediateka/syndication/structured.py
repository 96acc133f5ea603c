"""A film page's description for search engines and social sites: schema.org VideoObject (JSON-LD),
Open Graph and Twitter card properties, and the oEmbed discovery address.

Built from what the film page already fetched (the film and its playable versions), so it costs no
query. Nothing is described for a film the public cannot see (a draft's or archived film's preview).
"""

import json
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from mediateka.mission.translated import shown
from mediateka.video.ladder import POSTER_SHORT_SIDE

OG_LOCALES = {"en": "en_GB", "ru": "ru_RU", "tg": "tg_TJ"}
# Characters that could end the <script> element or start a comment inside it.
_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def iso_duration(seconds: float | None) -> str | None:
    """ISO 8601 duration, as schema.org wants it: 75.4 -> 'PT1M15S'."""
    if not seconds or seconds <= 0:
        return None
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = "".join(f"{value}{unit}" for value, unit in ((hours, "H"), (minutes, "M"), (secs, "S")) if value)
    return f"PT{parts or '0S'}"


def json_for_script(data) -> str:
    """JSON that is safe inside <script type="application/ld+json">, whatever the user text holds."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE))  # noqa: S308 - escaped above


def poster_size(video) -> tuple[int, int]:
    """The poster's size as the ladder makes it: short side POSTER_SHORT_SIDE at most, even numbers
    (a radio spot's picture, which has no frame of its own, is 16:9)."""
    if not (video.width and video.height):
        return POSTER_SHORT_SIDE * 16 // 9, POSTER_SHORT_SIDE
    scale = min(POSTER_SHORT_SIDE, video.width, video.height) / min(video.width, video.height)
    return round(video.width * scale / 2) * 2, round(video.height * scale / 2) * 2


def film_meta(request, film, versions, version) -> dict | None:
    if film is None or not film.is_public:
        return None
    language = (get_language() or "en")[:2]

    def absolute(path):
        return request.build_absolute_uri(path)

    title = shown(film, "title", language).text
    name = f"[{title}]" if film.title_is_devised else title
    description = shown(film, "synopsis", language).text
    page = absolute(film.get_absolute_url())
    meta = {
        "name": name,
        "description": description,
        "url": page,
        "locale": OG_LOCALES.get(language, language),
        "site_name": gettext("Mediateka"),
        "oembed": absolute(reverse("oembed")) + "?" + urlencode({"url": page, "format": "json"}),
        "video": None,
        "json_ld": None,
    }
    if version is None:
        return meta
    embed = absolute(reverse("embed", args=[film.slug]))
    video = version.video
    thumbnail = absolute(version.poster_url)
    # A radio spot is described as sound (og:audio, an AudioObject), so that a messenger's preview
    # does not offer a picture to play that is only its waveform.
    is_sound = getattr(version, "is_sound", False)
    media_type = "audio/mp4" if is_sound else "video/mp4"
    meta["video"] = {
        "poster": thumbnail,
        "poster_size": poster_size(video),
        "mp4": absolute(version.download_url),
        "type": media_type,
        "is_sound": is_sound,
        "embed": embed,
        "width": video.width or 640,
        "height": video.height or 360,
    }
    captions = [
        {
            "@type": "MediaObject",
            "contentUrl": absolute(track.url),
            "encodingFormat": "text/vtt",
            "inLanguage": track.language,
        }
        for track in version.tracks
        if track.kind != "chapters"
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "AudioObject" if is_sound else "VideoObject",
        "@id": page + "#video",
        "url": page,
        "name": name,
        "description": description or name,
        "thumbnailUrl": [thumbnail],
        "uploadDate": (film.published_at or film.created_at).isoformat(),
        "duration": iso_duration(version.duration),
        "contentUrl": absolute(version.download_url),
        "embedUrl": embed,
        "encodingFormat": media_type,
        "inLanguage": version.language,
        "caption": captions,
        "isFamilyFriendly": True,
    }
    if film.year:
        data["dateCreated"] = str(film.year)
    if video.width and video.height and not is_sound:
        data["width"], data["height"] = video.width, video.height
    meta["json_ld"] = json_for_script({k: v for k, v in data.items() if v not in (None, [], "")})
    return meta
