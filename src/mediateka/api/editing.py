"""Editors' writes through the API, checked exactly as the admin checks them.

The film fields are validated by the model (full_clean) and the caption file by the admin's own
caption form, so a film or caption the admin would refuse is refused here with the same messages.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from mediateka.catalogue.models import Collection, Film, Theme
from mediateka.mission.models import Project
from mediateka.mission.translated import LANGUAGES

TRANSLATED = ("title", "synopsis", "audience", "usage_rights")
SCALARS = ("slug", "title_is_devised", "kind", "year", "collection_position", "status", "published_at")
NOT_NULL = ("slug", "title_is_devised", "status")


class Refusal(Exception):
    """What is wrong with a write, as field -> messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _set_texts(film: Film, field: str, texts) -> None:
    if texts is None:
        return
    for language in LANGUAGES:
        value = getattr(texts, language)
        if value is not None:
            setattr(film, f"{field}_{language}", value)


def _lookup(errors, field, model, key_field, value):
    if value in (None, ""):
        return None
    found = model.objects.filter(**{key_field: value}).first()
    if found is None:
        errors[field] = [f"There is no {model._meta.verbose_name} {value!r}."]
    return found


@transaction.atomic
def save_film(film: Film, data, *, partial: bool) -> Film:
    """Applies `data` (FilmIn or FilmPatch) to `film` and saves it, or raises Refusal."""
    errors: dict[str, list[str]] = {}
    given = data.model_fields_set if partial else set(type(data).model_fields)
    for field in TRANSLATED:
        if field in given:
            _set_texts(film, field, getattr(data, field))
    for field in SCALARS:
        if field not in given:
            continue
        value = getattr(data, field)
        if value is None and field == "kind":
            value = ""
        elif value is None and field in NOT_NULL:
            errors[field] = ["This field may not be null."]
            continue
        setattr(film, field, value)
    if "collection" in given:
        film.collection = _lookup(errors, "collection", Collection, "slug", data.collection)
    if "project" in given:
        film.project = _lookup(errors, "project", Project, "key", data.project)
    themes = None
    if "themes" in given and data.themes is not None:
        themes = list(Theme.objects.filter(key__in=data.themes))
        missing = sorted(set(data.themes) - {t.key for t in themes})
        if missing:
            errors["themes"] = [f"There is no theme {key!r}." for key in missing]
    if not (film.title_en or "").strip():
        errors.setdefault("title", []).append(
            "The English title is required: the catalogue is written in English first."
        )
    try:
        # The translated originals hold whichever language is active; their _en/_ru/_tg fields are checked.
        film.full_clean(exclude=list(TRANSLATED))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise Refusal(errors)
    film.save()
    if themes is not None:
        film.themes.set(themes)
    return film


def edited(film: Film) -> dict:
    def texts(field):
        return {language: getattr(film, f"{field}_{language}") or "" for language in LANGUAGES}

    return {
        "slug": film.slug,
        "status": film.status,
        **{field: texts(field) for field in TRANSLATED},
        "title_is_devised": film.title_is_devised,
        "kind": film.kind,
        "year": film.year,
        "themes": sorted(t.key for t in film.themes.all()),
        "collection": film.collection.slug if film.collection else None,
        "collection_position": film.collection_position,
        "project": film.project.key if film.project else None,
        "published_at": film.published_at,
        "updated_at": film.updated_at,
        "versions": [v.language for v in film.videos.all()],
    }
