"""Films from a spreadsheet: dry run, all-or-nothing, row-numbered errors."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mediateka.catalogue.models import Film, Theme
from mediateka.transfer.film_csv import import_films

GOOD = (
    "slug,title_en,title_ru,kind,year,themes,status\n"
    "new-one,New one,Новый,psa,2013,health;labour,draft\n"
    "existing,,,documentary,2012,,\n"
)


@pytest.fixture
def themes(db):
    Theme.objects.create(key="health", name_en="Health")
    Theme.objects.create(key="labour", name_en="Labour")


def test_csv_creates_and_updates_films(make_film, themes):
    make_film("existing", kind="psa")
    report = import_films(GOOD)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (["new-one"], ["existing"])
    new = Film.objects.get(slug="new-one")
    assert (new.title_ru, new.kind, new.year) == ("Новый", "psa", 2013)
    assert sorted(new.themes.values_list("key", flat=True)) == ["health", "labour"]
    existing = Film.objects.get(slug="existing")
    # Blank cells of a translated text leave it; the other columns are set.
    assert (existing.title_en, existing.kind, existing.year) == ("Film 1", "documentary", 2012)


def test_dry_run_writes_nothing(make_film, themes):
    make_film("existing")
    report = import_films(GOOD, dry_run=True)
    assert report.ok and report.created == ["new-one"]
    assert not Film.objects.filter(slug="new-one").exists()
    assert Film.objects.get(slug="existing").year == 2013


def test_errors_name_their_spreadsheet_row_and_nothing_is_written(db, themes):
    text = (
        "slug,title_en,year,themes,title_is_devised\n"
        "fine,Fine,2013,health,no\n"
        "bad-year,Bad year,soon,,no\n"
        "bad-theme,Bad theme,2013,nope,no\n"
        "no-title,,2013,,perhaps\n"
        "has spaces,Spaces,2013,,no\n"
    )
    report = import_films(text)
    assert not report.ok
    joined = "\n".join(report.errors)
    assert joined.startswith("Row 3: year")
    assert "Row 4: themes: There is no theme 'nope'." in report.errors
    assert "Row 5: title_is_devised" in joined
    assert "Row 6: slug" in joined
    assert "Row 2" not in joined
    assert not Film.objects.exists()


def test_unknown_columns_are_refused_before_any_row(db):
    report = import_films("slug,title_en,colour\nx,X,red\n")
    assert report.errors == ["Row 1: unknown column 'colour'."]


def test_semicolon_separated_excel_file_with_bom_is_read(db, tmp_path):
    path = tmp_path / "films.csv"
    path.write_bytes("\ufeffslug;title_en;title_tg\nexcel-film;From Excel;Аз Excel\n".encode())
    out = StringIO()
    call_command("import_films_csv", str(path), "--dry-run", stdout=out)
    assert "would create 1" in out.getvalue()
    call_command("import_films_csv", str(path), stdout=StringIO())
    assert Film.objects.get(slug="excel-film").title_tg == "Аз Excel"


def test_command_fails_on_errors(db, tmp_path):
    path = tmp_path / "films.csv"
    path.write_text("slug,title_en,year\nx,X,later\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_films_csv", str(path), stdout=StringIO(), stderr=StringIO())


def test_doubled_quotes_are_one_quote_and_a_quoted_formula_stays_one_cell(make_film):
    make_film("existing")
    text = (
        "slug,title_en,synopsis_en,year\n"
        '"existing","He said ""hi"" there","=HYPERLINK(""https://example.org/a,b"",""site"")",2012\n'
    )
    report = import_films(text)
    assert report.ok, report.errors
    film = Film.objects.get(slug="existing")
    assert film.title_en == 'He said "hi" there'
    assert film.synopsis_en == '=HYPERLINK("https://example.org/a,b","site")'
    assert film.year == 2012


def test_a_cell_over_the_csv_limit_is_refused_naming_its_row(db, tmp_path):
    path = tmp_path / "films.csv"
    path.write_text("slug,title_en,synopsis_en\nfine,Fine,Short\nhuge,Huge," + "x" * 20_000_000 + "\n")
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_films_csv", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue() == "Row 3: a cell is longer than 131072 characters.\n"
    assert not Film.objects.exists()


def test_two_rows_with_one_slug_are_refused_naming_both(db):
    report = import_films("slug,title_en\ntwice,First\nonce,Once\ntwice,Second\n")
    assert report.errors == ["Row 4: the slug 'twice' is also on row 2; a film may be on one row only."]
    assert not Film.objects.exists()


def test_badly_quoted_csv_is_refused_naming_its_row(db):
    report = import_films('slug,title_en\nok,Fine\nbad,"Quoted"then more\n')
    assert report.errors == ["Row 3: this is not well-formed CSV (',' expected after '\"')."]
