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
import reprlib
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction

from mediateka.catalogue.models import Collection, Credit, Film, Theme
from mediateka.mission.models import Mission, Office, Organisation, Participation, Project, ThematicArea
from mediateka.video.models import CaptionTrack, Encoding, Rung, Video

from . import row_checks

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
    """The file is refused: `problems` says why, one line per row and field."""

    def __init__(self, problems: str | list[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def _fields(model) -> list[models.Field]:
    skipped = row_checks.translated_originals(model)
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


def import_catalogue(document) -> dict[str, int]:
    """Creates or updates every record of the document; returns rows written per table.

    Each row is checked as the admin checks it: its JSON types, its links, its stored paths, then the
    model's full_clean(). Rows are written in one transaction as they pass, so that the checks of
    later rows see the earlier ones; any problem anywhere rolls the whole transaction back, so a
    refused file leaves the database exactly as it was. The search index follows on commit.
    """
    tables = _tables(document)
    run = _Import()
    with transaction.atomic():
        for table in TABLES:
            rows = tables.get(table.name, [])
            for number, row in enumerate(rows, start=1):
                run.add(table, number, row)
            run.written[table.name] = len(rows)
        run.link_deferred()
        if run.problems:
            raise TransferError(run.problems)  # leaving the block rolls every written row back
        # auto_now(_add) fields took "now" on save; UPDATE, which skips them, puts the recorded times back.
        for model, pk, values in run.stamps:
            model.objects.filter(pk=pk).update(**values)
    return run.written


def _tables(document) -> dict:
    if (
        not isinstance(document, dict)
        or document.get("format") != FORMAT
        or document.get("version") != VERSION
    ):
        raise TransferError(f"Not a {FORMAT} version {VERSION} file.")
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise TransferError("tables: expected an object with one list of rows per table.")
    known = {table.name for table in TABLES}
    problems = [f"tables: unknown table {reprlib.repr(name)}." for name in tables if name not in known]
    problems += [
        f"{name}: expected a list of rows, not {row_checks.json_name(rows)}."
        for name, rows in tables.items()
        if name in known and not isinstance(rows, list)
    ]
    if problems:
        raise TransferError(problems)
    return tables


class _Import:
    """One import under way: the rows written so far, by natural key, and what is wrong."""

    def __init__(self):
        # model -> natural key -> (row number, pk, or None while unwritten or refused)
        self.seen: dict[type, dict[tuple, tuple[int, int | None]]] = {table.model: {} for table in TABLES}
        self.problems: list[str] = []
        self.written: dict[str, int] = {}
        self.pending: list[tuple[str, type, int, str, object]] = []  # deferred relations
        self.stamps: list[tuple[type, int, dict]] = []

    def add(self, table: Table, number: int, row) -> None:
        named = [
            f"{name} {reprlib.repr(row[name])}" for name in table.key if isinstance(row, dict) and name in row
        ]
        where = f"{table.name} row {number}" + (f" ({', '.join(named)})" if named else "")
        try:
            # A savepoint per row: on PostgreSQL an error the checks did not foresee would otherwise
            # abort the transaction, and every later row's checks with it.
            with transaction.atomic():
                problems = self._write(table, number, row, where)
        except (DatabaseError, OverflowError) as error:
            problems = [f"the database refused it: {error}"]
        self.problems += [f"{where}: {problem}" for problem in problems]

    def _write(self, table: Table, number: int, row, where: str) -> list[str]:
        """Checks one row and, when it passes, writes it; returns what is wrong with it."""
        if not isinstance(row, dict):
            return [f"expected an object, not {row_checks.json_name(row)}."]
        model = table.model
        fields = {field.name: field for field in _fields(model)}
        unknown = [
            f"unknown field {reprlib.repr(name)}."
            for name in row
            if name not in {"_key", *fields, *table.m2m}
        ]
        key = row.get("_key")
        if not row_checks.is_key(key) or len(key) != len(table.key):
            named = ", ".join(table.key) or "empty for this table"
            return [*unknown, f"_key: expected the record's natural key ({named})."]
        key = _frozen(key)
        if key in self.seen[model]:
            return [*unknown, f"_key: the same record as row {self.seen[model][key][0]}."]
        self.seen[model][key] = (number, None)

        problems: list[str] = []
        blocked: set[str] = set()  # links to rows refused above: this row is checked, not written
        values, m2m = self._values(table, fields, row, problems, blocked)
        if not problems and key != tuple(_frozen(row.get(name)) for name in table.key):
            problems.append(f"_key: does not match the row's own {', '.join(table.key)}.")
        if problems:
            return unknown + problems

        obj = self._record(table, values)
        owner = obj.video_id if isinstance(obj, Encoding) and obj.pk else None
        for attname, value in values.items():
            setattr(obj, attname, value)
        problems = (
            unknown
            + row_checks.stored_path_problems(obj, owner, linked=not blocked)
            + row_checks.missing_translations(obj)
        )
        try:
            # The translated originals hold whichever language is active; _en/_ru/_tg are the record.
            obj.full_clean(exclude=[*row_checks.translated_originals(model), *table.deferred, *blocked])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                problems += [
                    message if name == NON_FIELD_ERRORS else f"{name}: {message}" for message in messages
                ]
        if problems or blocked:
            return problems
        obj.save()
        for name, pks in m2m.items():
            getattr(obj, name).set(pks)
        self.seen[model][key] = (number, obj.pk)
        auto = {
            name
            for name, field in fields.items()
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        }
        if auto & values.keys():
            self.stamps.append((model, obj.pk, {name: values[name] for name in auto & values.keys()}))
        self.pending += [(where, model, obj.pk, name, row[name]) for name in table.deferred if name in row]
        return []

    def _values(self, table: Table, fields: dict, row: dict, problems: list[str], blocked: set[str]):
        """The row's values, each checked for its JSON type first (attname -> value), and its
        many-to-many links (name -> pks)."""
        values, m2m = {}, {}
        for name, field in fields.items():
            if name not in row or name in table.deferred:
                continue
            raw = row[name]
            if field.is_relation:
                values[field.attname] = self._pk_of(field.related_model, raw, name, problems, blocked)
                continue
            problem = row_checks.type_problem(field, raw)
            if problem:
                problems.append(f"{name}: {problem}")
                continue
            try:
                # Validated here, not only by full_clean(): the value may be part of the key looked up.
                values[name] = field.to_python(raw)
                field.run_validators(values[name])
            except ValidationError as error:
                problems += [f"{name}: {message}" for message in error.messages]
        for name in table.m2m:
            raw = row.get(name, [])
            if not isinstance(raw, list):
                problems.append(f"{name}: expected a list of keys, not {row_checks.json_name(raw)}.")
                continue
            related = table.model._meta.get_field(name).related_model
            m2m[name] = [self._pk_of(related, item, name, problems, blocked) for item in raw]
        return values, m2m

    @staticmethod
    def _record(table: Table, values: dict):
        """The record with the row's natural key, to update in place, or a new one."""
        model = table.model
        if not table.key:
            return model.objects.order_by("pk").first() or model()  # the one row of a singleton
        attnames = [model._meta.get_field(name).attname for name in table.key]
        return (
            model.objects.filter(**{attname: values.get(attname) for attname in attnames}).first() or model()
        )

    def _pk_of(self, model, raw, name: str, problems: list[str], blocked: set[str]) -> int | None:
        """The pk of the row of this file that `raw` names; None with a problem when it names none,
        or with `name` in `blocked` when that row is refused (its own problems are reported)."""
        if raw is None:
            return None
        if not row_checks.is_key(raw):
            found = row_checks.json_name(raw)
            problems.append(f"{name}: expected the key of a row of {BY_MODEL[model].name}, not {found}.")
            return None
        number, pk = self.seen[model].get(_frozen(raw), (None, None))
        if number is None:
            problems.append(f"{name}: {model.__name__} {reprlib.repr(raw)} is named but not in the file.")
        elif pk is None:
            blocked.add(name)
        return pk

    def link_deferred(self) -> None:
        for where, model, pk, name, raw in self.pending:
            problems: list[str] = []
            field = model._meta.get_field(name)
            target = self._pk_of(field.related_model, raw, name, problems, blocked=set())
            # The one deferred relation is a version's current encoding: it must be one of its own.
            if target is not None and not field.related_model.objects.filter(pk=target, video_id=pk).exists():
                problems.append(f"{name}: {reprlib.repr(raw)} is not an encoding of this version.")
            if not problems:
                try:
                    with transaction.atomic():
                        model.objects.filter(pk=pk).update(**{field.attname: target})
                except DatabaseError as error:
                    problems.append(f"{name}: the database refused it: {error}")
            self.problems += [f"{where}: {problem}" for problem in problems]
