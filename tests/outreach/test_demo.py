"""The demo's sample screenings: marked as samples everywhere, and replaced, not doubled, on a rerun."""

from mediateka.outreach.demo import add_sample_outreach
from mediateka.outreach.models import Broadcast, MonthlyReach, Screening


def test_demo_adds_sample_records_that_the_pages_mark(client, demo):
    made = add_sample_outreach()
    assert made["screenings"] > 20 and made["broadcasts"] == 3
    assert not Screening.objects.filter(is_sample=False).exists()
    assert not Broadcast.objects.filter(is_sample=False).exists()
    for screening in Screening.objects.all():
        screening.full_clean()  # the made-up figures obey the rules
    html = client.get("/en/reach/").content.decode()
    assert f"These figures include {made['screenings']} sample screenings" in html
    assert "Includes sample screenings" in client.get("/en/films/tver-migrant-hiv/").content.decode()


def test_running_the_demo_again_replaces_the_samples(demo):
    first = add_sample_outreach()
    total = MonthlyReach.objects.overall().totals()["attendees"]
    again = add_sample_outreach()
    assert again == first
    assert Screening.objects.count() == first["screenings"]
    assert MonthlyReach.objects.overall().totals()["attendees"] == total
