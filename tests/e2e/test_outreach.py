"""An outreach officer, created as docs/deploy.md says, signs in on the site and records a screening
on a phone; the film page's reach figure follows, and another organisation's officer cannot see it."""

import re

import pytest

from tests.live import django_script

from .conftest import screenshot

pytestmark = pytest.mark.e2e

FILM = "/en/films/were-going-to-moscow/"


def _reach(page, url) -> tuple[int, int]:
    page.goto(url)
    text = page.locator("[data-reach]").inner_text()
    found = re.search(r"Shown (\d+) times? to ([\d,]+) people", text)
    return (int(found[1]), int(found[2].replace(",", ""))) if found else (0, 0)


OFFICER = (
    "from django.contrib.auth.models import Group, User\n"
    "from mediateka.mission.models import Organisation\n"
    "from mediateka.outreach.models import Membership\n"
    "user = User.objects.create_user({name!r}, password='phone-officer-2013')\n"
    "user.groups.add(Group.objects.get(name='Outreach officer'))\n"
    "Membership.objects.create(user=user, organisation=Organisation.objects.exclude(key='targiot').first()"
    " if {other} else Organisation.objects.get(key='targiot'))\n"
)


def _sign_in(page, name: str, button: str) -> None:
    page.fill("#id_username", name)
    page.fill("#id_password", "phone-officer-2013")
    page.get_by_role("button", name=button).click()


def test_officer_records_a_screening_on_a_phone_and_the_film_reach_grows(live_site, page):
    django_script(live_site["env"], OFFICER.format(name="officer-e2e", other=False))
    screenings, people = _reach(page, live_site["url"] + FILM)

    page.goto(live_site["url"] + "/en/outreach/screenings/new/")
    page.wait_for_url(re.compile(r"/en/sign-in/\?next="))
    _sign_in(page, "officer-e2e", "Sign in")
    page.wait_for_url("**/en/outreach/screenings/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.set_viewport_size({"width": 360, "height": 780})
    boxes = page.eval_on_selector_all(
        "input[name=films]", "boxes => boxes.map(box => Math.round(box.getBoundingClientRect().width))"
    )
    assert len(boxes) > 1 and len(set(boxes)) == 1, boxes  # a title that wraps does not squeeze its box

    page.get_by_label("Date").fill("2014-05-17")
    page.get_by_label("District or city").select_option("rasht")
    page.get_by_label("Town or jamoat").fill("Jamoat Navdi")
    page.get_by_label("Venue").select_option("community")
    page.get_by_label("We're Going to Moscow").check()
    page.get_by_label("Facilitator").fill("Facilitator in the e2e test")
    page.get_by_label("People attending").fill("57")
    page.get_by_label("Women and girls").fill("31")
    page.get_by_label("Men and boys").fill("26")
    screenshot(page, "outreach-entry-form")
    page.get_by_role("button", name="Save the screening").click()
    page.wait_for_url("**/en/outreach/")
    assert "is saved" in page.locator(".messages").inner_text()

    assert _reach(page, live_site["url"] + FILM) == (screenings + 1, people + 57)
    screenshot(page, "outreach-film-reach")
    assert "Facilitator in the e2e test" not in page.content()


def test_officer_of_another_organisation_signs_in_in_russian_and_cannot_open_the_record(live_site, page):
    django_script(live_site["env"], OFFICER.format(name="officer-e2e-ru", other=True))
    record = django_script(
        live_site["env"],
        "from mediateka.outreach.models import Screening\n"
        "print(Screening.objects.filter(organisation__key='targiot').values_list('pk', flat=True).first())\n",
    ).strip()
    page.goto(live_site["url"] + "/ru/outreach/")
    page.wait_for_url(re.compile(r"/ru/sign-in/\?next="))
    assert page.locator("h1").inner_text() == "Войти"
    _sign_in(page, "officer-e2e-ru", "Войти")
    page.wait_for_url("**/ru/outreach/")
    assert "Вы вошли как officer-e2e-ru" in page.locator(".sign-out").inner_text()
    assert page.goto(f"{live_site['url']}/ru/outreach/screenings/{record}/").status == 404
    page.goto(live_site["url"] + "/ru/outreach/")
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url("**/ru/")
    assert page.goto(live_site["url"] + "/ru/outreach/").url.startswith(live_site["url"] + "/ru/sign-in/")
