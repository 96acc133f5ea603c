"""Reach figures equal the sums of the screenings, computed here independently, however recorded."""

import datetime
import io
import random
from collections import defaultdict

import pytest

from mediateka.outreach import places, reports, rollup
from mediateka.outreach.audience import COUNTS
from mediateka.outreach.models import MonthlyReach, Screening

from .conftest import make_screening

DISTRICTS = ["vose", "khujand", "khorog", "rasht", "dushanbe-sino", "kulob"]


@pytest.fixture
def screenings(org_a, org_b, catalogue):
    """Thirty screenings of one to three films each, some showing two films of one project or theme."""
    rng = random.Random(7)
    films = [catalogue["films"][slug] for slug in ("hiv-one", "hiv-two", "labour-one", "no-project")]
    made = []
    with rollup.deferred():  # one refresh of the reach for the lot, as an import does
        _make(made, rng, films, org_a, org_b)
    return made


def _make(made, rng, films, org_a, org_b):
    for index in range(30):
        people = rng.randint(10, 90)
        women = rng.randint(0, people)
        made.append(
            make_screening(
                org_a if index % 2 else org_b,
                rng.sample(films, rng.randint(1, 3)),
                district=rng.choice(DISTRICTS),
                date=datetime.date(rng.choice([2012, 2013]), rng.randint(1, 12), rng.randint(1, 28)),
                attendees=people,
                women=women,
                men=rng.randint(0, people - women),
                age_under_18=rng.randint(0, people // 4),
                age_18_29=rng.randint(0, people // 4),
                age_30_44=0,
                age_45_plus=rng.randint(0, people // 4),
                migrants=rng.randint(0, people // 2),
                returned_migrants=rng.randint(0, people // 4),
                family_members=0,
                materials=rng.randint(0, 100),
                is_sample=index % 5 == 0,
            )
        )


def _expected(screenings, key_of):
    """Sums by key; `key_of` gives each screening's keys (a screening counts once per key)."""
    sums = defaultdict(lambda: defaultdict(int))
    for screening in screenings:
        for key in key_of(screening):
            sums[key]["screenings"] += 1
            for name in COUNTS:
                sums[key][name] += getattr(screening, name)
    return {key: dict(values) for key, values in sums.items()}


def _by_label(report):
    return {row.label: dict(row.values) for row in report.rows if row.values["screenings"]}


def _films(s):
    return list(s.films.all())


def test_totals_equal_the_sum_of_every_screening(screenings):
    figures = reports.totals(reports.Selection())
    expected = _expected(screenings, lambda s: ["all"])["all"]
    for name, value in expected.items():
        assert figures[name] == value, name
    assert figures["sample_screenings"] == sum(s.is_sample for s in screenings)


def test_reach_by_film_theme_project_region_and_month(screenings):
    selection = reports.Selection()
    by_film = _expected(screenings, lambda s: {f.display_title for f in _films(s)})
    by_theme = _expected(screenings, lambda s: {t.name for f in _films(s) for t in f.themes.all()})
    by_project = _expected(screenings, lambda s: {f.project.title for f in _films(s) if f.project})
    by_region = _expected(screenings, lambda s: [places.region_name(s.region)])
    assert _by_label(reports.reach_by("film", selection)) == by_film
    assert _by_label(reports.reach_by("theme", selection)) == by_theme
    assert _by_label(reports.reach_by("project", selection)) == by_project
    assert _by_label(reports.reach_by("region", selection)) == by_region
    months = reports.reach_by("month", selection)
    by_month = _expected(screenings, lambda s: [s.date.replace(day=1)])
    assert {row.key: row.values for row in months.rows if row.values["screenings"]} == by_month
    first, last = min(by_month), max(by_month)
    # Every month from the first to the last, those without screenings as zeros.
    assert len(months.rows) == (last.year - first.year) * 12 + last.month - first.month + 1


def test_a_screening_of_two_films_of_one_project_counts_once_for_the_project(org_a, catalogue):
    films = catalogue["films"]
    make_screening(org_a, [films["hiv-one"], films["hiv-two"]])
    project = reports.reach_by("project", reports.Selection())
    assert [(row.label, row.values["attendees"]) for row in project.rows] == [
        ("HIV prevention among migrants", 40)
    ]
    theme = {
        row.label: row.values["attendees"] for row in reports.reach_by("theme", reports.Selection()).rows
    }
    assert theme == {"Migrants' health": 40, "Women and families": 40}


def test_filters_by_year_region_and_project(screenings, catalogue):
    p1 = catalogue["projects"]["p1"]
    selection = reports.Selection(year=2013, region="khatlon", project=p1)
    chosen = [
        s
        for s in screenings
        if s.date.year == 2013 and s.region == "khatlon" and any(f.project_id == p1.pk for f in _films(s))
    ]
    expected = _expected(chosen, lambda s: ["all"]).get("all", {})
    figures = reports.totals(selection)
    assert figures["attendees"] == expected.get("attendees", 0) and figures["screenings"] == len(chosen)
    films = _by_label(reports.reach_by("film", selection))
    assert set(films) <= {"Hiv One", "Hiv Two"}


def test_rollup_follows_edits_deletions_and_film_changes(screenings, catalogue):
    moved = screenings[3]
    moved.district = "khorog"
    moved.date = datetime.date(2011, 2, 3)
    moved.save()
    screenings[4].films.set([catalogue["films"]["labour-one"]])
    screenings[5].delete()
    film = catalogue["films"]["labour-one"]
    film.project = catalogue["projects"]["p1"]
    film.save()
    catalogue["films"]["no-project"].themes.remove(catalogue["themes"]["women"])
    kept = Screening.objects.all()
    assert _by_label(reports.reach_by("project", reports.Selection())) == _expected(
        kept, lambda s: {f.project.title for f in _films(s) if f.project}
    )
    assert _by_label(reports.reach_by("theme", reports.Selection())) == _expected(
        kept, lambda s: {t.name for f in _films(s) for t in f.themes.all()}
    )
    assert _by_label(reports.reach_by("region", reports.Selection())) == _expected(
        kept, lambda s: [places.region_name(s.region)]
    )
    incremental = sorted(
        MonthlyReach.objects.values_list("month", "region", "film", "theme", "project", "attendees"), key=str
    )
    rollup.rebuild()
    rebuilt = sorted(
        MonthlyReach.objects.values_list("month", "region", "film", "theme", "project", "attendees"), key=str
    )
    assert incremental == rebuilt


def test_film_page_says_how_often_and_to_how_many_the_film_was_shown(client, org_a, catalogue):
    film = catalogue["films"]["hiv-one"]
    assert "No screenings recorded yet." in client.get("/en/films/hiv-one/").content.decode()
    make_screening(org_a, [film], attendees=1500)
    make_screening(org_a, [film], attendees=1620, district="rasht")
    html = client.get("/en/films/hiv-one/").content.decode()
    assert "Shown 2 times to 3,120 people." in html


def test_dashboard_page_shows_the_totals_with_charts_and_tables(client, screenings):
    html = client.get("/en/reach/?by=theme").content.decode()
    total = sum(s.attendees for s in screenings)
    assert f"<dd>{total:,}</dd>" in html
    assert html.count('role="img"') == 4  # the report and the three profiles
    assert html.count("<caption") == 4
    assert "These figures include 6 sample screenings" in html
    for language in ("ru", "tg"):
        assert client.get(f"/{language}/reach/?by=month&year=2013").status_code == 200


def test_bad_filter_values_fall_back_to_everything(client, screenings):
    html = client.get("/en/reach/?by=nope&year=abc&region=atlantis&project=none").content.decode()
    assert "All years · All regions" in html
    assert "Reach by film" in html


def test_rebuild_command_restores_the_reach_after_a_bulk_insert(org_a, catalogue):
    from django.core.management import call_command

    from mediateka.outreach.models import Screening as Model
    from mediateka.outreach.models import ScreeningFilm

    screening = Model.objects.bulk_create(
        [
            Model(
                organisation=org_a,
                date=datetime.date(2013, 1, 5),
                district="vose",
                region="khatlon",
                venue_kind="other",
                attendees=9,
            )
        ]
    )[0]
    ScreeningFilm.objects.create(screening=screening, film=catalogue["films"]["hiv-one"])
    MonthlyReach.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_reach", stdout=out)
    assert "Monthly reach rebuilt" in out.getvalue()
    assert reports.totals(reports.Selection())["attendees"] == 9
