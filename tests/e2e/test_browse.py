import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import screenshot

pytestmark = pytest.mark.e2e

TODAY = {
    "en": ["12 active projects", "7 thematic service areas", "More than 30 staff members", "November 1994"],
    "ru": ["12 действующих проектов", "7 тематических областях", "Более 30 сотрудников", "ноября 1994"],
    "tg": ["12 лоиҳаи амалкунанда", "7 самти", "Зиёда аз 30 корманд", "ноябри соли 1994"],
}


@pytest.mark.parametrize("language", ["en", "ru", "tg"])
def test_visitor_reads_the_today_panel_and_follows_a_film(live_site, page, language):
    origins = set()
    page.on("request", lambda request: origins.add(re.match(r"^[a-z]+://[^/]+", request.url).group(0)))
    page.goto(f"{live_site['url']}/{language}/")
    panel = page.locator("section.today").inner_text()
    for figure in TODAY[language]:
        assert figure in panel
    screenshot(page, f"home-{language}")
    page.locator("ul.cards h3 a").first.click()
    page.wait_for_load_state()
    assert re.search(rf"/{language}/films/[\w-]+/$", page.url)
    assert page.locator("h1").inner_text().strip()
    assert page.locator("html").get_attribute("lang") == language
    assert origins == {live_site["url"]}


def test_language_switcher_keeps_the_film(live_site, page):
    page.goto(f"{live_site['url']}/en/films/were-going-to-moscow/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Тоҷикӣ").click()
    page.wait_for_load_state()
    assert page.url.endswith("/tg/films/were-going-to-moscow/")


# Every kind of public page, in each language (the embed: tests/e2e/test_embed.py).
PUBLIC_PAGES = [
    "/{lang}/",
    "/{lang}/films/",
    "/{lang}/films/?kind=psa",
    "/{lang}/films/were-going-to-moscow/",
    "/{lang}/collections/carmp-public-service-announcements/",
    "/{lang}/mission/",
    "/{lang}/search/?q=migrant",
    "/{lang}/search/?q=qqqzzz",
    "/{lang}/reach/",
    "/{lang}/reach/?by=month",
    "/{lang}/reach/projects/carmp/",
    "/{lang}/sign-in/",
    "/{lang}/no-such-page/",
]


@pytest.mark.parametrize("language", ["en", "ru", "tg"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_axe_finds_no_accessibility_violations(live_site, page, path, language):
    page.goto(live_site["url"] + path.format(lang=language))
    results = Axe().run(page)
    screenshot(page, "axe-" + re.sub(r"[^\w-]+", "-", path.format(lang=language)).strip("-"))
    assert results.violations_count == 0, results.generate_report()


def test_pages_fit_a_320_pixel_screen(live_site, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ["/tg/", "/ru/films/", "/tg/films/were-going-to-moscow/", "/ru/mission/"]:
        page.goto(live_site["url"] + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    context.close()


def test_film_cards_show_small_lazy_pictures_on_a_phone(live_site, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    pictures: dict[str, int] = {}
    page.on("response", lambda r: "/still-" in r.url and pictures.__setitem__(r.url, len(r.body())))
    page.goto(live_site["url"] + "/ru/films/")
    page.wait_for_load_state("networkidle")
    cards = page.eval_on_selector_all(
        "ul.cards img.pic",
        "all => all.map((i) => [i.loading, i.complete && i.naturalWidth > 0, i.currentSrc])",
    )
    assert len(cards) == page.locator("ul.cards li.card").count() > 2
    assert all(loading == "lazy" for loading, _shown, _src in cards)
    assert cards[0][1] and cards[0][2].endswith("/still-160.jpg")  # the first card, on a 1x screen
    assert pictures and all(size <= 4 * 1024 for size in pictures.values()), pictures
    screenshot(page, "film-cards-320-ru")
    context.close()


def test_every_reach_table_fits_a_1280_pixel_screen_and_explains_per_film_sums(live_site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    for by in ["film", "theme", "project", "region", "month"]:
        for language in ["en", "ru", "tg"]:
            page.goto(f"{live_site['url']}/{language}/reach/?by={by}")
            overflow = page.eval_on_selector_all(
                ".table-scroll", "boxes => boxes.map(box => box.scrollWidth - box.clientWidth)"
            )
            assert overflow and max(overflow) <= 0, (by, language, overflow)
        note = page.locator("[data-overlap-note]")
        assert note.count() == (1 if by in ("film", "theme", "project") else 0), by
    context.close()


@pytest.mark.parametrize("language", ["ru", "tg"])
def test_search_on_a_phone_shows_results_first_and_folds_the_filters(live_site, browser, language):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_site['url']}/{language}/search/?q=мигрант")  # a typo-free word in both
    first_hit = page.locator(".hit").first.bounding_box()
    box = page.locator("details.facets-box")
    assert box.get_attribute("open") is None and first_hit["y"] < box.bounding_box()["y"]
    assert not page.locator(".facets input[type=checkbox]").first.is_visible()
    box.locator("summary").click()
    boxes = page.locator(".facets label").all()[:4]
    assert boxes
    for label in boxes:  # each box sits on its label's line, the same size
        check = label.locator("input").bounding_box()
        line = label.bounding_box()
        assert line["y"] <= check["y"] and check["y"] + check["height"] <= line["y"] + line["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    assert page.locator("details.facets-box").get_attribute("open") is not None
    assert page.locator(".facets").bounding_box()["x"] < page.locator(".hit").first.bounding_box()["x"]
    context.close()
