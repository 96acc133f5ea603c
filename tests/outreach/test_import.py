"""Import of a KoboToolbox export (XLSX) and of a CSV: dry run, row-numbered errors, no double import."""

import datetime
import io

import pytest
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from mediateka.outreach import importer
from mediateka.outreach.importer import ImportFileError, read_rows
from mediateka.outreach.importer import run as run_import
from mediateka.outreach.models import MonthlyReach, Screening

# The headers a Kobo "XML values and headers" export gives the XLSForm: groups as paths, metadata.
KOBO_HEADER = [
    "start", "end", "date", "region", "district", "locality", "venue_kind", "films", "films/hiv-one",
    "films/labour-one", "facilitator", "audience/attendees", "audience/women", "audience/men",
    "audience/age_under_18", "audience/age_18_29", "audience/age_30_44", "audience/age_45_plus",
    "audience/migrants", "audience/returned_migrants", "audience/family_members", "materials", "notes",
    "_id", "_uuid", "_submission_time", "_index",
]  # fmt: skip


def _kobo_row(uuid, date, district, films, attendees=50, women=20, men=25, region="khatlon", **extra):
    values = {
        "start": "2013-05-14T10:00:00.000+05:00",
        "date": date,
        "region": region,
        "district": district,
        "locality": "Jamoat Guliston",
        "venue_kind": "community",
        "films": films,
        "films/hiv-one": int("hiv-one" in films),
        "films/labour-one": int("labour-one" in films),
        "facilitator": "Sample Person",
        "audience/attendees": attendees,
        "audience/women": women,
        "audience/men": men,
        "audience/age_under_18": 5,
        "audience/age_18_29": 20,
        "audience/age_30_44": 15,
        "audience/age_45_plus": 10,
        "audience/migrants": 10,
        "audience/returned_migrants": 5,
        "audience/family_members": 20,
        "materials": 40,
        "_uuid": uuid,
        **extra,
    }
    return [values.get(column) for column in KOBO_HEADER]


