"""Two partner organisations, an officer for each, and a few films under two projects and three themes."""

import datetime

import pytest
from django.contrib.auth.models import Group

from mediateka.catalogue import roles
from mediateka.catalogue.models import Film, Status, Theme
from mediateka.mission.models import Organisation, Project, ThematicArea
from mediateka.outreach.models import Membership, Screening


@pytest.fixture
def org_a(db):
    return Organisation.objects.create(key="ngo-a", name="NGO Alpha", kind="ngo")


@pytest.fixture
def org_b(db):
    return Organisation.objects.create(key="ngo-b", name="NGO Beta", kind="ngo")


def _officer(django_user_model, username, organisation):
    user = django_user_model.objects.create_user(username, password="test-password-1")
    user.groups.add(Group.objects.get(name=roles.OUTREACH_OFFICER))
    Membership.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def officer_a(django_user_model, org_a):
    return _officer(django_user_model, "officer-a", org_a)


@pytest.fixture
def officer_b(django_user_model, org_b):
    return _officer(django_user_model, "officer-b", org_b)


@pytest.fixture
def catalogue(db):
    """Films: two of project P1 sharing the theme "health", one of P2, one without project, one draft."""
    area = ThematicArea.objects.create(key="health-area", name="Migration Health")
    p1 = Project.objects.create(key="p1", title="HIV prevention among migrants", area=area)
    p2 = Project.objects.create(key="p2", title="Safe labour migration", area=area)
    health = Theme.objects.create(key="health", name="Migrants' health")
    labour = Theme.objects.create(key="labour", name="Labour migration")
    women = Theme.objects.create(key="women", name="Women and families")
    films = {}
    for slug, project, themes in [
        ("hiv-one", p1, [health]),
        ("hiv-two", p1, [health, women]),
        ("labour-one", p2, [labour]),
        ("no-project", None, [labour, women]),
    ]:
        film = Film.objects.create(
            slug=slug, title=slug.replace("-", " ").title(), project=project, status=Status.PUBLISHED
        )
        film.themes.set(themes)
        films[slug] = film
    films["draft"] = Film.objects.create(slug="draft", title="Secret draft", status=Status.DRAFT)
    return {
        "films": films,
        "projects": {"p1": p1, "p2": p2},
        "themes": {"health": health, "labour": labour, "women": women},
    }


AUDIENCE = {
    "attendees": 40,
    "women": 22,
    "men": 18,
    "age_under_18": 5,
    "age_18_29": 15,
    "age_30_44": 12,
    "age_45_plus": 8,
    "migrants": 10,
    "returned_migrants": 6,
    "family_members": 20,
    "materials": 30,
}


def make_screening(organisation, films, *, district="vose", date=datetime.date(2013, 5, 14), **fields):
    screening = Screening.objects.create(
        organisation=organisation,
        date=date,
        district=district,
        venue_kind=fields.pop("venue_kind", "community"),
        **{**AUDIENCE, **fields},
    )
    screening.films.set(films)
    return screening
