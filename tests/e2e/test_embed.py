"""The embed in a partner's page: at the size oEmbed gives, the picture, the quality chooser (audio
only included) and the attribution all show, in each language, and axe finds nothing."""

import json
import re
import urllib.parse
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("language", ["en", "ru", "tg"])
def test_the_embed_fits_the_frame_oembed_gives(live_site, browser, language):
    film = f"{live_site['url']}/{language}/films/were-going-to-moscow/"
    with urllib.request.urlopen(f"{live_site['url']}/oembed?url={urllib.parse.quote(film)}") as answer:  # noqa: S310
        data = json.load(answer)
    src = re.search(r'src="([^"]+)"', data["html"])[1]
    context = browser.new_context(viewport={"width": data["width"], "height": data["height"]})
    page = context.new_page()
    page.goto(src)
    expect(page.locator(".player-options")).to_be_visible()
    assert page.locator("#player-quality option").count() >= 3  # automatic, a picture, audio only
    for part in ("video", "#player-quality", ".embed-source a"):
        box = page.locator(part).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= data["height"] + 0.5, part
    video = page.locator("video").bounding_box()
    assert video["height"] >= 0.6 * data["height"]  # the picture keeps most of the frame
    assert page.evaluate("document.documentElement.scrollHeight") <= data["height"]
    screenshot(page, f"embed-{language}")
    results = Axe().run(page)
    context.close()
    assert results.violations_count == 0, results.generate_report()
