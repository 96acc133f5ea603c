"""Outreach records through the API: each officer their own organisation's, the public aggregates only."""

# The outreach tests' fixtures (two organisations, an officer of each, a catalogue) are imported and
# then requested by name, which pyflakes reads as a redefinition.
# ruff: noqa: F811

import datetime
import json

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from mediateka.api.models import ApiToken
from mediateka.catalogue.models import Film, Status
from mediateka.outreach.audience import COUNTS, MIGRATION
from mediateka.outreach.models import Broadcast, MonthlyReach, Screening
from tests.outreach.conftest import (  # noqa: F401 (fixtures, used by name)
    AUDIENCE,
    catalogue,
    make_screening,
    officer_a,
    org_a,
    org_b,
)

from .conftest import bearer

PRIVATE = ["Facilitator Alphaeva", "Facilitator Betova", "Note of Alpha", "Note of Beta", "Secret draft"]


@pytest.fixture
def records(org_a, org_b, catalogue):
    films = catalogue["films"]
    return {
        "a": make_screening(org_a, [films["hiv-one"]], facilitator=PRIVATE[0], notes=PRIVATE[2]),
        "b": make_screening(
            org_b, [films["hiv-two"]], district="khujand", facilitator=PRIVATE[1], notes=PRIVATE[3]
        ),
        "broadcast_a": Broadcast.objects.create(
            organisation=org_a, channel="Channel of A", aired_at="2013-01-01T10:00Z", film=films["hiv-one"]
        ),
        "broadcast_b": Broadcast.objects.create(
            organisation=org_b, channel="Channel of B", aired_at="2013-01-02T10:00Z", film=films["hiv-one"]
        ),
    }


@pytest.fixture
def token(db):
    """A token for any user: token(user)."""
    return lambda user: ApiToken.objects.issue(user)[1]


def _send(client, method, url, token=None, data=None):
    headers = bearer(token) if token else {}
    if data is None:
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(url, json.dumps(data), content_type="application/json", **headers)


def _new_screening(**changes):
    data = {
        "date": "2013-06-01",
        "district": "vose",
        "locality": "Jamoat Tugarak",
        "venue_kind": "community",
        "films": ["labour-one"],
        "facilitator": "Zarina Karimova",
        **AUDIENCE,
        "notes": "The hall was small.",
    }
    data.update(changes)
    return data


def _saved(record) -> dict:
    """Everything stored about a record, re-read from the database."""
    fresh = type(record).objects.get(pk=record.pk)
    stored = model_to_dict(fresh)
    if isinstance(fresh, Screening):
        stored["films"] = sorted(fresh.films.values_list("slug", flat=True))
    return stored


