import re

import pytest

from mediateka.catalogue.credit_line import project_credit_line
from mediateka.catalogue.models import Collection, Film, Status
from mediateka.mission.models import Organisation, Participation, Project


def test_demo_has_six_films_and_the_psa_collection_in_three_languages(demo):
    assert Film.objects.listed().count() == 6
    assert Collection.objects.public().count() == 1
    for film in Film.objects.all():
        for lang in ("en", "ru", "tg"):
            assert getattr(film, f"title_{lang}").strip()
            assert getattr(film, f"synopsis_{lang}").strip()


def test_only_the_moscow_film_has_a_title_without_square_brackets(demo):
    plain = [f.display_title for f in Film.objects.all() if not f.display_title.startswith("[")]
    assert plain == ["We're Going to Moscow"]
    assert all(f.display_title.endswith("]") for f in Film.objects.filter(title_is_devised=True))


@pytest.mark.parametrize("language", ["en", "ru", "tg"])
def test_film_list_shows_every_published_film_with_its_translated_title(client, demo, language):
    html = client.get(f"/{language}/films/").content.decode()
    for film in Film.objects.listed():
        assert getattr(film, f"title_{language}").replace("'", "&#x27;") in html


def test_draft_film_is_404_to_the_public_and_shown_to_an_editor(client, demo, editor):
    film = Film.objects.get(slug="were-going-to-moscow")
    film.status = Status.DRAFT
    film.save()
    assert client.get(f"/en/films/{film.slug}/").status_code == 404
    assert film.title_en not in client.get("/en/films/").content.decode().replace("&#x27;", "'")
    client.force_login(editor)
    response = client.get(f"/en/films/{film.slug}/")
    assert response.status_code == 200
    assert "Preview" in response.content.decode()


def test_outsider_signed_in_still_cannot_see_a_draft(client, demo, outsider):
    film = Film.objects.first()
    Film.objects.filter(pk=film.pk).update(status=Status.DRAFT)
    client.force_login(outsider)
    assert client.get(f"/en/films/{film.slug}/").status_code == 404


def test_unlisted_film_is_reachable_but_not_listed(client, demo):
    film = Film.objects.first()
    Film.objects.filter(pk=film.pk).update(status=Status.UNLISTED)
    assert client.get(f"/en/films/{film.slug}/").status_code == 200
    assert f"/en/films/{film.slug}/" not in client.get("/en/films/").content.decode()


def test_missing_translation_falls_back_to_english_and_says_so(client, demo):
    film = Film.objects.get(slug="were-going-to-moscow")
    film.synopsis_tg = ""
    film.save()
    html = client.get(f"/tg/films/{film.slug}/").content.decode()
    assert 'lang="en"' in html
    assert "talks about the actual reality" in html
    assert "Англисӣ" in html.split('class="note"')[1].split("</p>")[0]  # the note names English in Tajik
    assert re.search(r'class="note"', html)
    assert 'class="note"' not in client.get(f"/ru/films/{film.slug}/").content.decode()


def test_collection_credit_line_is_written_from_the_project_records(
    client, demo, django_capture_on_commit_callbacks
):
    collection = Collection.objects.get()
    html = client.get(collection.get_absolute_url()).content.decode()
    line = project_credit_line(collection.project)
    assert "International Organization for Migration" in line
    assert "UN Women" in line and "World Bank" in line and "UK Government" in line
    assert line in html.replace("&#x27;", "'")
    donor = Participation.objects.get(project=collection.project, role="donor")
    donor.organisation = Organisation.objects.create(key="norway", name="Government of Norway")
    with django_capture_on_commit_callbacks(execute=True):  # the catalogue's version changes on commit
        donor.save()
    assert "Government of Norway" in client.get(collection.get_absolute_url()).content.decode()


def test_credit_line_names_only_the_project_when_it_has_no_partners(db):
    from mediateka.mission.models import ThematicArea

    area = ThematicArea.objects.create(key="a", name="Area")
    project = Project.objects.create(key="p", title="Test Programme", area=area)
    assert project_credit_line(None) == ""
    assert project_credit_line(project) == "Created under the Test Programme."
    iom = Organisation.objects.create(key="iom", name="IOM")
    Participation.objects.create(project=project, organisation=iom, role="implementing")
    assert project_credit_line(project) == "Created under the Test Programme, which is implemented by IOM."


def test_publishing_sets_the_published_date(db):
    film = Film.objects.create(slug="f", title="F")
    assert film.published_at is None
    film.status = Status.PUBLISHED
    film.save()
    assert film.published_at is not None
