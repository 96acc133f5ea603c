"""Sample screenings and broadcasts for the demo, so the reach pages show something on first run.

Every record is flagged `is_sample` and the pages say so. They follow the uses the mission's
reports describe (shared/seed/mission-facts.md): the HIV documentary shown by partner NGOs to
migrants and their families, a series of community meetings in remote districts, screenings at
universities and workplaces, a film festival in Dushanbe, broadcasts on national TV. The places,
dates and head counts are made up, from a fixed seed so that every demo looks the same.
"""

import datetime
import random

from django.db import transaction

from mediateka.catalogue.models import Film
from mediateka.mission.models import Organisation

from . import rollup
from .models import Broadcast, Screening, ScreeningFilm

NOTE = "Sample record made by the demo; not a real screening."
# (venue, districts, films by slug, how many, audience range, year)
PLAN = [
    (
        "community",
        ["rasht", "lakhsh", "sangvor", "tojikobod", "nurobod", "fayzobod", "darvoz", "vanj"],
        ["tver-migrant-hiv"],
        8,
        (35, 70),
        2013,
    ),
    (
        "health",
        ["vose", "kulob", "danghara", "farkhor", "bokhtar", "jayhun"],
        ["tver-migrant-hiv"],
        6,
        (15, 60),
        2013,
    ),
    (
        "school",
        ["khujand", "bokhtar", "dushanbe-sino", "khorog"],
        ["daughter-job-search-exploitation", "village-girl-trafficking"],
        5,
        (40, 160),
        2012,
    ),
    (
        "workplace",
        ["dushanbe-firdavsi", "vahdat", "tursunzoda"],
        ["mehrubon-regular-migration"],
        4,
        (20, 80),
        2014,
    ),
    (
        "resource_centre",
        ["rasht", "vose", "panj", "isfara"],
        ["mehrubon-regular-migration", "migrants-economic-crisis"],
        6,
        (10, 45),
        2014,
    ),
    ("festival", ["dushanbe-ismoili-somoni"], ["were-going-to-moscow"], 3, (80, 220), 2013),
]


def _audience(rng: random.Random, low: int, high: int) -> dict[str, int]:
    people = rng.randint(low, high)
    women = rng.randint(people // 3, people * 2 // 3)
    men = people - women - rng.randint(0, 2) if people - women > 2 else people - women
    ages = [rng.randint(1, 4) for _ in range(4)]
    counted = people - rng.randint(0, 3)
    bands = [counted * a // sum(ages) for a in ages]
    migrants = rng.randint(0, people // 3)
    returned = rng.randint(0, people // 4)
    family = rng.randint(0, people - migrants - returned)
    return {
        "attendees": people,
        "women": women,
        "men": max(men, 0),
        "age_under_18": bands[0],
        "age_18_29": bands[1],
        "age_30_44": bands[2],
        "age_45_plus": bands[3],
        "migrants": migrants,
        "returned_migrants": returned,
        "family_members": family,
        "materials": rng.randint(0, people),
    }


def _organisations() -> list[Organisation]:
    ngos = list(Organisation.objects.filter(kind=Organisation.Kind.NGO).order_by("pk")[:2])
    return ngos or list(Organisation.objects.order_by("pk")[:1])


@transaction.atomic
def add_sample_outreach() -> dict[str, int]:
    """Replaces the sample records (and only them); safe to run again."""
    organisations = _organisations()
    films = Film.objects.in_bulk([slug for plan in PLAN for slug in plan[2]], field_name="slug")
    rng = random.Random(1994)  # noqa: S311 - sample figures, not secrets
    with rollup.deferred():
        Screening.objects.filter(is_sample=True).delete()
        Broadcast.objects.filter(is_sample=True).delete()
        if not organisations or not films:
            return {"screenings": 0, "broadcasts": 0}
        made = 0
        for number, (venue, districts, slugs, count, (low, high), year) in enumerate(PLAN):
            shown = [films[slug] for slug in slugs if slug in films]
            if not shown:
                continue
            for index in range(count):
                screening = Screening.objects.create(
                    organisation=organisations[(number + index) % len(organisations)],
                    date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    district=districts[index % len(districts)],
                    venue_kind=venue,
                    facilitator="Sample facilitator",
                    notes=NOTE,
                    is_sample=True,
                    **_audience(rng, low, high),
                )
                ScreeningFilm.objects.bulk_create(
                    ScreeningFilm(screening=screening, film=film) for film in shown
                )
                rollup.mark({rollup.bucket_of(screening)})  # bulk_create sends no signal
                made += 1
        aired = 0
        tv_film = films.get("mehrubon-regular-migration")
        if tv_film:
            for month in (3, 6, 10):
                Broadcast.objects.create(
                    organisation=organisations[0],
                    channel="National TV (sample)",
                    aired_at=datetime.datetime(2012, month, 14, 19, 30, tzinfo=datetime.UTC),
                    film=tv_film,
                    estimated_audience=rng.randint(150, 400) * 1000,
                    estimate_source="Sample figure made by the demo",
                    is_sample=True,
                )
                aired += 1
    return {"screenings": made, "broadcasts": aired}