def _workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Mediateka screening report"
    sheet.append(KOBO_HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def kobo_export(catalogue):
    return _workbook(
        [
            _kobo_row("u-1", datetime.datetime(2013, 5, 14), "vose", "hiv-one"),  # row 2: good, a date cell
            _kobo_row(
                "u-2", "2013-06-02", "Qurghonteppa", "hiv-one labour-one", region="Khatlon"
            ),  # 3: old name
            _kobo_row("u-3", "2013-06-03", "vose", "hiv-one", women=40, men=30),  # 4: sexes above total
            _kobo_row("u-4", "2099-01-01", "vose", "hiv-one"),  # 5: future
            _kobo_row("u-5", "2013-06-05", "Atlantis", "hiv-one"),  # 6: unknown district
            _kobo_row("u-6", "2013-06-06", "khorog", "hiv-one", region="sughd"),  # 7: district not in region
            _kobo_row("u-7", "2013-06-07", "rasht", "no-such-film"),  # 8: unknown film
            [None] * len(KOBO_HEADER),  # 9: blank, skipped
            _kobo_row("u-8", "2013-05-14", "vose", "hiv-one", attendees=-3, women=0, men=0),  # 10: negative
            _kobo_row(
                "u-9", "2013-07-01", "khujand", "", region="sughd", **{"films/labour-one": 1}
            ),  # 11: good, 0/1 columns
        ]
    )


def test_dry_run_reports_row_numbered_errors_and_saves_nothing(org_a, officer_a, kobo_export):
    result = run_import("export.xlsx", kobo_export, org_a, officer_a, dry_run=True)
    assert [row.number for row in result.good] == [2, 3, 11]
    errors = {row.number: " ".join(row.errors) for row in result.bad}
    assert set(errors) == {4, 5, 6, 7, 8, 10}
    assert "Women and men together (70) are more than the people attending (50)" in errors[4]
    assert "The date is in the future" in errors[5]
    assert "“Atlantis” is not in the place list" in errors[6]
    assert "Khorog is not in the region “sughd”" in errors[7]
    assert "no-such-film" in errors[8]
    assert "A count cannot be negative." in errors[10]
    assert not Screening.objects.exists() and not MonthlyReach.objects.exists()


def test_import_saves_the_good_rows_and_counts_them_in_the_reach(org_a, officer_a, catalogue, kobo_export):
    result = run_import("export.xlsx", kobo_export, org_a, officer_a, dry_run=False)
    assert result.saved == 3
    saved = Screening.objects.order_by("date")
    assert [s.district for s in saved] == ["vose", "bokhtar", "khujand"]
    assert [s.external_id for s in saved] == ["u-1", "u-2", "u-9"]
    assert {s.organisation for s in saved} == {org_a} and {s.created_by for s in saved} == {officer_a}
    assert list(saved[1].films.order_by("slug").values_list("slug", flat=True)) == ["hiv-one", "labour-one"]
    assert list(saved[2].films.values_list("slug", flat=True)) == ["labour-one"]
    assert MonthlyReach.objects.overall().totals()["attendees"] == 150


def test_importing_the_same_export_again_adds_nothing(org_a, officer_a, kobo_export):
    run_import("export.xlsx", kobo_export, org_a, officer_a, dry_run=False)
    again = run_import("export.xlsx", kobo_export, org_a, officer_a, dry_run=False)
    assert again.saved == 0
    assert [row.number for row in again.skipped] == [2, 3, 11]
    assert Screening.objects.count() == 3


def test_rows_repeating_a_screening_get_a_warning_but_are_imported(org_a, officer_a, catalogue):
    content = _workbook(
        [_kobo_row(None, "2013-05-14", "vose", "hiv-one"), _kobo_row(None, "2013-05-14", "vose", "hiv-one")]
    )
    result = run_import("export.xlsx", content, org_a, officer_a, dry_run=False)
    assert result.saved == 2
    assert result.rows[1].warnings == ["Likely a duplicate of row 2: same place, date and film."]


def test_csv_with_semicolons_and_russian_names_imports(org_a, officer_a, catalogue):
    content = (
        "date;district;venue_kind;films;attendees;women;men\n"
        "2013-04-01;Куляб;School or university;hiv-one;30;10;20\n"
        "2013-04-02;Хоруғ;festival;hiv-two;12;;\n"
    ).encode("utf-8-sig")
    result = run_import("sheet.csv", content, org_a, officer_a, dry_run=False)
    assert result.saved == 2, [r.errors for r in result.rows]
    assert sorted(Screening.objects.values_list("district", "venue_kind")) == [
        ("khorog", "festival"),
        ("kulob", "school"),
    ]


def test_a_file_without_the_columns_is_refused(org_a, officer_a, db):
    with pytest.raises(ImportFileError):
        read_rows("x.csv", b"name,age\nA,3\n")
    with pytest.raises(ImportFileError):
        read_rows("x.xlsx", b"not a workbook")


def test_import_page_shows_the_dry_run_by_row(client, officer_a, kobo_export):
    client.force_login(officer_a)
    upload = io.BytesIO(kobo_export)
    upload.name = "kobo.xlsx"
    html = client.post("/en/outreach/import/", {"file": upload, "dry_run": "on"}).content.decode()
    assert "Check of the file: nothing was saved" in html
    assert '<th scope="row">4</th>' in html
    assert not Screening.objects.exists()


def test_a_utf16_csv_as_excel_writes_it_imports(org_a, officer_a, catalogue):
    content = "date\tdistrict\tvenue_kind\tfilms\tattendees\n2013-04-01\tКуляб\tschool\thiv-one\t30\n".encode(
        "utf-16"
    )
    result = run_import("unicode.csv", content, org_a, officer_a, dry_run=False)
    assert result.saved == 1, [r.errors for r in result.rows]
    assert Screening.objects.get().district == "kulob"


def test_doubled_quotes_in_a_csv_cell_are_one_quote(org_a, officer_a, catalogue):
    content = (
        b"date,district,venue_kind,films,notes\n"
        b'2013-04-01,vose,school,hiv-one,"The ""Mehrubon"" club, Vose"\n'
    )
    result = run_import("notes.csv", content, org_a, officer_a, dry_run=False)
    assert result.saved == 1, [r.errors for r in result.rows]
    assert Screening.objects.get().notes == 'The "Mehrubon" club, Vose'


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("one.csv", b"date\n2013-04-01\n", "The file has only one column"),
        ("utf16.csv", "name;age\nA;3\n".encode("utf-16"), "The first row must name the columns"),
        ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "This file is not a table: it holds binary data."),
        (
            "big.csv",
            b"date,district,notes\n2013-04-01,vose," + b"x" * 9_000_000 + b"\n",
            "Row 2 has a cell longer",
        ),
    ],
    ids=["one-column", "utf-16-not-ours", "binary", "9-mb-cell"],
)
def test_the_import_page_refuses_what_is_not_a_table_with_a_message(
    client, officer_a, name, content, message
):
    client.force_login(officer_a)
    upload = io.BytesIO(content)
    upload.name = name
    response = client.post("/en/outreach/import/", {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Screening.objects.exists()


def test_reading_a_sheet_stops_one_row_past_the_limit(org_a, officer_a, db, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 10)
    read = []
    real = ReadOnlyWorksheet._get_row
    monkeypatch.setattr(ReadOnlyWorksheet, "_get_row", lambda *a, **k: read.append(1) or real(*a, **k))
    content = _workbook([_kobo_row(f"u-{n}", "2013-05-14", "vose", "hiv-one") for n in range(500)])
    with pytest.raises(ImportFileError, match=r"At most 10 rows can be imported at a time\."):
        read_rows("big.xlsx", content)
    assert len(read) == 12  # the header, ten rows, and the one over the limit