def _refused_fields(response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    return {error["field"]: error["messages"] for error in response.json()["detail"]}


# ---------------------------------------------------------------- who reads and changes what


@pytest.mark.parametrize("kind", ["screenings", "broadcasts"])
def test_records_need_a_token(client, records, kind):
    pk = records["a"].pk if kind == "screenings" else records["broadcast_a"].pk
    assert client.get(f"/api/v1/{kind}").status_code == 401
    assert client.get(f"/api/v1/{kind}/{pk}").status_code == 401
    assert _send(client, "post", f"/api/v1/{kind}", data=_new_screening()).status_code == 401
    assert _send(client, "patch", f"/api/v1/{kind}/{pk}", data={"attendees": 1}).status_code == 401
    assert client.delete(f"/api/v1/{kind}/{pk}").status_code == 401
    assert _send(client, "get", f"/api/v1/{kind}", token="mtk_not-a-real-token").status_code == 401
    assert Screening.objects.count() == 2 and Broadcast.objects.count() == 2


def test_officer_lists_and_reads_only_their_organisations_records(client, officer_a, records, token):
    key = token(officer_a)
    listing = _send(client, "get", "/api/v1/screenings", key)
    assert listing.status_code == 200
    assert listing["Cache-Control"].startswith("max-age=0") and "private" in listing["Cache-Control"]
    body = listing.json()
    assert body["count"] == 1 and [row["id"] for row in body["results"]] == [records["a"].pk]
    assert PRIVATE[1] not in listing.content.decode() and PRIVATE[3] not in listing.content.decode()
    row = body["results"][0]
    # The officer's own record, in full: that is what they keep it for.
    assert row["facilitator"] == PRIVATE[0] and row["notes"] == PRIVATE[2] and row["editable"]
    assert (row["organisation"], row["district"], row["region"], row["films"]) == (
        "ngo-a",
        "vose",
        "khatlon",
        ["hiv-one"],
    )
    detail = _send(client, "get", f"/api/v1/screenings/{records['a'].pk}", key)
    assert detail.status_code == 200 and detail.json() == row

    broadcasts = _send(client, "get", "/api/v1/broadcasts", key).json()
    assert [row["id"] for row in broadcasts["results"]] == [records["broadcast_a"].pk]
    assert _send(client, "get", f"/api/v1/broadcasts/{records['broadcast_a'].pk}", key).json()["channel"] == (
        "Channel of A"
    )


@pytest.mark.parametrize(
    ("kind", "record", "change"),
    [
        ("screenings", "b", {"attendees": 1, "facilitator": "Hacked"}),
        ("broadcasts", "broadcast_b", {"channel": "Hacked", "estimated_audience": 1}),
    ],
)
def test_another_organisations_record_is_not_found(client, officer_a, records, token, kind, record, change):
    key = token(officer_a)
    before = _saved(records[record])
    url = f"/api/v1/{kind}/{records[record].pk}"
    for method, data in [("get", None), ("patch", change), ("delete", None)]:
        response = _send(client, method, url, key, data)
        # The same answer as for a record that does not exist: its existence is not told.
        assert response.status_code == 404, (method, response.content)
        assert response.json() == _send(client, method, f"/api/v1/{kind}/999999", key, data).json()
    assert _saved(records[record]) == before


def test_editor_reads_every_organisations_records_but_changes_none(client, editor, records, token):
    key = token(editor)
    listing = _send(client, "get", "/api/v1/screenings", key).json()
    assert {row["id"] for row in listing["results"]} == {records["a"].pk, records["b"].pk}
    assert not any(row["editable"] for row in listing["results"])
    assert _send(client, "get", "/api/v1/broadcasts", key).json()["count"] == 2
    before = _saved(records["b"])
    url = f"/api/v1/screenings/{records['b'].pk}"
    assert _send(client, "get", url, key).json()["facilitator"] == PRIVATE[1]
    # Editors may read these records (roles.py), so a refusal to change one tells them nothing new.
    patch = _send(client, "patch", url, key, {"attendees": 1})
    assert patch.status_code == 403 and "may read this screening but not change it" in patch.json()["detail"]
    assert _send(client, "delete", url, key).status_code == 403
    created = _send(client, "post", "/api/v1/screenings", key, _new_screening())
    assert (
        created.status_code == 403 and created.json()["detail"] == "Your account may not record screenings."
    )
    assert _saved(records["b"]) == before and Screening.objects.count() == 2


def test_officer_without_an_organisation_and_outsider_are_refused(client, outreach_officer, outsider, token):
    lone = _send(client, "post", "/api/v1/screenings", token(outreach_officer), _new_screening())
    assert lone.status_code == 403
    assert lone.json()["detail"] == (
        "Your account is not linked to an organisation, so there is nobody to record for."
    )
    assert _send(client, "get", "/api/v1/screenings", token(outreach_officer)).status_code == 403
    stranger = token(outsider)
    assert _send(client, "get", "/api/v1/screenings", stranger).json() == {
        "detail": "Your account may not read outreach records."
    }
    aired = {"channel": "TV", "aired_at": "2013-03-08T20:00:00Z", "film": "hiv-one"}
    assert _send(client, "post", "/api/v1/broadcasts", stranger, aired).json() == {
        "detail": "Your account may not record broadcasts."
    }
    assert not Screening.objects.exists()


# ---------------------------------------------------------------- recording


def test_create_sets_the_officers_own_organisation_even_if_the_payload_names_another(
    client, officer_a, org_a, catalogue, token
):
    response = _send(
        client, "post", "/api/v1/screenings", token(officer_a), _new_screening(organisation="ngo-b")
    )
    assert response.status_code == 201, response.content
    screening = Screening.objects.get(pk=response.json()["id"])
    assert screening.organisation == org_a and screening.created_by == officer_a
    assert screening.region == "khatlon"  # from the district, never typed
    assert response.json()["organisation"] == "ngo-a"
    # The reach rollup follows, as after the page's form.
    cell = MonthlyReach.objects.of_films().get(film=catalogue["films"]["labour-one"])
    assert (cell.screenings, cell.attendees, cell.month) == (1, 40, datetime.date(2013, 6, 1))


def test_an_administrator_chooses_the_organisation(client, admin_user, org_b, catalogue, token):
    response = _send(
        client, "post", "/api/v1/screenings", token(admin_user), _new_screening(organisation="ngo-b")
    )
    assert response.status_code == 201, response.content
    assert Screening.objects.get().organisation == org_b
    unknown = _send(
        client, "post", "/api/v1/screenings", token(admin_user), _new_screening(organisation="nobody")
    )
    assert "organisation" in _refused_fields(unknown)


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"women": -1}, "women", "A count cannot be negative."),
        ({**dict.fromkeys(COUNTS, 0), "attendees": -5}, "attendees", "A count cannot be negative."),
        (
            {"women": 30, "men": 20},
            "women",
            "Women and men together (50) are more than the people attending (40).",
        ),
        ({"age_under_18": 20, "age_45_plus": 21}, "age_under_18", "The age bands together (68)"),
        ({"migrants": 30}, "migrants", "Migrants, returned migrants and family members together (56)"),
        ({"date": TOMORROW}, "date", "The date is in the future"),
        ({"district": "atlantis"}, "district", "Select a valid choice. atlantis is not one of the available"),
        ({"films": ["draft"]}, "films", "Select a valid choice. draft is not one of the available"),
        ({"films": ["no-such-film"]}, "films", "Select a valid choice"),
        ({"films": []}, "films", "This field is required."),
        ({"venue_kind": "rooftop"}, "venue_kind", "Select a valid choice"),
    ],
)
def test_screening_is_checked_by_the_entry_forms_rules(
    client, officer_a, catalogue, token, changes, field, message
):
    response = _send(client, "post", "/api/v1/screenings", token(officer_a), _new_screening(**changes))
    errors = _refused_fields(response)
    assert any(message in text for text in errors.get(field, [])), errors
    assert not Screening.objects.exists() and not MonthlyReach.objects.exists()


