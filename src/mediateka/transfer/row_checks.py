"""The checks of one imported row beyond the model's own full_clean: JSON types, natural keys,
stored paths and translations (used by catalogue_json's import)."""

import json
import math
import re
import reprlib

from django.db import models
from modeltranslation import settings as mt_settings
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from mediateka.video.models import CaptionTrack, Encoding, Rung, Video

# Stored paths must have the shape the storage gives them. A caption or an original lies alone in a
# random folder (captions/<folder>/en-subtitles.vtt, originals/<folder>/source.mp4); media are served
# and signed by that folder, so it belongs to one record. An encoding's files are names inside its
# own prefix (master.m3u8, 360p/index.m3u8).
_FOLDER = r"[A-Za-z0-9_-]+"
_NAME = r"[A-Za-z0-9_-][A-Za-z0-9_.-]*"  # no slash, no "..", nothing hidden
ENCODING_PREFIX = re.compile(r"[A-Za-z0-9_-]{1,40}")
INSIDE_PREFIX = re.compile(rf"{_NAME}(/{_NAME})*")
OWN_FOLDER = {
    CaptionTrack: ("file", "captions", "caption track"),
    Video: ("original", "originals", "version"),
}
MAX_KEY_DEPTH = 4  # a caption's key holds its version's, which holds its film's
INSIDE = {Encoding: ("master_playlist", "poster", "thumbnail", "download"), Rung: ("playlist",)}


def is_key(value, depth: int = 0) -> bool:
    """A natural key as the export writes it: a list of strings, numbers, nulls and the keys of other rows."""
    return (
        isinstance(value, list)
        and depth < MAX_KEY_DEPTH
        and all(
            is_key(part, depth + 1)
            if isinstance(part, list)
            else part is None or isinstance(part, str | int | float)
            for part in value
        )
    )


def json_name(value) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {reprlib.repr(value)}"
    return json.dumps(value)[:40]


def type_problem(field: models.Field, value) -> str | None:
    """JSON gives each field one type; any other (a list for a title) is refused, not str()-ed."""
    if value is None or isinstance(field, models.JSONField):
        return None  # null-ness is full_clean()'s to judge
    if isinstance(field, models.BooleanField):
        expected, ok = "true or false", isinstance(value, bool)
    elif isinstance(field, models.IntegerField):
        expected, ok = "a whole number", isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(field, models.FloatField):
        expected = "a number"
        ok = (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and math.isfinite(value)
        )
    else:
        expected, ok = "a string", isinstance(value, str)
        if ok and "\x00" in value:
            return "a NUL character is not allowed."
    return None if ok else f"expected {expected}, not {json_name(value)}."


def stored_path_problems(obj, owner: int | None, *, linked: bool) -> list[str]:
    """Paths are refused unless shaped as the storage makes them and belonging to this record alone.
    Whose a path is can only be told once the row's links are known (`linked`)."""
    model = type(obj)
    problems = []
    if model in OWN_FOLDER:
        name, top, noun = OWN_FOLDER[model]
        value = getattr(obj, name)
        match = re.fullmatch(rf"{top}/({_FOLDER})/{_NAME}", value) if value else None
        if value and match is None:
            problems.append(
                f"{name}: {reprlib.repr(value)} is not a path the storage makes ({top}/<folder>/<file>)."
            )
        if linked and match:
            folder = f"{top}/{match[1]}/"
            if model.objects.filter(**{f"{name}__startswith": folder}).exclude(pk=obj.pk).exists():
                problems.append(f"{name}: {folder} holds the file of another {noun}.")
    if model is Encoding:
        if not ENCODING_PREFIX.fullmatch(obj.prefix or ""):
            problems.append(
                f"prefix: {reprlib.repr(obj.prefix)} is not an encoding prefix (letters, digits, - and _)."
            )
        if linked and owner is not None and owner != obj.video_id:
            problems.append("video: this encoding belongs to another version.")
    for name in INSIDE.get(model, ()):
        value = getattr(obj, name)
        if value and not INSIDE_PREFIX.fullmatch(value):
            problems.append(f"{name}: {reprlib.repr(value)} is not a file name inside the encoding's folder.")
    return problems


def missing_translations(obj) -> list[str]:
    """modeltranslation leaves every language's field optional; where the original is required, the
    admin requires the default language's, and so does the import."""
    problems = []
    for name in sorted(translated_originals(type(obj))):
        if type(obj)._meta.get_field(name).blank:
            continue
        localized = build_localized_fieldname(name, mt_settings.DEFAULT_LANGUAGE)
        if not (getattr(obj, localized) or "").strip():
            problems.append(f"{localized}: {type(obj)._meta.get_field(localized).error_messages['blank']}")
    return problems


def translated_originals(model) -> set[str]:
    """modeltranslation's original fields (`title` beside `title_en`...): their value is whichever
    language is active, so only the per-language fields are the record."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()
