"""The whole catalogue as one JSON document, and back: `mediateka manage export` / `import`.

Records are written with natural keys (slugs, keys, a film's slug and a version's language), never
database ids, so a file imports into any database: a fresh one, or one that already holds some of
the records, which are then updated in place. Every concrete field of every table listed here is
written, so a field added to a model later travels too; a relation to a table not listed here stops
the export with an error instead of being dropped silently.

Media files (originals, encodings, captions) stay in the media storage: the file names them, and a
move to another server copies the media folder or bucket alongside.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import models, transaction
from modeltranslation.translator import NotRegistered, translator

from mediateka.catalogue.models import Collection, Credit, Film, Theme
from mediateka.mission.models import Mission, Office, Organisation, Participation, Project, ThematicArea
from mediateka.video.models import CaptionTrack, Encoding, Rung, Video

FORMAT = "mediateka-catalogue"
VERSION = 1


@dataclass(frozen=True)
class Table:
    name: str
    model: type[models.Model]
    key: tuple[str, ...]  # natural key; an empty key means the one row of a singleton
    m2m: tuple[str, ...] = ()
    deferred: tuple[str, ...] = ()  # relations to a later table, set once every row exists


# In dependency order: a row's relations point only to earlier tables, except `deferred` ones.
TABLES = [
    Table("organisations", Organisation, ("key",)),
    Table("areas", ThematicArea, ("key",)),
    Table("missions", Mission, ()),
    Table("offices", Office, ("mission", "town_en")),
    Table("projects", Project, ("key",)),
    Table("participations", Participation, ("project", "organisation", "role")),
    Table("themes", Theme, ("key",)),
    Table("collections", Collection, ("slug",), m2m=("themes",)),
    Table("films", Film, ("slug",), m2m=("themes",)),
    Table("credits", Credit, ("film", "collection", "organisation", "role", "position")),
    Table("videos", Video, ("film", "language"), deferred=("current_encoding",)),
    Table("encodings", Encoding, ("prefix",)),
    Table("rungs", Rung, ("encoding", "name")),
    Table("captions", CaptionTrack, ("video", "language", "kind")),
]
BY_MODEL = {table.model: table for table in TABLES}


class TransferError(Exception):
    pass


def _translated_originals(model) -> set[str]:
    """modeltranslation's original fields (`title` beside `title_en`...): their value is whichever
    language is active, so only the per-language fields are the record."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def _fields(model) -> list[models.Field]:
    skipped = _translated_originals(model)
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in skipped and not (f.primary_key and isinstance(f, models.AutoField))
    ]


def _frozen(value):
    return tuple(_frozen(v) for v in value) if isinstance(value, list | tuple) else value


def _plain(field: models.Field, value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(field, models.JSONField | models.BooleanField | models.IntegerField | models.FloatField):
        return value
    return str(value) if not isinstance(value, str) else value


# ---------------------------------------------------------------- export


def export_catalogue() -> dict:
    keys: dict[type, dict[int, tuple]] = {}  # model -> pk -> natural key
    tables = {}
    for table in TABLES:
        rows = list(table.model.objects.all().order_by("pk"))
        keys[table.model] = {row.pk: _natural_key(table, row, keys) for row in rows}
        tables[table.name] = rows
    document = {"format": FORMAT, "version": VERSION, "tables": {}}
    for table in TABLES:
        written = [_row(table, row, keys) for row in tables[table.name]]
        written.sort(key=lambda row: json.dumps(row["_key"], ensure_ascii=False))
        document["tables"][table.name] = written
    return document


def _target(field: models.ForeignKey, value, keys) -> list | None:
    if value is None:
        return None
    model = field.related_model
    if model not in keys:
        raise TransferError(
            f"{field.model.__name__}.{field.name} points to {model.__name__}, which is not exported."
        )
    return list(keys[model][value])


def _natural_key(table: Table, row, keys) -> tuple:
    values = []
    for name in table.key:
        field = table.model._meta.get_field(name)
        value = field.value_from_object(row)
        values.append(_frozen(_target(field, value, keys)) if field.is_relation else value)
    return tuple(values)


def _row(table: Table, row, keys) -> dict:
    # "_key" cannot clash with a field: Django field names may not start with an underscore.
    data = {"_key": list(keys[table.model][row.pk])}
    for field in _fields(table.model):
        value = field.value_from_object(row)
        data[field.name] = _target(field, value, keys) if field.is_relation else _plain(field, value)
    for name in table.m2m:
        target = BY_MODEL[table.model._meta.get_field(name).related_model]
        data[name] = sorted(
            list(keys[target.model][pk]) for pk in getattr(row, name).values_list("pk", flat=True)
        )
    return data


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# ---------------------------------------------------------------- import


@transaction.atomic
def import_catalogue(document: dict) -> dict[str, int]:
    """Creates or updates every record of the document; returns rows written per table."""
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise TransferError(f"Not a {FORMAT} version {VERSION} file.")
    ids: dict[type, dict[tuple, int]] = {}  # model -> natural key -> pk in this database
    written: dict[str, int] = {}
    pending = []  # (model, pk, field, target natural key) for deferred relations
    stamps = []  # (model, pk, {auto-now field: value})
    for table in TABLES:
        ids[table.model] = {}
        rows = document["tables"].get(table.name, [])
        for row in rows:
            obj, auto = _apply(table, row, ids, pending)
            ids[table.model][_frozen(row["_key"])] = obj.pk
            if auto:
                stamps.append((table.model, obj.pk, auto))
        written[table.name] = len(rows)
    for model, pk, name, target_key in pending:
        target = model._meta.get_field(name).related_model
        model.objects.filter(pk=pk).update(**{f"{name}_id": _lookup(ids, target, target_key)})
    # auto_now(_add) fields took "now" on save; UPDATE, which skips them, puts the recorded times back.
    for model, pk, values in stamps:
        model.objects.filter(pk=pk).update(**values)
    return written


def _lookup(ids, model, key) -> int | None:
    if key is None:
        return None
    try:
        return ids[model][_frozen(key)]
    except KeyError:
        raise TransferError(f"{model.__name__} {key} is named but not in the file.") from None


def _apply(table: Table, row: dict, ids, pending):
    model = table.model
    values, auto = {}, {}
    for field in _fields(model):
        if field.name not in row:
            continue
        raw = row[field.name]
        if field.is_relation:
            if field.name in table.deferred:
                continue
            values[f"{field.name}_id"] = _lookup(ids, field.related_model, raw)
            continue
        value = field.to_python(raw) if raw is not None else None
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            auto[field.name] = value
        values[field.name] = value
    if table.key:
        match = {}
        for name in table.key:
            field = model._meta.get_field(name)
            match[f"{name}_id" if field.is_relation else name] = values.get(
                f"{name}_id" if field.is_relation else name
            )
        obj = model.objects.filter(**match).first() or model()
    else:
        obj = model.objects.order_by("pk").first() or model()
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    for name in table.m2m:
        target = model._meta.get_field(name).related_model
        getattr(obj, name).set([_lookup(ids, target, key) for key in row.get(name, [])])
    for name in table.deferred:
        pending.append((model, obj.pk, name, row.get(name)))
    return obj, auto
