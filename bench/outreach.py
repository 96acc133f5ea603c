"""The reach dashboard at 1,000,000 screenings, on whichever database DATABASE_URL names:

(a) bulk insert of the screenings and the films they showed (rows per second), and a full
    rebuild of the monthly rollup (seconds);
(b) the dashboard page, rendered through Django, cycling through its five reports with and without
    a year and region filter: p50 and p95, target p95 <= 200 ms;
(c) the same report (the totals and the breakdown by film) aggregated in Python from the
    screenings, the way a script over an export does it: p95 and the ratio to (b);
(d) for reference, the same totals straight from the screenings in the database, without the rollup.

Everything is generated into a throwaway test database; nothing touches the configured one.
`python -m bench outreach`; `OUTREACH_BENCH_SCREENINGS=100000` for a quicker run.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

SCREENINGS = int(os.environ.get("OUTREACH_BENCH_SCREENINGS", "1000000"))
REQUESTS = 100
PYTHON_RUNS = 3
BATCH = 50_000
SEED = 1994
COUNT_COLUMNS = [
    "attendees", "women", "men", "age_under_18", "age_18_29", "age_30_44", "age_45_plus",
    "migrants", "returned_migrants", "family_members", "materials",
]  # fmt: skip


def _catalogue(rng: random.Random):
    from mediateka.catalogue.models import Film, Status, Theme
    from mediateka.mission.models import Organisation, Project, ThematicArea

    area = ThematicArea.objects.create(key="bench", name="Bench area")
    projects = [Project.objects.create(key=f"p{i}", title=f"Project {i}", area=area) for i in range(12)]
    themes = [Theme.objects.create(key=f"t{i}", name=f"Theme {i}") for i in range(8)]
    films = []
    for i in range(40):
        film = Film.objects.create(
            slug=f"film-{i}",
            title=f"Film {i}",
            status=Status.PUBLISHED,
            project=rng.choice([None, *projects]),
        )
        film.themes.set(rng.sample(themes, rng.randint(1, 3)))
        films.append(film)
    organisations = [
        Organisation.objects.create(key=f"ngo-{i}", name=f"NGO {i}", kind="ngo") for i in range(20)
    ]
    return films, organisations


def _audience(rng: random.Random) -> list[int]:
    people = rng.randint(5, 300)
    women = rng.randint(0, people)
    men = rng.randint(0, people - women)
    bands = [rng.randint(0, people // 4) for _ in range(4)]
    migration = [rng.randint(0, people // 3) for _ in range(3)]
    return [people, women, men, *bands, *migration, rng.randint(0, people)]


def _insert(films, organisations, rng: random.Random) -> float:
    """Screenings and their films by executemany (SQLite) or COPY (PostgreSQL); rows per second."""
    from mediateka.outreach import places

    districts = list(places.DISTRICTS.values())
    start = datetime.date(2010, 1, 1).toordinal()
    span = datetime.date(2014, 12, 31).toordinal() - start
    now = datetime.datetime.now(datetime.UTC).isoformat()  # text: both databases parse it, cheaply
    columns = [
        "id", "organisation_id", "date", "region", "district", "locality", "venue_kind", "facilitator",
        *COUNT_COLUMNS, "notes", "external_id", "is_sample", "created_at", "updated_at",
    ]  # fmt: skip
    venues = ["community", "school", "workplace", "resource_centre", "health", "festival", "other"]
    began = time.perf_counter()
    rows = 0
    pk = 0
    showing = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for first in range(0, SCREENINGS, BATCH):
            screenings, showings = [], []
            for _ in range(min(BATCH, SCREENINGS - first)):
                pk += 1
                place = rng.choice(districts)
                screenings.append(
                    [
                        pk,
                        rng.choice(organisations).pk,
                        datetime.date.fromordinal(start + rng.randint(0, span)).isoformat(),
                        place.region,
                        place.key,
                        "",
                        rng.choice(venues),
                        "Facilitator",
                        *_audience(rng),
                        "",
                        "",
                        False,
                        now,
                        now,
                    ]
                )
                for film in rng.sample(films, rng.choice([1, 1, 1, 2, 2, 3])):
                    showing += 1
                    showings.append([showing, pk, film.pk])
            _write(cursor, "outreach_screening", columns, screenings)
            _write(cursor, "outreach_screeningfilm", ["id", "screening_id", "film_id"], showings)
            rows += len(screenings) + len(showings)
        if connection.vendor == "postgresql":
            for table in ("outreach_screening", "outreach_screeningfilm"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608 - fixed names
                )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return rows / (time.perf_counter() - began)


def _write(cursor, table: str, columns: list[str], rows: list[list]) -> None:
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _dashboard(client: Client) -> list[float]:
    addresses = []
    for by in ("film", "theme", "project", "region", "month"):
        for query in ("", "&year=2013", "&region=khatlon", "&year=2012&region=sughd"):
            addresses.append(f"/en/reach/?by={by}{query}")
    timings = []
    for index in range(REQUESTS):
        began = time.perf_counter()
        response = client.get(addresses[index % len(addresses)])
        timings.append(time.perf_counter() - began)
        assert response.status_code == 200
    return timings


def _python_report() -> dict:
    """Totals and reach by film, summed in Python from every screening, as a script would."""
    from mediateka.outreach.models import Screening, ScreeningFilm

    counts = {}
    totals = defaultdict(int)
    for row in Screening.objects.values_list("pk", *COUNT_COLUMNS).iterator(chunk_size=20000):
        counts[row[0]] = row[1:]
        totals["screenings"] += 1
        for name, value in zip(COUNT_COLUMNS, row[1:], strict=True):
            totals[name] += value
    by_film = defaultdict(lambda: [0] * (len(COUNT_COLUMNS) + 1))
    for screening, film in ScreeningFilm.objects.values_list("screening_id", "film_id").iterator(
        chunk_size=20000
    ):
        sums = by_film[film]
        sums[0] += 1
        for index, value in enumerate(counts[screening], start=1):
            sums[index] += value
    return {"totals": dict(totals), "by_film": dict(by_film)}


def run(tmp: Path) -> None:
    from mediateka.outreach import reports, rollup
    from mediateka.outreach.models import Screening

    rng = random.Random(SEED)
    films, organisations = _catalogue(rng)
    print(f"database: {connection.vendor}; screenings: {SCREENINGS:,}", flush=True)
    speed = _insert(films, organisations, rng)
    print(f"(a) bulk insert: {speed:,.0f} rows/s (screenings and the films they showed)", flush=True)
    began = time.perf_counter()
    cells = rollup.rebuild()
    print(f"    rollup rebuilt: {cells:,} monthly cells in {time.perf_counter() - began:.1f} s", flush=True)

    client = Client()
    client.get("/en/reach/")  # warm the caches a first request fills (templates, translations)
    timings = _dashboard(client)
    p50, p95 = statistics.median(timings) * 1000, _percentile(timings, 0.95) * 1000
    verdict = "meets" if p95 <= 200 else "MISSES"
    print(
        f"(b) dashboard page, {REQUESTS} requests: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        f"({verdict} p95 <= 200 ms)"
    )

    python_timings = []
    for _ in range(PYTHON_RUNS):
        began = time.perf_counter()
        baseline = _python_report()
        python_timings.append(time.perf_counter() - began)
    python_p95 = _percentile(python_timings, 0.95) * 1000
    figures = reports.totals(reports.Selection())
    assert baseline["totals"]["attendees"] == figures["attendees"], "the rollup and Python disagree"
    print(
        f"(c) same report aggregated in Python, {PYTHON_RUNS} runs: p95 {python_p95:,.0f} ms; "
        f"ratio Python / database {python_p95 / p95:,.0f}x"
    )
    began = time.perf_counter()
    Screening.objects.totals()
    list(Screening.objects.by_region())
    raw = (time.perf_counter() - began) * 1000
    print(f"(d) totals and reach by region straight from the screenings in the database: {raw:,.0f} ms")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="outreach-bench-") as tmp:
        tmp = Path(tmp)
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(tmp / "bench.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            with override_settings(
                STORAGES={
                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
                },
                MEDIA_ROOT=tmp / "media",
                ALLOWED_HOSTS=["testserver"],
            ):
                run(tmp)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
