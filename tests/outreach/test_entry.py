"""The officer's entry form: the rules of a screening, the duplicate warning, the mobile page."""

import datetime
import re

import pytest
from django.utils import timezone

from mediateka.catalogue.models import Film, Status
from mediateka.outreach.forms import BroadcastForm, ScreeningForm
from mediateka.outreach.models import Broadcast, MonthlyReach, Screening

from .conftest import AUDIENCE, make_screening


def _data(**changes):
    data = {
        "date": "2013-05-14",
        "district": "vose",
        "locality": "Jamoat Tugarak",
        "venue_kind": "community",
        "films": ["hiv-one"],
        "facilitator": "Zarina Karimova",
        **{k: str(v) for k, v in AUDIENCE.items()},
        "notes": "Rain; the hall was small.",
    }
    data.update(changes)
    return data


def test_officer_records_a_screening_for_their_organisation(client, officer_a, org_a, catalogue):
    client.force_login(officer_a)
    response = client.post("/en/outreach/screenings/new/", _data())
    assert response.status_code == 302
    screening = Screening.objects.get()
    assert screening.organisation == org_a
    assert screening.region == "khatlon"  # from the district, never typed
    assert screening.created_by == officer_a
    assert list(screening.films.values_list("slug", flat=True)) == ["hiv-one"]
    assert MonthlyReach.objects.of_films().get(film=catalogue["films"]["hiv-one"]).attendees == 40


def test_an_officer_cannot_choose_another_organisation(client, officer_a, org_a, org_b, catalogue):
    client.force_login(officer_a)
    client.post("/en/outreach/screenings/new/", _data(organisation=str(org_b.pk)))
    assert Screening.objects.get().organisation == org_a


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"women": "-1"}, "women", "A count cannot be negative."),
        (
            {"women": "30", "men": "20"},
            "women",
            "Women and men together (50) are more than the people attending (40).",
        ),
        ({"age_under_18": "20", "age_45_plus": "21"}, "age_under_18", "The age bands together (68)"),
        ({"migrants": "30"}, "migrants", "Migrants, returned migrants and family members together (56)"),
        ({"district": "atlantis"}, "district", "Select a valid choice"),
        ({"films": ["draft"]}, "films", "Select a valid choice"),
    ],
)
def test_form_rejects_impossible_counts_and_unknown_choices(org_a, catalogue, changes, field, message):
    form = ScreeningForm(_data(**changes), organisation=org_a)
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors


def test_form_rejects_a_date_in_the_future(org_a, catalogue):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = ScreeningForm(_data(date=tomorrow.isoformat()), organisation=org_a)
    assert not form.is_valid()
    assert "The date is in the future" in form.errors["date"][0]
    assert ScreeningForm(_data(date=timezone.localdate().isoformat()), organisation=org_a).is_valid()


def test_sub_groups_may_be_smaller_than_the_total(org_a, catalogue):
    # Not everyone's sex or age is always recorded: only "more than the total" is wrong.
    form = ScreeningForm(_data(women="1", men="0", age_under_18="0", migrants="0"), organisation=org_a)
    assert form.is_valid(), form.errors


def test_likely_duplicate_is_a_warning_that_the_officer_can_confirm(client, officer_a, org_a, catalogue):
    make_screening(org_a, [catalogue["films"]["hiv-one"]], locality="Jamoat Tugarak")
    client.force_login(officer_a)
    first = client.post("/en/outreach/screenings/new/", _data(locality="jamoat tugarak "))
    assert first.status_code == 200
    assert "This may be a duplicate." in first.content.decode()
    assert "errorlist" not in first.content.decode()  # a warning, not an error
    assert Screening.objects.count() == 1
    confirmed = client.post("/en/outreach/screenings/new/", _data(save_anyway="on"))
    assert confirmed.status_code == 302
    assert Screening.objects.count() == 2


def test_another_film_on_the_same_day_and_place_is_not_a_duplicate(org_a, catalogue):
    make_screening(org_a, [catalogue["films"]["hiv-one"]], locality="Jamoat Tugarak")
    form = ScreeningForm(_data(films=["labour-one"]), organisation=org_a)
    assert form.is_valid()
    assert not form.needs_confirmation


