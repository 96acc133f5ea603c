"""Films that travel without a connection: the web app manifest, the service worker, the offline page
and the question the offline page asks when it is online (which saved films are still public).

What is saved, and how, is the browser's work (static/web/js/offline.js, the service worker below):
the server only describes the site, serves the worker from the root so its scope is the whole site,
and answers for the films. See docs/offline.md.
"""

import hashlib
import json
import re

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from mediateka.catalogue.models import Film
from mediateka.ops.page_cache import public_page
from mediateka.video.data_cost import megabytes
from mediateka.video.offline_sizes import offline_sizes

# What the offline page needs besides itself, kept by the worker when it is installed. hls.js plays
# the saved films in browsers without native HLS.
SHELL_ASSETS = (
    "web/css/site.css",
    "web/js/suggest.js",
    "web/js/offline.js",
    "web/vendor/hls.js/hls.light.min.js",
)
# More saved films than a phone holds; the question stays one short GET.
MOST_FILMS_ASKED = 200
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")


def offline_texts() -> dict[str, str]:
    """What the save and offline scripts say, in the page's language; %(name)s is filled in there."""
    return {
        "mb": _("%s MB"),  # Django's own msgid, translated in its catalogues (as video.data_cost)
        "progress": _("Saving: %(done)s of %(total)s (%(percent)s%%)"),
        "complete": _("Saved for offline viewing: %(total)s."),
        "partial": _("Partly saved: %(done)s of %(total)s. It continues from where it stopped."),
        "quota": _(
            "Not enough space on this device: the film needs %(needed)s and the browser has %(free)s free."
        ),
        "failed": _("The save stopped: the connection was lost. Press Resume when you are online."),
        "refused": _(
            "The save stopped: the site did not send a file of the film (error %(status)s). "
            "Reload the page and try again."
        ),
        "unsupported": _("This browser cannot save films for offline viewing."),
        "resume": _("Resume"),
        "remove": _("Remove"),
        "play": _("Play"),
        "removed": _("Removed from this device."),
        "empty": _("No films are saved on this device yet."),
        "statusComplete": _("Complete"),
        "statusPartial": _("Partly saved"),
        "gone": _("No longer published: removed from this device."),
    }


@require_safe
@cache_control(max_age=86400)
def manifest(request):
    """The web app manifest, in the address's language: what a phone shows when the site is installed."""
    language = get_language()
    icon = static("web/icons/icon-192.png")
    return JsonResponse(
        {
            "name": _("Mediateka: films on safe migration"),
            "short_name": _("Mediateka"),
            "description": _("Films on safe labour migration, human trafficking and migrants' health."),
            "lang": language,
            "dir": "ltr",
            "start_url": reverse("web:home"),
            "scope": "/",
            "id": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b4f8a",
            "icons": [
                {"src": icon, "sizes": "192x192", "type": "image/png"},
                {"src": static("web/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("web/icons/maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def service_worker(request):
    """The worker, from the site's root so that it may answer for every page and media address.
    Browsers check it for updates at each navigation under its scope; no-cache keeps that cheap."""
    shells = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            shells.append(reverse("web:offline"))
    assets = [static(name) for name in SHELL_ASSETS]
    # A new deploy renames the static files (their hash): a new worker, a fresh shell cache.
    version = hashlib.sha256(json.dumps([shells, assets]).encode()).hexdigest()[:12]
    response = render(
        request,
        "web/sw.js",
        {"version": version, "shells_json": json.dumps(shells), "assets_json": json.dumps(assets)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@public_page()
def offline_page(request):
    """The saved films' page: a shell the script fills from the browser's own storage."""
    return render(request, "web/offline.html", {"texts": offline_texts()})


@never_cache
@require_safe
def still_public(request):
    """`?film=<slug>&film=...`: of the films asked about, those still public. Nothing is said of the
    others, so a draft's slug learns nothing more than a missing one."""
    slugs = request.GET.getlist("film")
    if not slugs or len(slugs) > MOST_FILMS_ASKED or not all(_SLUG.match(s) for s in slugs):
        return HttpResponseBadRequest(
            f"Ask with ?film=<slug>, one to {MOST_FILMS_ASKED} times.", content_type="text/plain"
        )
    public = Film.objects.public().filter(slug__in=slugs).values_list("slug", flat=True)
    return JsonResponse({"public": sorted(public)})


# The rungs offered for saving: what a phone on prepaid data would keep; the larger ones are for streaming.
SAVED_HEIGHTS = (144, 240, 360)


def offline_choices(versions) -> dict | None:
    """The film page's "Save for offline" chooser: for each version, its rungs with their sizes."""
    if not versions:
        return None
    sizes = offline_sizes(versions)
    choices = []
    for version in versions:
        options = []
        for quality in version.qualities:  # the pictures smallest first, then the sound
            if not (quality.name == "audio" or quality.height in SAVED_HEIGHTS):
                continue
            size = sizes[version.language].get(quality.name, 0)
            name = _("Audio only") if quality.is_audio_only else quality.name
            options.append((quality.name, name, f"{name} · {megabytes(size)}", size))
        if options:
            choices.append((version, options))
    return {"choices": choices, "texts": offline_texts()} if choices else None