def test_a_change_is_checked_as_a_whole(client, officer_a, records, token):
    key, url = token(officer_a), f"/api/v1/screenings/{records['a'].pk}"
    before = _saved(records["a"])
    errors = _refused_fields(_send(client, "patch", url, key, {"attendees": 30}))  # women + men are 40
    assert set(errors) == {"women", "age_under_18", "migrants"}, errors
    assert "date" in _refused_fields(_send(client, "patch", url, key, {"date": TOMORROW}))
    assert "attendees" in _refused_fields(_send(client, "patch", url, key, {"attendees": None}))
    assert _saved(records["a"]) == before


def test_a_change_and_a_deletion_keep_the_reach_right(client, officer_a, records, catalogue, token):
    key, url = token(officer_a), f"/api/v1/screenings/{records['a'].pk}"
    hiv_one, labour = catalogue["films"]["hiv-one"], catalogue["films"]["labour-one"]
    response = _send(
        client, "patch", url, key, {"attendees": 50, "films": ["labour-one"], "date": "2013-07-02"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["films"] == ["labour-one"] and response.json()["attendees"] == 50
    assert not MonthlyReach.objects.of_films().filter(film=hiv_one).exists()
    cell = MonthlyReach.objects.of_films().get(film=labour)
    assert (cell.attendees, cell.month) == (50, datetime.date(2013, 7, 1))
    assert _send(client, "delete", url, key).status_code == 204
    assert not Screening.objects.filter(pk=records["a"].pk).exists()
    assert not MonthlyReach.objects.of_films().filter(film=labour).exists()
    assert MonthlyReach.objects.overall().totals()["attendees"] == records["b"].attendees


def test_a_likely_duplicate_needs_confirming(client, officer_a, records, token):
    key = token(officer_a)
    # Same place, day and film as A's own record: refused, naming it.
    again = _new_screening(date="2013-05-14", locality="", films=["hiv-one"])
    refused = _send(client, "post", "/api/v1/screenings", key, again)
    assert refused.status_code == 409 and refused.json()["duplicates"] == [records["a"].pk]
    assert "confirm_duplicate" in refused.json()["detail"]
    assert Screening.objects.count() == 2
    confirmed = _send(client, "post", "/api/v1/screenings", key, {**again, "confirm_duplicate": True})
    assert confirmed.status_code == 201
    assert Screening.objects.count() == 3


def test_a_duplicate_of_another_organisations_record_is_not_named(client, officer_a, records, token):
    again = _new_screening(date="2013-05-14", district="khujand", locality="", films=["hiv-two"])
    refused = _send(client, "post", "/api/v1/screenings", token(officer_a), again)
    # The page warns the same; only the id, which would let the officer look for it, is withheld.
    assert refused.status_code == 409 and refused.json()["duplicates"] == []


@pytest.mark.parametrize("status", [Status.ARCHIVED, Status.DRAFT])
def test_a_screening_whose_film_was_later_withdrawn_can_still_be_changed(
    client, officer_a, records, token, status
):
    key, url = token(officer_a), f"/api/v1/screenings/{records['a'].pk}"
    Film.objects.filter(slug="hiv-one").update(status=status)
    changed = _send(client, "patch", url, key, {"attendees": 45})
    assert changed.status_code == 200, changed.content
    assert changed.json()["films"] == ["hiv-one"] and changed.json()["attendees"] == 45
    both = _send(client, "patch", url, key, {"films": ["hiv-one", "labour-one"]})
    assert both.status_code == 200, both.content
    assert _saved(records["a"])["films"] == ["hiv-one", "labour-one"]


def test_a_withdrawn_film_cannot_be_added_to_a_screening(client, officer_a, records, token):
    key, url = token(officer_a), f"/api/v1/screenings/{records['a'].pk}"
    Film.objects.filter(slug="hiv-two").update(status=Status.ARCHIVED)
    before = _saved(records["a"])
    for withdrawn in ("hiv-two", "draft"):
        errors = _refused_fields(_send(client, "patch", url, key, {"films": ["hiv-one", withdrawn]}))
        message = f"Select a valid choice. {withdrawn} is not one of the available choices."
        assert errors == {"films": [message]}
    # Nor to a new one: only the record that names the film keeps it as a choice.
    new = _send(client, "post", "/api/v1/screenings", key, _new_screening(films=["hiv-two"]))
    assert "films" in _refused_fields(new)
    assert _saved(records["a"]) == before


def test_a_broadcast_whose_film_was_later_archived_can_still_be_changed(client, officer_a, records, token):
    Film.objects.filter(slug="hiv-one").update(status=Status.ARCHIVED)
    url = f"/api/v1/broadcasts/{records['broadcast_a'].pk}"
    changed = _send(client, "patch", url, token(officer_a), {"estimated_audience": 2000})
    assert changed.status_code == 200, changed.content
    assert changed.json()["film"] == "hiv-one" and changed.json()["estimated_audience"] == 2000


def test_broadcasts_are_recorded_changed_and_checked(client, officer_a, org_a, catalogue, token):
    key = token(officer_a)
    data = {
        "channel": "TV Safina",
        "aired_at": "2013-03-08T20:00:00+05:00",
        "film": "hiv-two",
        "estimated_audience": 150000,
        "estimate_source": "Channel survey",
        "organisation": "ngo-b",
    }
    created = _send(client, "post", "/api/v1/broadcasts", key, data)
    assert created.status_code == 201, created.content
    broadcast = Broadcast.objects.get()
    assert (broadcast.organisation, broadcast.film.slug, broadcast.created_by) == (
        org_a,
        "hiv-two",
        officer_a,
    )
    url = f"/api/v1/broadcasts/{broadcast.pk}"
    changed = _send(client, "patch", url, key, {"estimated_audience": 90000})
    assert changed.status_code == 200 and changed.json()["channel"] == "TV Safina"
    assert Broadcast.objects.get().estimated_audience == 90000
    future = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    for change, field in [
        ({"aired_at": future}, "aired_at"),
        ({"film": "draft"}, "film"),
        ({"estimated_audience": -1}, "estimated_audience"),
        ({"channel": ""}, "channel"),
    ]:
        assert field in _refused_fields(_send(client, "patch", url, key, change)), change
    assert _send(client, "delete", url, key).status_code == 204
    assert not Broadcast.objects.exists()


def test_lists_filter_by_dates_and_place_and_are_paginated(client, officer_a, org_a, catalogue, token):
    films = [catalogue["films"]["hiv-one"]]
    for day, district in [(1, "vose"), (10, "khujand"), (20, "vose")]:
        make_screening(org_a, films, district=district, date=datetime.date(2013, 5, day))
    key = token(officer_a)

    def dates(query):
        body = _send(client, "get", f"/api/v1/screenings?{query}", key).json()
        return [row["date"] for row in body["results"]]

    assert dates("date_from=2013-05-05") == ["2013-05-20", "2013-05-10"]
    assert dates("date_to=2013-05-10&district=vose") == ["2013-05-01"]
    assert dates("region=sughd") == ["2013-05-10"]
    page = _send(client, "get", "/api/v1/screenings?page_size=2&page=2", key).json()
    assert (page["count"], page["pages"], len(page["results"]), page["next"]) == (3, 2, 1, None)
    assert _send(client, "get", "/api/v1/screenings?date_from=soon", key).status_code == 422


# ---------------------------------------------------------------- the public reach


@pytest.fixture
def shown(org_a, org_b, catalogue):
    films = catalogue["films"]
    return [
        make_screening(org_a, [films["hiv-one"], films["hiv-two"]], facilitator=PRIVATE[0], notes=PRIVATE[2]),
        make_screening(
            org_b,
            [films["labour-one"]],
            district="khujand",
            date=datetime.date(2012, 11, 3),
            attendees=25,
            women=10,
            men=15,
            age_under_18=0,
            age_18_29=20,
            age_30_44=5,
            age_45_plus=0,
            migrants=12,
            returned_migrants=3,
            family_members=1,
            materials=7,
            facilitator=PRIVATE[1],
            notes=PRIVATE[3],
        ),
        # A film that went back to draft after it was shown: its reach counts, its name does not show.
        make_screening(
            org_b,
            [films["draft"]],
            district="khorog",
            attendees=9,
            women=9,
            men=0,
            age_under_18=0,
            age_18_29=0,
            age_30_44=0,
            age_45_plus=9,
            migrants=0,
            returned_migrants=0,
            family_members=0,
            is_sample=True,
        ),
    ]


def _sums(screenings) -> dict[str, int]:
    return {name: sum(getattr(s, name) for s in screenings) for name in COUNTS}


def test_public_reach_is_the_sum_of_the_screenings(client, shown, records):
    every = list(Screening.objects.all())
    response = client.get("/api/v1/reach")  # no token: it is public
    assert response.status_code == 200, response.content
    body = response.json()
    expected = _sums(every)
    assert body["totals"] == {
        **expected,
        "screenings": len(every),
        "sample_screenings": 1,  # flagged, as on the dashboard
        "migration_total": sum(expected[name] for name in MIGRATION),
    }
    by_sex = {row["key"]: row["people"] for row in body["by_sex"]}
    assert by_sex == {
        "women": expected["women"],
        "men": expected["men"],
        "not_recorded": expected["attendees"] - expected["women"] - expected["men"],
    }
    assert {row["key"]: row["people"] for row in body["by_age"]}["age_18_29"] == expected["age_18_29"]
    by_region = {row["key"]: row["figures"] for row in body["by_region"]}
    for region in ("khatlon", "sughd", "gbao"):
        mine = [s for s in every if s.region == region]
        assert by_region[region] == {**_sums(mine), "screenings": len(mine)}, region
    by_film = {row["key"]: row["figures"]["attendees"] for row in body["by_film"]}
    assert by_film == {"hiv-one": 80, "hiv-two": 80, "labour-one": 25}  # 40 (shown) + 40 (records)
    by_project = {row["key"]: row["figures"]["screenings"] for row in body["by_project"]}
    assert by_project == {"p1": 3, "p2": 1}  # a screening of two films of p1 counts once for it
    months = [row["key"] for row in body["by_month"]]
    assert months[0] == "2012-11" and months[-1] == "2013-05" and len(months) == 7
    assert body["broadcasts"] == {"broadcasts": 2, "audience": 0}


def test_public_reach_names_no_person_note_or_draft(client, shown, records):
    for url in [
        "/api/v1/reach",
        "/api/v1/reach?lang=tg",
        "/api/v1/reach?project=p1",
        "/api/v1/reach?year=2013",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for private in [
            *PRIVATE,
            *(s.facilitator for s in shown if s.facilitator),
            *(s.notes for s in shown if s.notes),
        ]:
            assert private not in text, (url, private)
        assert '"draft"' not in text and "ngo-a" not in text and "NGO Alpha" not in text
        assert '"facilitator"' not in text and '"notes"' not in text


def test_public_reach_filters_by_year_region_and_project(client, shown, records):
    in_2012 = client.get("/api/v1/reach?year=2012").json()
    assert in_2012["totals"]["screenings"] == 1 and in_2012["totals"]["attendees"] == 25
    sughd = client.get("/api/v1/reach?region=sughd").json()
    assert sughd["totals"]["attendees"] == 25 + 40
    p1 = client.get("/api/v1/reach?project=p1").json()
    assert p1["by_theme"] is None and p1["by_project"] is None
    assert {row["key"] for row in p1["by_film"]} == {"hiv-one", "hiv-two"}
    assert p1["totals"]["screenings"] == 3
    assert client.get("/api/v1/reach?project=nothing").status_code == 404
    assert client.get("/api/v1/reach?region=atlantis").status_code == 422
