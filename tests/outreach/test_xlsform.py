"""The XLSForm for KoboToolbox / ODK: valid for pyxform, and its fields are the import's columns."""

import io
import shutil

from openpyxl import load_workbook
from pyxform.xls2xform import convert

from mediateka.outreach import importer, places, xlsform
from mediateka.outreach.audience import COUNTS


def _sheet(book, name):
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_xlsform_converts_with_pyxform(catalogue):
    warnings = []
    # ODK Validate (Java, shipped with pyxform) runs where Java is installed; pyxform's own checks always.
    result = convert(
        xlsform=xlsform.build(), warnings=warnings, file_type=".xlsx", validate=bool(shutil.which("java"))
    )
    assert not warnings, warnings
    assert 'lang="Tajik (tg)"' in result.xform and "Вилояти Хатлон" in result.xform
    assert "<district/>" in result.xform and "<women/>" in result.xform


def test_xlsform_fields_are_what_the_import_reads(catalogue):
    book = load_workbook(io.BytesIO(xlsform.build()))
    names = {row["name"] for row in _sheet(book, "survey")} - {"start", "end", "audience", None}
    assert names == set(importer.TEXT_FIELDS) | set(COUNTS)
    choices = _sheet(book, "choices")
    films = {row["name"] for row in choices if row["list_name"] == "film"}
    assert films == {"hiv-one", "hiv-two", "labour-one", "no-project"}  # not the draft
    districts = [row for row in choices if row["list_name"] == "district"]
    assert len(districts) == len(places.DISTRICTS)
    assert all(row["region"] in places.REGIONS for row in districts)


def test_xlsform_constraints_mirror_the_rules(catalogue):
    survey = {row["name"]: row for row in _sheet(load_workbook(io.BytesIO(xlsform.build())), "survey")}
    assert survey["date"]["constraint"] == ". <= today()"
    assert survey["men"]["constraint"] == ". >= 0 and ${women} + . <= ${attendees}"
    assert "${age_30_44} + . <= ${attendees}" in survey["age_45_plus"]["constraint"]
    assert survey["district"]["choice_filter"] == "region=${region}"


def test_officer_downloads_the_xlsform(client, officer_a, catalogue):
    client.force_login(officer_a)
    response = client.get("/en/outreach/mediateka-screening.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mediateka_screening.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["survey", "choices", "settings"]


def test_a_film_title_that_looks_like_a_formula_is_a_label_in_the_xlsform(catalogue):
    film = catalogue["films"]["hiv-one"]
    film.title = '=HYPERLINK("http://evil.example/","Open")'
    film.save()
    sheet = load_workbook(io.BytesIO(xlsform.build()))["choices"]
    cells = [row[2] for row in sheet.iter_rows() if row[1].value == "hiv-one"]
    assert [(cell.value, cell.data_type) for cell in cells] == [(film.title, "s")]
