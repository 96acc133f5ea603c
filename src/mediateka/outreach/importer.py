"""Screenings from a CSV or XLSX sheet: a KoboToolbox/ODK export of the XLSForm, or the same columns.

Every row goes through the entry form, so an import obeys the same rules as a person typing.
Errors name the sheet's own row number (the header is row 1). A dry run reports and saves nothing;
a real import saves the good rows and lists the bad ones; a Kobo submission already imported
(its `_uuid`) is skipped, so importing the same export again adds nothing.
"""

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from . import places, rollup
from .audience import COUNTS
from .forms import ScreeningForm
from .models import Screening

MAX_ROWS = 5000
# A 5,000-row Kobo export unpacks to about 6 MB. openpyxl reads a sheet that does not state its size
# through to its end before the first row, at some 3 MB a second: the cap bounds that too.
MAX_UNPACKED_BYTES = 25 * 1024 * 1024
TEXT_FIELDS = ["date", "region", "district", "locality", "venue_kind", "films", "facilitator", "notes"]
ID_COLUMNS = ["_uuid", "instanceid"]
DELIMITERS = ",;\t"
BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters no text table holds


class ImportFileError(Exception):
    pass


@dataclass
class RowResult:
    number: int
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: bool = False
    form: ScreeningForm | None = None
    external_id: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.skipped


