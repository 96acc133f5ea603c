"""Films saved for offline viewing: counted in a film's reach as aggregates, never per person.

A count per film, day, spoken language and rung: no address, no cookie, no identifier is kept. The
film page's save code posts one count when a save completes (offline.js); the film page's reach line
shows the total (reports.film_reach).
"""

import json

from django.db import models, transaction
from django.db.models import F
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mediateka.catalogue.models import Film
from mediateka.video.models import Video


class OfflineSave(models.Model):
    film = models.ForeignKey(Film, verbose_name=_("film"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    language = models.CharField(_("spoken language"), max_length=3)
    rung = models.CharField(_("quality"), max_length=12)
    count = models.PositiveIntegerField(_("saves"), default=0)

    class Meta:
        app_label = "outreach"
        verbose_name = _("offline save count")
        verbose_name_plural = _("offline save counts")
        constraints = [
            models.UniqueConstraint(
                fields=["film", "day", "language", "rung"], name="one_save_count_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.film} · {self.day} · {self.language} · {self.rung}: {self.count}"


def count_save(film: Film, language: str, rung: str) -> None:
    from .models import ReachState  # models imports this module

    with transaction.atomic():
        cell, _created = OfflineSave.objects.get_or_create(
            film=film, day=timezone.localdate(), language=language, rung=rung
        )
        OfflineSave.objects.filter(pk=cell.pk).update(count=F("count") + 1)
        ReachState.bump()  # the film page's reach line, cached, shows the new total


def saved_count(film: Film) -> int:
    return OfflineSave.objects.filter(film=film).aggregate(total=models.Sum("count"))["total"] or 0


_FIELDS = ("film", "language", "rung")


def _refused(reason: str) -> HttpResponse:
    return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")


@never_cache
@require_http_methods(["GET", "POST"])
def saved(request):
    """GET: a CSRF token for the POST (the film page is cached for everyone, so it holds none).
    POST {"film": slug, "language": "tg", "rung": "144p"}: one completed save of a public film."""
    if request.method == "GET":
        return JsonResponse({"csrf": get_token(request)})
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _refused("The body is not JSON.")
    if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in _FIELDS):
        return _refused('Expected {"film": "<slug>", "language": "tg", "rung": "144p"}.')
    film = Film.objects.public().filter(slug=body["film"]).first()
    if film is None:
        return _refused("No public film has that slug.")
    plays = Video.objects.playable().filter(
        film=film, language=body["language"], current_encoding__rungs__name=body["rung"]
    )
    if not plays.exists():
        return _refused("The film has no version in that language with that rung.")
    count_save(film, body["language"], body["rung"])
    return HttpResponse(status=204)
