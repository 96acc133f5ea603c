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

from mediateka.api.editing import Refusal, save_film
from mediateka.api.schemas import FilmIn, FilmPatch
from mediateka.catalogue.models import Film
from mediateka.mission.translated import LANGUAGES

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
DELIMITERS = ",;\t"
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


class _Unreadable(Exception):
    pass


def _reader(text: str):
    """Standard CSV (RFC 4180: the csv module's excel dialect, with doubled quotes and quoted line
    breaks), separated by whichever of comma, semicolon or tab makes the header name most of our
    columns: Excel writes semicolons where the decimal mark is a comma. Sniffing the header line's
    punctuation instead guessed the quoting too, and mangled the doubled quotes of the rows below."""

    def columns_named(delimiter: str) -> int:
        try:
            header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error:
            return 0
        return sum(name.strip() in COLUMNS for name in header)

    delimiter = max(DELIMITERS, key=columns_named)  # a tie keeps the comma
    return csv.reader(io.StringIO(text, newline=""), dialect="excel", delimiter=delimiter, strict=True)


def _read(text: str) -> list[tuple[int, list[str]]]:
    """(row number, cells) of every row, the header first; the whole file is read before anything is
    checked, so that a malformed row far down refuses the file before any row is written."""
    rows = []
    number = 0
    try:
        for number, cells in enumerate(_reader(text), start=1):
            rows.append((number, cells))
    except csv.Error as error:
        # The csv module's limit (128 KiB a cell by default) is far above any text a film has.
        if "field larger than field limit" in str(error):
            problem = f"a cell is longer than {csv.field_size_limit()} characters."
        else:
            problem = f"this is not well-formed CSV ({error})."
        raise _Unreadable(f"Row {number + 1}: {problem}") from error
    return rows


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
    try:
        rows = _read(text.lstrip("\ufeff"))
    except _Unreadable as problem:
        report.errors.append(str(problem))
        return report
    header = [name.strip() for name in rows[0][1]] if rows else []
    unknown = [name for name in header if name not in COLUMNS]
    if "slug" not in header:
        report.errors.append("Row 1: the header has no slug column.")
    report.errors += [f"Row 1: unknown column {name!r}." for name in unknown]
    if report.errors:
        return report
    records = []
    first_row_of: dict[str, int] = {}
    for number, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            report.errors.append(f"Row {number}: more cells than the header has columns.")
            continue
        row = dict(zip(header, cells, strict=False))
        slug = (row.get("slug") or "").strip()
        if slug in first_row_of:
            report.errors.append(
                f"Row {number}: the slug {slug!r} is also on row {first_row_of[slug]}; "
                "a film may be on one row only."
            )
            continue
        if slug:
            first_row_of[slug] = number
        records.append((number, row))
    if report.errors:
        return report
    with transaction.atomic():
        for number, row in records:
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