@dataclass
class ImportResult:
    rows: list[RowResult]
    saved: int = 0
    dry_run: bool = True

    @property
    def good(self) -> list[RowResult]:
        return [r for r in self.rows if r.ok]

    @property
    def bad(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def skipped(self) -> list[RowResult]:
        return [r for r in self.rows if r.skipped]

    @property
    def warned(self) -> list[RowResult]:
        return [r for r in self.rows if r.warnings]


def _column(header) -> str:
    """A Kobo header as a field name: group paths ("audience/women") lose their groups."""
    name = str(header or "").strip()
    if name.startswith("films/"):
        return name  # one 0/1 column per film of a select_multiple
    return name.rsplit("/", 1)[-1].strip().lower()


def read_rows(name: str, content: bytes) -> list[tuple[int, dict]]:
    """(sheet row number, {column: value}) for every non-blank row."""
    lines = _xlsx_lines(content) if name.lower().endswith(".xlsx") else _csv_lines(content)
    try:
        first = next(lines)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    header = [_column(h) for h in first]
    if "district" not in header or "date" not in header:
        raise ImportFileError(_("The first row must name the columns, among them date and district."))
    rows = []
    for number, line in enumerate(lines, start=2):
        if not any(str(v).strip() for v in line if v is not None):
            continue
        if len(rows) == MAX_ROWS:
            # Reading stops at the first row over the limit: a sheet of 100,000 rows is refused in
            # the time it takes to read 5,001, not after holding a web worker for all of them.
            raise ImportFileError(_("At most %(max)s rows can be imported at a time.") % {"max": MAX_ROWS})
        rows.append((number, dict(zip(header, line, strict=False))))
    return rows


def _xlsx_lines(content: bytes) -> Iterator[tuple]:
    not_xlsx = _("This is not a readable XLSX file.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ImportFileError(not_xlsx) from error
    if unpacked > MAX_UNPACKED_BYTES:
        # openpyxl reads the shared strings whole; zipfile stops each part at its stated size.
        raise ImportFileError(
            _("This XLSX file is too large once unpacked: at most %(size)s MB.")
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    # openpyxl raises many kinds of error for a file that is not a workbook, on opening or on reading.
    try:
        # Read-only mode streams the sheet a row at a time instead of loading it whole.
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:
        raise ImportFileError(not_xlsx) from error
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    except Exception as error:
        raise ImportFileError(not_xlsx) from error
    finally:
        book.close()


def _decode(content: bytes) -> str:
    try:
        if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return content.decode("utf-16")  # what Excel's "Unicode text" writes
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return content.decode("cp1251")  # what Excel on a Russian-language Windows writes
    except UnicodeDecodeError as error:
        raise ImportFileError(_("The file could not be read as text: save it as CSV in UTF-8.")) from error


def _csv_lines(content: bytes) -> Iterator[list[str]]:
    text = _decode(content)
    if BINARY.search(text):
        raise ImportFileError(_("This file is not a table: it holds binary data. Choose a CSV or XLSX file."))
    delimiter = max(DELIMITERS, key=lambda d: _width(text, d))  # a tie keeps the comma
    if _width(text, delimiter) == 1 and text.strip():
        raise ImportFileError(
            _("The file has only one column: separate the columns with commas, semicolons or tabs.")
        )
    # Standard CSV (the excel dialect: doubled quotes, quoted line breaks); sniffing guessed wrong.
    reader = csv.reader(io.StringIO(text, newline=""), dialect="excel", delimiter=delimiter)
    done = 0  # rows read whole: an error is in the next one
    try:
        for line in reader:
            yield line
            done += 1
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ImportFileError(
                _("Row %(row)s has a cell longer than %(limit)s characters.")
                % {"row": done + 1, "limit": csv.field_size_limit()}
            ) from error
        raise ImportFileError(
            _("Row %(row)s is not valid CSV (%(problem)s).") % {"row": done + 1, "problem": error}
        ) from error


def _width(text: str, delimiter: str) -> int:
    """How many columns the first row has, cut at this delimiter (0 when it cannot be read)."""
    try:
        return len(next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []))
    except csv.Error:
        return 0


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _text(value)[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", _text(value)) else _text(value)


def _venue(value: str) -> str:
    wanted = value.casefold()
    for key, label in Screening.Venue.choices:
        if wanted in (key, str(label).casefold()):
            return key
    return value


def _form_data(raw: dict) -> tuple[dict, list[str], list[str]]:
    """The form's data, the errors found on the way, and the films' slugs."""
    errors = []
    district_text = _text(raw.get("district"))
    district = places.find_district(district_text)
    if district_text and not district:
        errors.append(_("District “%(name)s” is not in the place list.") % {"name": district_text})
    region_text = _text(raw.get("region"))
    if district and region_text:
        region = places.find_region(region_text)
        if region != places.DISTRICTS[district].region:
            errors.append(
                _("%(district)s is not in the region “%(region)s”.")
                % {"district": places.district_name(district), "region": region_text}
            )
    films = re.split(r"[\s,;]+", _text(raw.get("films")))
    films += [
        column.split("/", 1)[1]
        for column, value in raw.items()
        if column.startswith("films/") and _text(value) == "1"
    ]
    data = {
        "date": _date(raw.get("date")),
        "district": district or district_text,
        "locality": _text(raw.get("locality")),
        "venue_kind": _venue(_text(raw.get("venue_kind"))),
        "facilitator": _text(raw.get("facilitator")),
        "notes": _text(raw.get("notes")),
        **{name: _text(raw.get(name)) or "0" for name in COUNTS},
    }
    return data, errors, sorted({f for f in films if f})


def _external_id(raw: dict) -> str:
    for column in ID_COLUMNS:
        value = _text(raw.get(column)).removeprefix("uuid:")
        if value:
            return value[:64]
    return ""


def check(rows: list[tuple[int, dict]], organisation) -> list[RowResult]:
    known = set(
        Screening.objects.filter(organisation=organisation)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    seen: dict[tuple, int] = {}
    results = []
    for number, raw in rows:
        result = RowResult(number, external_id=_external_id(raw))
        results.append(result)
        if result.external_id and result.external_id in known:
            result.skipped = True
            result.warnings.append(_("Already imported (submission %(id)s).") % {"id": result.external_id})
            continue
        data, errors, films = _form_data(raw)
        form = ScreeningForm(data={**data, "films": films}, organisation=organisation)
        result.form = form
        result.errors.extend(errors)
        if not form.is_valid():
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for message in messages:
                    result.errors.append(f"{label}: {message}" if label else message)
            continue
        if result.errors:
            continue
        if form.duplicates.exists():
            result.warnings.append(
                _("Likely a duplicate: a screening of this film here on this day is recorded.")
            )
        cleaned = form.cleaned_data
        for film in cleaned["films"]:
            key = (cleaned["district"], cleaned["locality"].casefold(), cleaned["date"], film.pk)
            if key in seen:
                result.warnings.append(
                    _("Likely a duplicate of row %(row)s: same place, date and film.") % {"row": seen[key]}
                )
                break
            seen[key] = number
        if result.external_id:
            known.add(result.external_id)
    return results


def run(name: str, content: bytes, organisation, user, *, dry_run: bool) -> ImportResult:
    results = check(read_rows(name, content), organisation)
    result = ImportResult(results, dry_run=dry_run)
    if dry_run:
        return result
    with transaction.atomic(), rollup.deferred():
        for row in result.good:
            screening = row.form.save(commit=False)
            screening.created_by = user
            screening.external_id = row.external_id
            screening.save()
            row.form.save_m2m()
            result.saved += 1
    return result
