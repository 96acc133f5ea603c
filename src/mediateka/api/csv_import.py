"""Films from a spreadsheet (CSV): one row per film, matched to an existing film by its slug.

Each row goes through the same validation as the API's film writes (editing.save_film), so the
messages are the same. The import is all or nothing: with any error nothing is written, and a dry
run writes nothing either way. Rows are numbered as a spreadsheet numbers them (the header is row 1).
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from pydantic import ValidationError

from mediateka.catalogue.models import Film

from .editing import Refusal, save_film
from .schemas import FilmIn, FilmPatch

LANGUAGES = ("en", "ru", "tg")
TRANSLATED = ("title", "synopsis", "audience", "usage_rights")
PLAIN = (
    "slug",
    "title_is_devised",
    "kind",
    "year",
    "themes",
    "collection",
    "collection_position",
    "project",
    "status",
    "published_at",
)
COLUMNS = {*PLAIN, *(f"{name}_{lang}" for name in TRANSLATED for lang in LANGUAGES)}
TRUE, FALSE = {"1", "yes", "true", "y", "да", "ҳа"}, {"", "0", "no", "false", "n", "нет", "не"}


@dataclass
class Report:
    dry_run: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Skip(Exception):
    pass


def _rows(text: str):
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else ",", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.DictReader(io.StringIO(text), dialect=dialect)


def _payload(row: dict[str, str], number: int, errors: list[str]) -> dict:
    data: dict = {}
    # A blank cell leaves the film's value as it is (a new film takes the default).
    for name in TRANSLATED:
        texts = {lang: (row.get(f"{name}_{lang}") or "").strip() for lang in LANGUAGES}
        texts = {lang: text for lang, text in texts.items() if text}
        if texts:
            data[name] = texts
    for name in PLAIN:
        value = (row.get(name) or "").strip()
        if not value:
            continue
        if name == "title_is_devised":
            if value.lower() not in TRUE | FALSE:
                errors.append(f"Row {number}: title_is_devised: write yes or no, not {value!r}.")
                raise _Skip
            data[name] = value.lower() in TRUE
        elif name == "themes":
            data[name] = [key.strip() for key in value.replace("|", ";").split(";") if key.strip()]
        else:
            data[name] = value
    return data


def import_films(text: str, *, dry_run: bool = False) -> Report:
    report = Report(dry_run=dry_run)
    reader = _rows(text.lstrip("\ufeff"))
    header = [name.strip() for name in (reader.fieldnames or [])]
    unknown = [name for name in header if name not in COLUMNS]
    if "slug" not in header:
        report.errors.append("Row 1: the header has no slug column.")
    report.errors += [f"Row 1: unknown column {name!r}." for name in unknown]
    if report.errors:
        return report
    reader.fieldnames = header
    with transaction.atomic():
        for number, row in enumerate(reader, start=2):
            if None in row:
                report.errors.append(f"Row {number}: more cells than the header has columns.")
                continue
            _import_row(row, number, report)
        if dry_run or report.errors:
            transaction.set_rollback(True)
    return report


def _import_row(row: dict[str, str], number: int, report: Report) -> None:
    errors: list[str] = []
    try:
        data = _payload(row, number, errors)
    except _Skip:
        report.errors += errors
        return
    film = Film.objects.filter(slug=data.get("slug", "")).first()
    try:
        payload = FilmPatch.model_validate(data) if film else FilmIn.model_validate(data)
    except ValidationError as error:
        for problem in error.errors():
            where = ".".join(str(part) for part in problem["loc"])
            report.errors.append(f"Row {number}: {where}: {problem['msg']}.")
        return
    try:
        # A savepoint per row, so that one refused row leaves the others' checks meaningful.
        with transaction.atomic():
            save_film(film or Film(), payload, partial=film is not None)
    except Refusal as refusal:
        for name, messages in refusal.errors.items():
            report.errors += [f"Row {number}: {name}: {message}" for message in messages]
        return
    (report.updated if film else report.created).append(payload.slug)
