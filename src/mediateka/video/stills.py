"""The pictures of a film beside its title: a card's small picture and the film page's poster.

The ladder makes small copies of the poster (ladder.STILL_WIDTHS, listed in Encoding.stills) under the
encoding's prefix, so they are served, signed and exposed by the same rules as the poster: a draft's
are reachable only through a signed address. An encoding made before stills existed has none; its
thumbnail (320 px wide) and poster stand in.
"""

from dataclasses import dataclass

from .access import url_for
from .ladder import THUMBNAIL_WIDTH
from .models import Encoding, Video

CARD_WIDTH = 160  # what a card shows, in CSS pixels at most; a sharper screen takes the next still
PHONE_WIDTH = 360  # a phone's screen width: the film page's poster before the player is measured


@dataclass(frozen=True)
class Picture:
    src: str
    width: int
    height: int
    srcset: str = ""  # "url 160w, url 360w"; empty when there is one size only


def _frame(video: Video, width: int) -> tuple[int, int]:
    """(width, height) of a picture `width` wide with the version's shape (16:9 when unknown)."""
    if video.width and video.height:
        return width, max(2, round(width * video.height / video.width / 2) * 2)
    return width, width * 9 // 16


def card_picture(video: Video, *, public: bool) -> Picture:
    """The narrowest still for the card, with the wider ones for sharper screens; the thumbnail
    (THUMBNAIL_WIDTH wide, or the source's width if less) stands in for a missing wider one."""
    encoding = video.current_encoding
    sizes = [(w, h, url_for(encoding.still_path(w), public=public)) for w, h in encoding.still_sizes]
    thumbnail_width = min(THUMBNAIL_WIDTH, video.width or THUMBNAIL_WIDTH)
    if not sizes or sizes[-1][0] < thumbnail_width:
        thumbnail = url_for(encoding.path(encoding.thumbnail), public=public)
        sizes.append((*_frame(video, thumbnail_width), thumbnail))
    width, height, src = next((size for size in sizes if size[0] >= CARD_WIDTH), sizes[-1])
    srcset = ", ".join(f"{url} {w}w" for w, _h, url in sizes) if len(sizes) > 1 else ""
    return Picture(src, width, height, srcset)


def poster_choices(encoding: Encoding, *, public: bool) -> tuple[str, list[tuple[int, str]], str]:
    """For the film page: the poster a phone gets, every still by width, and the full poster.

    The phone's is the narrowest still at least PHONE_WIDTH wide, else the widest (a small source makes
    a small poster), else the full poster (an encoding made before stills). player.js swaps in a wider
    one where the player is wider.
    """
    full = url_for(encoding.path(encoding.poster), public=public)
    stills = [(w, url_for(encoding.still_path(w), public=public)) for w, _h in encoding.still_sizes]
    phone = next((url for w, url in stills if w >= PHONE_WIDTH), stills[-1][1] if stills else full)
    return phone, stills, full


def pictures_for(films, language: str) -> dict[int, Picture]:
    """The card picture of each film that has a version that plays: the version in `language` if
    there is one, else the first. One query for the lot."""
    films = list(films)
    public = {film.pk: film.is_public for film in films}
    videos = (
        Video.objects.playable()
        .filter(film__in=list(public))
        .select_related("current_encoding")
        .order_by("film", "language")
    )
    chosen: dict[int, Video] = {}
    for video in videos:
        if video.film_id not in chosen or video.language == language:
            chosen[video.film_id] = video
    return {pk: card_picture(video, public=public[pk]) for pk, video in chosen.items()}
