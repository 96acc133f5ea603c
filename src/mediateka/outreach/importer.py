"""Screenings from a CSV or XLSX sheet: a KoboToolbox/ODK export of the XLSForm, or the same columns.

Every row goes through the entry form, so an import obeys the same rules as a person typing.
Errors name the sheet's own row number (the header is row 1). A dry run reports and saves nothing;
a real import saves the good rows and lists the bad ones; a Kobo submission already imported
(its `_uuid`) is skipped, so importing the same export again adds nothing.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from . import places, rollup
from .forms import ScreeningForm
from .models import COUNTS, Screening

MAX_ROWS = 5000
TEXT_FIELDS = ["date", "region", "district", "locality", "venue_kind", "films", "facilitator", "notes"]
ID_COLUMNS = ["_uuid", "instanceid"]


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
    if name.lower().endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise ImportFileError(_("This is not a readable XLSX file.")) from error
        lines = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1251")  # what Excel on a Russian-language Windows writes
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        lines = list(csv.reader(io.StringIO(text), dialect))
    if not lines:
        raise ImportFileError(_("The file is empty."))
    header = [_column(h) for h in lines[0]]
    if "district" not in header or "date" not in header:
        raise ImportFileError(_("The first row must name the columns, among them date and district."))
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not any(str(v).strip() for v in line if v is not None):
            continue
        rows.append((number, dict(zip(header, line, strict=False))))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("At most %(max)s rows can be imported at a time.") % {"max": MAX_ROWS})
    return rows


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
