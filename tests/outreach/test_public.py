"""Public pages, exports and PDFs give aggregates only: no facilitator, no note, no draft film."""

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from mediateka.outreach import reports
from mediateka.outreach.exports import as_text

from .conftest import make_screening

PRIVATE = ["Zarina Secretova", "Met at the house of the jamoat chairman", "Secret draft"]


@pytest.fixture
def recorded(org_a, catalogue):
    films = catalogue["films"]
    make_screening(org_a, [films["hiv-one"], films["hiv-two"]], facilitator=PRIVATE[0], notes=PRIVATE[1])
    make_screening(org_a, [films["draft"], films["labour-one"]], facilitator=PRIVATE[0], district="khorog")
    return films


def _public_responses(client):
    urls = [
        *(f"/{lang}/reach/?by={by}" for lang in ("en", "ru", "tg") for by in reports.DIMENSIONS),
        "/en/reach/?project=p1",
        "/en/films/hiv-one/",
        "/tg/reach/projects/p1/",
        "/en/reach/projects/p1/report.pdf",
        *(
            f"/en/reach/export.{fmt}?by={by}"
            for fmt in ("csv", "xlsx")
            for by in [*reports.DIMENSIONS, *reports.PROFILES]
        ),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, response


def _text(url, response) -> str:
    if url.endswith(".pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    if ".xlsx" in url:
        sheet = load_workbook(io.BytesIO(response.content)).active
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row)
    return response.content.decode("utf-8-sig")


def test_public_pages_exports_and_pdf_hold_no_personal_field_and_no_draft(client, recorded):
    for url, response in _public_responses(client):
        text = _text(url, response)
        for private in PRIVATE:
            assert private not in text, (url, private)


def test_csv_export_is_the_report_table(client, recorded):
    response = client.get("/en/reach/export.csv?by=film")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="reach-by-film.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Reach by film", "All years · All regions"]
    assert rows[1][:3] == ["Film", "Screenings", "People attending"]
    assert sorted((r[0], r[2]) for r in rows[2:]) == [
        ("Hiv One", "40"),
        ("Hiv Two", "40"),
        ("Labour One", "40"),
    ]


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1+cmd|' /C calc'!A0", "\r=1+1", "\n=1+1"],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(text):
    assert as_text(text) == f"'{text}"


@pytest.mark.parametrize("value", ["Hiv One", "", " =1", "1-2", -3, 0, 2.5])
def test_other_cells_and_every_number_are_kept_as_they_are(value):
    assert as_text(value) == value and type(as_text(value)) is type(value)


INJECTED = ["\t=1+cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/","Open")']


def test_film_titles_that_are_formulas_stay_text_in_the_exports(client, recorded):
    for film, title in zip((recorded["hiv-one"], recorded["hiv-two"]), INJECTED, strict=True):
        film.title = title
        film.save()
    response = client.get("/en/reach/export.csv?by=film")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(row[0] for row in rows[2:] if row[0] != "Labour One") == sorted(f"'{t}" for t in INJECTED)
    sheet = load_workbook(io.BytesIO(client.get("/en/reach/export.xlsx?by=film").content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=3) if row[0].value != "Labour One"]
    # An XLSX cell has a type: the title is kept exactly, typed as text, with no "'" to explain.
    assert sorted((cell.value, cell.data_type) for cell in cells) == sorted((t, "s") for t in INJECTED)


def test_xlsx_export_of_a_profile_in_tajik(client, recorded):
    response = client.get("/tg/reach/export.xlsx?by=sex&region=khatlon")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "Вилояти Хатлон" in rows[0][1]
    assert [row[1] for row in rows[2:]] == [22, 18, 0]


def test_unknown_report_is_not_found(client, db):
    assert client.get("/en/reach/export.csv?by=facilitator").status_code == 404
    assert client.get("/en/reach/export.pdf?by=film").status_code == 404


def test_donor_report_pdf_embeds_its_font_and_renders_tajik(client, recorded, catalogue):
    project = catalogue["projects"]["p1"]
    project.title_tg = "Пешгирии ВНМО дар байни муҳоҷирон ғӯҷ"
    project.save()
    response = client.get("/tg/reach/projects/p1/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Пешгирии ВНМО дар байни муҳоҷирон ғӯҷ" in text
    assert "Hiv One" in text and "Hiv Two" in text
    fonts = [
        font.get_object()
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    ]
    descriptors = [
        f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts if "/DescendantFonts" in f
    ]
    assert descriptors and all("/FontFile2" in d for d in descriptors)  # embedded, not assumed on the reader


def test_donor_report_page_lists_the_projects_films_with_their_reach(client, recorded):
    html = client.get("/en/reach/projects/p1/").content.decode()
    assert "Films made under the project and their reach" in html
    assert '<a href="/en/films/hiv-one/">Hiv One</a>' in html
    assert "/en/reach/projects/p1/report.pdf" in html
    assert client.get("/en/reach/projects/nope/").status_code == 404
