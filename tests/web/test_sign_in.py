"""An outreach officer created as docs/deploy.md says (no staff status) signs in on the site itself."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from mediateka.catalogue import roles
from mediateka.mission.models import Organisation
from mediateka.outreach.models import Membership

PASSWORD = "phone-officer-2013"


@pytest.fixture
def officer(django_user_model):
    """Exactly the documented steps: a user, the group, a membership; staff status left unticked."""
    user = django_user_model.objects.create_user("dilnoza", email="dilnoza@ngo.example", password=PASSWORD)
    user.groups.add(Group.objects.get(name=roles.OUTREACH_OFFICER))
    organisation = Organisation.objects.create(key="ngo-a", name="NGO Alpha", kind="ngo")
    Membership.objects.create(user=user, organisation=organisation)
    return user


def test_an_officer_is_sent_to_the_sites_sign_in_in_their_language_then_to_the_page_asked(client, officer):
    asked = client.get("/ru/outreach/")
    assert asked.status_code == 302 and asked["Location"] == "/ru/sign-in/?next=/ru/outreach/"
    form = client.get(asked["Location"])
    assert form.status_code == 200 and 'lang="ru"' in form.content.decode()
    assert "Войти" in form.content.decode() and "staff" not in form.content.decode()

    signed_in = client.post(
        asked["Location"], {"username": "dilnoza", "password": PASSWORD, "next": "/ru/outreach/"}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/ru/outreach/"
    records = client.get("/ru/outreach/").content.decode()
    assert "NGO Alpha" in records and "dilnoza" in records
    assert client.get("/ru/outreach/screenings/new/").status_code == 200


def test_without_a_page_asked_each_person_lands_where_their_work_is(client, officer, admin_user):
    response = client.post("/tg/sign-in/", {"username": "dilnoza", "password": PASSWORD})
    assert response["Location"] == "/tg/outreach/"
    client.post("/en/sign-out/")
    admin_user.set_password(PASSWORD)
    admin_user.save()
    response = client.post("/en/sign-in/", {"username": admin_user.username, "password": PASSWORD})
    assert response["Location"] == "/admin/"


def test_a_wrong_password_says_so_and_signs_nobody_in(client, officer):
    response = client.post("/en/sign-in/", {"username": "dilnoza", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert client.get("/en/outreach/").status_code == 302


def test_the_sign_in_sends_nobody_to_another_site(client, officer):
    response = client.post(
        "/en/sign-in/?next=https://evil.example/", {"username": "dilnoza", "password": PASSWORD}
    )
    assert response["Location"] == "/en/outreach/"


def test_signing_out_takes_a_post_and_ends_the_session(client, officer):
    client.force_login(officer)
    page = client.get("/en/outreach/").content.decode()
    assert 'action="/en/sign-out/"' in page
    assert client.post("/en/sign-out/").status_code == 302
    assert client.get("/en/outreach/").status_code == 302


def test_an_officer_the_admin_refuses_is_pointed_to_the_site(client, officer):
    client.force_login(officer)
    response = client.get("/admin/", follow=True)
    assert response.request["PATH_INFO"] == "/admin/login/"
    assert 'href="/en/outreach/"' in response.content.decode()


def test_an_account_missing_its_organisation_is_told_what_to_ask_for(client, outreach_officer):
    client.force_login(outreach_officer)
    response = client.get("/en/outreach/")
    assert response.status_code == 403
    assert "Outreach officer" in response.content.decode() and "organisation" in response.content.decode()


def test_without_email_there_is_no_reset_and_the_page_says_whom_to_ask(client, db, settings):
    settings.EMAIL_HOST = ""
    assert "Ask the administrator" in client.get("/en/sign-in/").content.decode()
    assert client.get("/en/password-reset/").status_code == 404


def test_with_email_an_officer_resets_a_forgotten_password_in_their_language(client, officer, settings):
    settings.EMAIL_HOST = "smtp.ngo.example"
    assert 'href="/tg/password-reset/"' in client.get("/tg/sign-in/").content.decode()
    sent = client.post("/tg/password-reset/", {"email": "dilnoza@ngo.example"})
    assert sent["Location"] == "/tg/password-reset/sent/"
    assert client.post("/tg/password-reset/", {"email": "nobody@ngo.example"}).status_code == 302
    assert len(mail.outbox) == 1  # nothing is sent, or said, about an unknown address
    link = re.search(r"http://testserver(/tg/password-reset/\S+/)", mail.outbox[0].body)[1]
    assert "dilnoza" in mail.outbox[0].body

    chooser = client.get(link, follow=True)
    assert chooser.status_code == 200
    new = "a-new-phone-password-7"
    done = client.post(chooser.request["PATH_INFO"], {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/tg/password-reset/done/"
    assert client.get(link, follow=True).context["validlink"] is False  # the link works once
    client.post("/tg/sign-out/")
    assert (
        client.post("/tg/sign-in/", {"username": "dilnoza", "password": new})["Location"] == "/tg/outreach/"
    )


def test_the_documented_admin_steps_make_an_officer_who_can_sign_in(client, admin_client):
    """docs/deploy.md, "People and what they may do", step by step in the admin."""
    organisation = Organisation.objects.create(key="ngo-b", name="NGO Beta", kind="ngo")
    added = admin_client.post(
        "/admin/auth/user/add/",
        {"username": "farrukh", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert added.status_code == 302, added.context["adminform"].form.errors
    user = Membership._meta.get_field("user").related_model.objects.get(username="farrukh")
    page = admin_client.get(added["Location"]).content.decode()
    assert "Outreach membership" in page
    officers = Group.objects.get(name=roles.OUTREACH_OFFICER)
    changed = admin_client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {
            "username": "farrukh",
            "email": "farrukh@ngo.example",
            "is_active": "on",
            "groups": [officers.pk],
            "date_joined_0": "2026-12-07",
            "date_joined_1": "10:00:00",
            "outreach_membership-TOTAL_FORMS": "1",
            "outreach_membership-INITIAL_FORMS": "0",
            "outreach_membership-0-organisation": organisation.pk,
            "outreach_membership-0-user": user.pk,
        },
    )
    assert changed.status_code == 302, changed.context["adminform"].form.errors
    assert (
        client.post("/en/sign-in/", {"username": "farrukh", "password": PASSWORD})["Location"]
        == "/en/outreach/"
    )
    assert "NGO Beta" in client.get("/en/outreach/").content.decode()
