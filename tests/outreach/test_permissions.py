"""Officers keep their own organisation's records; editors read all; nobody else reads any."""

import pytest

from mediateka.outreach.models import Broadcast, Screening

from .conftest import make_screening


@pytest.fixture
def records(org_a, org_b, catalogue):
    films = catalogue["films"]
    a = make_screening(org_a, [films["hiv-one"]], facilitator="Facilitator of A")
    b = make_screening(org_b, [films["hiv-two"]], facilitator="Facilitator of B", notes="Note of B")
    broadcast_b = Broadcast.objects.create(
        organisation=org_b, channel="Channel of B", aired_at="2013-01-01T10:00Z", film=films["hiv-one"]
    )
    return {"a": a, "b": b, "broadcast_b": broadcast_b}


def test_officer_lists_only_their_organisations_records(client, officer_a, records):
    client.force_login(officer_a)
    html = client.get("/en/outreach/").content.decode()
    assert f"/en/outreach/screenings/{records['a'].pk}/" in html
    assert f"/en/outreach/screenings/{records['b'].pk}/" not in html
    assert "Channel of B" not in html


@pytest.mark.parametrize("url", ["/en/outreach/screenings/{b}/", "/en/outreach/broadcasts/{broadcast_b}/"])
def test_officer_cannot_open_or_change_another_organisations_record(client, officer_a, records, url):
    client.force_login(officer_a)
    address = url.format(b=records["b"].pk, broadcast_b=records["broadcast_b"].pk)
    assert client.get(address).status_code == 404
    assert client.post(address, {"attendees": "1", "channel": "Hacked"}).status_code == 404
    records["b"].refresh_from_db()
    records["broadcast_b"].refresh_from_db()
    assert records["b"].attendees == 40 and records["broadcast_b"].channel == "Channel of B"


def test_officer_edits_their_own_record(client, officer_a, records):
    client.force_login(officer_a)
    page = client.get(f"/en/outreach/screenings/{records['a'].pk}/")
    assert page.status_code == 200 and 'name="attendees"' in page.content.decode()


def test_officer_in_the_admin_sees_and_changes_only_their_organisation(client, officer_a, records):
    assert client.get("/admin/outreach/screening/").status_code == 302  # officers are not staff
    officer_a.is_staff = True  # an officer an administrator also lets into the admin
    officer_a.save()
    client.force_login(officer_a)
    listing = client.get("/admin/outreach/screening/").content.decode()
    assert f"/admin/outreach/screening/{records['a'].pk}/change/" in listing
    assert f"/admin/outreach/screening/{records['b'].pk}/change/" not in listing
    assert (
        client.get(f"/admin/outreach/screening/{records['b'].pk}/change/").status_code == 302
    )  # "doesn't exist"
    assert (
        client.post(f"/admin/outreach/screening/{records['b'].pk}/delete/", {"post": "yes"}).status_code
        == 302
    )
    assert Screening.objects.filter(pk=records["b"].pk).exists()
    assert client.get(f"/admin/outreach/broadcast/{records['broadcast_b'].pk}/change/").status_code == 302
    assert client.get("/admin/outreach/membership/").status_code == 403


def test_editor_reads_every_organisations_records_but_changes_none(client, editor, records):
    client.force_login(editor)
    listing = client.get("/en/outreach/").content.decode()
    assert f"/en/outreach/screenings/{records['a'].pk}/" in listing
    assert f"/en/outreach/screenings/{records['b'].pk}/" in listing
    detail = client.get(f"/en/outreach/screenings/{records['b'].pk}/").content.decode()
    assert "Facilitator of B" in detail and 'name="attendees"' not in detail
    client.post(f"/en/outreach/screenings/{records['b'].pk}/", {"attendees": "1"})
    records["b"].refresh_from_db()
    assert records["b"].attendees == 40
    assert client.get("/en/outreach/screenings/new/").status_code == 403


def test_officer_without_an_organisation_cannot_record(client, outreach_officer, catalogue):
    client.force_login(outreach_officer)
    assert client.get("/en/outreach/screenings/new/").status_code == 403
    assert client.get("/en/outreach/").status_code == 403


@pytest.mark.parametrize("url", ["/en/outreach/", "/en/outreach/screenings/new/", "/en/outreach/import/"])
def test_visitors_are_sent_to_sign_in(client, url, db):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/en/sign-in/?next={url}"


def test_outsider_reads_no_records(client, outsider, records):
    client.force_login(outsider)
    assert client.get("/en/outreach/").status_code == 403
    assert client.get(f"/en/outreach/screenings/{records['a'].pk}/").status_code == 404
    assert not Screening.objects.visible_to(outsider).exists()


def test_querysets_scope_reads_and_writes(officer_a, officer_b, editor, admin_user, records):
    assert set(Screening.objects.visible_to(officer_a)) == {records["a"]}
    assert set(Screening.objects.editable_by(officer_b)) == {records["b"]}
    assert set(Screening.objects.visible_to(editor)) == {records["a"], records["b"]}
    assert not Screening.objects.editable_by(editor).exists()
    assert Screening.objects.editable_by(admin_user).count() == 2
