import pytest

from mediateka.catalogue.models import Film, Status

ADMIN_PAGES = [
    "/admin/catalogue/film/",
    "/admin/catalogue/collection/",
    "/admin/catalogue/theme/",
    "/admin/mission/project/",
    "/admin/mission/organisation/",
    "/admin/video/video/",
    "/admin/video/captiontrack/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_editor_can_open_every_catalogue_list(client, demo, editor, url):
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_film_form_puts_the_three_languages_side_by_side(client, demo, editor):
    client.force_login(editor)
    film = Film.objects.get(slug="were-going-to-moscow")
    html = client.get(f"/admin/catalogue/film/{film.pk}/change/").content.decode()
    row = html.split('class="form-row field-title_en field-title_ru field-title_tg')[1].split(
        'class="form-row'
    )[0]
    for name in ("title_en", "title_ru", "title_tg"):
        assert f'name="{name}"' in row
    assert f"/upload/?film={film.pk}" in html
    assert f"/admin/video/video/?film__id__exact={film.pk}" in html
    assert client.get(f"/admin/video/video/?film__id__exact={film.pk}").status_code == 200


def test_editor_can_publish_a_draft_and_the_public_then_sees_it(client, demo, editor):
    film = Film.objects.get(slug="were-going-to-moscow")
    Film.objects.filter(pk=film.pk).update(status=Status.DRAFT)
    client.force_login(editor)
    form = client.get(f"/admin/catalogue/film/{film.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "status": Status.PUBLISHED,
            "themes": [t.pk for t in film.themes.all()],
            "published_at_0": "",
            "published_at_1": "",
            "credits-TOTAL_FORMS": "0",
            "credits-INITIAL_FORMS": "0",
            "videos-TOTAL_FORMS": "0",  # the versions, shown read-only
            "videos-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if k not in ("published_at", "collection", "project", "year")}
    response = client.post(f"/admin/catalogue/film/{film.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    assert client.get(film.get_absolute_url()).status_code == 200


def test_outreach_officer_reads_the_catalogue_but_cannot_change_it(client, demo, outreach_officer):
    client.force_login(outreach_officer)
    film = Film.objects.first()
    assert client.get("/admin/catalogue/film/").status_code == 200
    assert client.get(f"/admin/catalogue/film/{film.pk}/change/").status_code == 200
    response = client.post(f"/admin/catalogue/film/{film.pk}/change/", {"title_en": "Hijacked"})
    assert response.status_code == 403
    film.refresh_from_db()
    assert film.title_en != "Hijacked"
    assert client.get("/admin/mission/project/").status_code == 403


def test_outsider_is_sent_to_sign_in(client, demo, outsider):
    client.force_login(outsider)
    assert client.get("/admin/catalogue/film/").status_code == 302
