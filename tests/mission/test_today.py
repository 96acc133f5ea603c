from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from mediateka.mission.models import Office, Project
from mediateka.mission.today import Today, today


@pytest.mark.parametrize(
    ("total", "floor", "exact"),
    [
        (0, 0, True),
        (7, 7, True),
        (9, 9, True),
        (10, 10, True),
        (30, 30, True),
        (35, 30, False),
        (129, 120, False),
    ],
)
def test_staff_figure_rounds_down_to_tens_and_is_exact_under_ten(total, floor, exact):
    figures = Today(member_since=None, active_projects=0, active_areas=0, staff_total=total)
    assert (figures.staff_floor, figures.staff_is_exact) == (floor, exact)


def test_today_is_counted_from_the_demo_records(demo):
    figures = today()
    assert figures.member_since.year == 1994 and figures.member_since.month == 11
    assert figures.active_projects == Project.objects.filter(status=2).count() == 12
    assert figures.active_areas == len({p.area_id for p in Project.objects.filter(status=2)}) == 7
    assert figures.staff_total == sum(Office.objects.values_list("head_count", flat=True))
    assert figures.staff_total > 30


@pytest.mark.parametrize(
    ("language", "projects", "areas", "staff", "since"),
    [
        (
            "en",
            "12 active projects",
            "in 7 thematic service areas",
            "More than 30 staff members",
            "November 1994",
        ),
        ("ru", "12 действующих проектов", "в 7 тематических областях", "Более 30 сотрудников", "ноября 1994"),
        ("tg", "12 лоиҳаи амалкунанда", "дар 7 самти", "Зиёда аз 30 корманд", "ноябри соли 1994"),
    ],
)
def test_home_page_shows_the_today_panel_in_each_language(
    client, demo, language, projects, areas, staff, since
):
    html = client.get(f"/{language}/").content.decode()
    for text in (projects, areas, staff, since):
        assert text in html


def test_closing_a_project_changes_the_count_on_the_home_page(
    client, demo, django_capture_on_commit_callbacks
):
    assert "12 active projects" in client.get("/en/").content.decode()
    project = Project.objects.filter(status=Project.Status.IMPLEMENTATION).first()
    project.status = Project.Status.CLOSED
    with django_capture_on_commit_callbacks(execute=True):  # the catalogue's version changes on commit
        project.save()
    html = client.get("/en/").content.decode()
    assert "11 active projects" in html
    assert "12 active projects" not in html


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1, "1 действующий проект"),
        (3, "3 действующих проекта"),
        (5, "5 действующих проектов"),
        (21, "21 действующий проект"),
    ],
)
def test_russian_uses_its_three_plural_forms(client, demo, count, text):
    active = list(Project.objects.active().order_by("pk"))
    Project.objects.filter(pk__in=[p.pk for p in active[count:]]).update(status=Project.Status.CLOSED)
    if count > len(active):
        area = active[0].area
        for n in range(count - len(active)):
            Project.objects.create(
                key=f"extra-{n}", title="Extra", area=area, status=Project.Status.IMPLEMENTATION
            )
    with translation.override("ru"):
        html = client.get(reverse("web:home")).content.decode()
    assert text in html


def test_mission_page_lists_areas_with_their_active_projects_and_offices(client, demo):
    html = unescape(client.get("/en/mission/").content.decode())
    active = Project.objects.active().select_related("area")
    for project in active:
        assert project.title_en in html
        assert project.area.name_en in html
    assert "Khujand" in html
    closed = Project.objects.exclude(status=Project.Status.IMPLEMENTATION).first()
    assert closed is not None and closed.title_en not in html
