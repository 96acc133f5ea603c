from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext

from mediateka.catalogue.credit_line import project_credit_line
from mediateka.catalogue.models import Collection, Film
from mediateka.mission.translated import shown
from mediateka.video.ladder import DOWNLOAD_SHORT_SIDE
from mediateka.video.playback import _chapters, versions_of

from ..forms import FilmFilterForm

FILMS_PER_PAGE = 12


def film_list(request):
    form = FilmFilterForm(request.GET or None)
    films = form.filter(Film.objects.listed().for_listing())
    page = Paginator(films, FILMS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/film_list.html", {"form": form, "page": page, "query": query.urlencode()})


def film_detail(request, slug):
    film = get_object_or_404(
        Film.objects.visible_to(request.user)
        .select_related("collection", "project__area")
        .prefetch_related("themes", "credits__organisation", "project__participations__organisation"),
        slug=slug,
    )
    versions = versions_of(film)
    version = next(
        (v for v in versions if v.language == request.LANGUAGE_CODE), versions[0] if versions else None
    )
    response = render(
        request,
        "web/film_detail.html",
        {
            "film": film,
            "synopsis": shown(film, "synopsis"),
            "credit_line": project_credit_line(film.project),
            "preview": not film.is_public,
            "versions": versions,
            "version": version,
            "player": _player(versions, request.LANGUAGE_CODE) if versions else None,
            "save_data": request.headers.get("Save-Data") == "on",
        },
    )
    patch_vary_headers(response, ["Save-Data"])
    return response


def _clock(seconds: float) -> str:
    """A chapter's start as a viewer reads it: 1:05, or 1:02:05 past the hour."""
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
    height = quality.name.removesuffix("p")
    return quality.is_audio_only, int(height) if height.isdigit() else 0


def _chapter_track(version, page_language: str):
    """The chapters in the page's language when there are several, else English, else the first."""
    tracks = [t for t in version.tracks if t.kind == "chapters"]
    if not tracks:
        return None
    for language in (page_language, "en"):
        chosen = next((t for t in tracks if t.language == language), None)
        if chosen:
            break
    chosen = chosen or tracks[0]
    if len(tracks) > 1:  # versions_of() read one of them; read the chosen one
        model = next(
            c for c in version.video.captions.all() if c.kind == "chapters" and c.language == chosen.language
        )
        version.chapters = _chapters(model)
    return chosen


def _player(versions, page_language: str) -> dict:
    """What the player template and player.js need beyond the versions themselves.

    Each version gets `text_tracks` (track, label, is_default), `chapter_track`, `frame`,
    `download_height` and its chapters a `clock`; `data` is the JSON player.js swaps versions and rungs with.
    """
    qualities = {}
    data = {}
    for version in versions:
        video = version.video
        # The page reserves the picture's box before anything loads; width and height are as displayed.
        version.frame = (video.width, video.height) if video.width and video.height else (16, 9)
        short_side = min(video.width or 0, video.height or 0) // 2 * 2
        version.download_height = min(DOWNLOAD_SHORT_SIDE, short_side) if short_side else DOWNLOAD_SHORT_SIDE
        for quality in version.qualities:
            qualities.setdefault(quality.name, quality)
        text_tracks = [t for t in version.tracks if t.kind != "chapters"]
        in_page_language = [t for t in text_tracks if t.language == page_language]
        default = next((t for t in in_page_language if t.kind == "subtitles"), None) or next(
            iter(in_page_language), None
        )
        version.text_tracks = [(t, _track_label(t), t is default) for t in text_tracks]
        version.chapter_track = _chapter_track(version, page_language)
        for chapter in version.chapters:
            chapter.clock = _clock(chapter.start)
        tracks = [
            {"kind": t.kind, "lang": t.language, "label": label, "src": t.url, "default": is_default}
            for t, label, is_default in version.text_tracks
        ]
        if version.chapter_track:
            chapters = version.chapter_track
            tracks.append(
                {
                    "kind": "chapters",
                    "lang": chapters.language,
                    "label": _track_label(chapters),
                    "src": chapters.url,
                    "default": False,
                }
            )
        data[version.language] = {
            "master": version.master_url,
            "poster": version.poster_url,
            "mp4": version.download_url,
            "q": {q.name: q.url for q in version.qualities},
            "tracks": tracks,
        }
    return {"qualities": sorted(qualities.values(), key=_rung_order), "data": data}


def collection_detail(request, slug):
    collection = get_object_or_404(
        Collection.objects.prefetch_related("credits__organisation", "project__participations__organisation"),
        slug=slug,
    )
    is_staff_preview = request.user.is_staff and request.user.has_perm("catalogue.view_collection")
    if collection.status != "published" and not is_staff_preview:
        raise Http404
    films = collection.films.listed().for_listing().order_by("collection_position", "title")
    return render(
        request,
        "web/collection_detail.html",
        {
            "collection": collection,
            "description": shown(collection, "description"),
            "credit_line": project_credit_line(collection.project),
            "films": films,
            "preview": collection.status != "published",
        },
    )