def test_database_refuses_sub_groups_above_the_total_even_without_the_form(org_a, catalogue):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_screening(org_a, [], women=30, men=30)


def test_entry_form_is_labelled_and_made_for_phones(client, officer_a, catalogue):
    client.force_login(officer_a)
    html = client.get("/tg/outreach/screenings/new/").content.decode()
    assert '<html lang="tg">' in html
    assert 'name="viewport"' in html
    assert 'inputmode="numeric"' in html and 'type="date"' in html
    assert "<legend>" in html
    for name in ("date", "district", "attendees", "women"):
        assert f'for="id_{name}"' in html
    assert "Вилояти Хатлон" in html  # the districts grouped under their region, in Tajik
    assert "Secret draft" not in html


def test_broadcast_in_the_future_is_refused(client, officer_a, catalogue):
    client.force_login(officer_a)
    later = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "channel": "TV",
        "aired_at": later,
        "film": catalogue["films"]["hiv-one"].pk,
        "estimated_audience": "1000",
    }
    response = client.post("/en/outreach/broadcasts/new/", data)
    assert response.status_code == 200 and not Broadcast.objects.exists()
    data["aired_at"] = "2013-03-01T19:30"
    assert client.post("/en/outreach/broadcasts/new/", data).status_code == 302
    assert Broadcast.objects.get().estimated_audience == 1000


@pytest.mark.parametrize("status", [Status.ARCHIVED, Status.DRAFT])
def test_a_screening_whose_film_was_later_withdrawn_can_still_be_edited(
    client, officer_a, org_a, catalogue, status
):
    films = catalogue["films"]
    screening = make_screening(org_a, [films["hiv-one"], films["hiv-two"]], locality="Jamoat Tugarak")
    Film.objects.filter(slug="hiv-one").update(status=status)
    client.force_login(officer_a)
    url = f"/en/outreach/screenings/{screening.pk}/"
    html = client.get(url).content.decode()
    assert 'value="hiv-one" id="id_films_' in html
    assert re.search(r'<input[^>]*value="hiv-one"[^>]*checked', html)
    response = client.post(url, _data(films=["hiv-one", "hiv-two"], attendees="45"))
    assert response.status_code == 302, response.context["form"].errors
    screening.refresh_from_db()
    assert screening.attendees == 45
    assert sorted(screening.films.values_list("slug", flat=True)) == ["hiv-one", "hiv-two"]


def test_a_withdrawn_film_cannot_be_added_to_a_record_that_does_not_name_it(
    client, officer_a, org_a, catalogue
):
    films = catalogue["films"]
    screening = make_screening(org_a, [films["hiv-two"]], locality="Jamoat Tugarak")
    Film.objects.filter(slug="hiv-one").update(status=Status.ARCHIVED)
    client.force_login(officer_a)
    url = f"/en/outreach/screenings/{screening.pk}/"
    assert 'value="hiv-one"' not in client.get(url).content.decode()
    for withdrawn in ("hiv-one", "draft"):
        response = client.post(url, _data(films=["hiv-two", withdrawn], attendees="45"))
        assert response.status_code == 200
        assert f"Select a valid choice. {withdrawn} is not one of the available choices." in str(
            response.context["form"].errors["films"]
        )
    screening.refresh_from_db()
    assert screening.attendees == 40 and list(screening.films.values_list("slug", flat=True)) == ["hiv-two"]
    # Nor to a new record.
    new = ScreeningForm(_data(films=["hiv-one"]), organisation=org_a)
    assert not new.is_valid() and "films" in new.errors


def test_a_broadcast_whose_film_was_later_archived_can_still_be_edited(officer_a, org_a, catalogue):
    films = catalogue["films"]
    broadcast = Broadcast.objects.create(
        organisation=org_a, channel="TV Safina", aired_at="2013-03-01T19:30Z", film=films["hiv-one"]
    )
    Film.objects.filter(slug="hiv-one").update(status=Status.ARCHIVED)
    data = {"channel": "TV Safina", "aired_at": "2013-03-01T19:30", "film": films["hiv-one"].pk}
    form = BroadcastForm({**data, "estimated_audience": "2000"}, instance=broadcast, organisation=org_a)
    assert form.is_valid(), form.errors
    new = BroadcastForm({**data, "estimated_audience": "1"}, organisation=org_a)
    assert "film" in new.errors
