"""Films that travel without a connection, in a real Chromium against the real server: the site is
installable, a film's 144p rung is saved with its Tajik captions, plays with the network gone, and
leaves the device once it is unpublished; a save cut off half-way resumes without fetching again what
it stored; a device without the space says how much is needed.
"""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.live import django_script

from .conftest import screenshot
from .test_player import _until

pytestmark = pytest.mark.e2e

FILMS = {"travels": "a-film-that-travels", "resumed": "a-film-saved-in-two-goes"}
VIDEO = "document.querySelector('[data-offline-player] video')"
SAVE = "document.querySelector('[data-save]')"
SEGMENT = re.compile(r"/144p/seg_\d+\.m4s$")
CUE = "Салом, муҳоҷир"


def prepare(encoded_folder: str) -> None:
    """Runs in the live site's environment: two published films, each with a Tajik version playing
    the test run's encoded film, with Tajik and Russian subtitles and English chapters."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils.crypto import get_random_string

    from mediateka.catalogue.models import Film
    from mediateka.video.models import CaptionTrack
    from tests.media import encode_once, playable_copy

    encoded = encode_once(Path(encoded_folder))
    texts = {"tg": [CUE, "Роҳи бехатар"], "ru": ["Здравствуй", "Безопасный путь"]}
    for slug in FILMS.values():
        film, _created = Film.objects.get_or_create(
            slug=slug, defaults={"title": f"Offline test: {slug}", "status": "published"}
        )
        video = playable_copy(encoded, film, "tg")
        tracks = [(code, "subtitles", cues) for code, cues in texts.items()]
        for code, kind, cues in [*tracks, ("en", "chapters", ["Leaving", "Arriving"])]:
            body = "".join(
                f"00:{5 * i:02}.200 --> 00:{5 * i + 4:02}.800\n{cue}\n\n" for i, cue in enumerate(cues)
            )
            name = default_storage.save(
                f"captions/{get_random_string(24)}/{code}-{kind}.vtt",
                ContentFile(f"WEBVTT\n\n{body}".encode()),
            )
            CaptionTrack.objects.create(video=video, language=code, kind=kind, file=name, cue_count=len(cues))


@pytest.fixture(scope="module")
def site(live_site, encoded_film):
    folder = str(encoded_film.source.parent)
    django_script(live_site["env"], f"from tests.e2e.test_offline import prepare; prepare({folder!r})")
    return live_site


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield context
    context.close()


def _registered(page) -> bool:
    return page.evaluate("navigator.serviceWorker.getRegistration('/').then((r) => !!r)")


def _save(page, rung: str = "144p") -> None:
    page.click("[data-save-open]")
    page.check(f"input[name=rung-tg][value='{rung}']")
    page.click("#save-form button[type=submit]")


def _cached(page, slug: str, pattern: str) -> list[str]:
    return page.evaluate(
        """async ([name, pattern]) => {
            if (!(await caches.has(name))) return [];
            const keys = await (await caches.open(name)).keys();
            return keys.map((r) => r.url).filter((url) => new RegExp(pattern).test(url));
        }""",
        [f"mediateka-film-{slug}", pattern],
    )


def _play_offline(page, url: str, slug: str, engine: str) -> None:
    page.goto(f"{url}/tg/offline/" + ("?player=hlsjs" if engine == "hlsjs" else ""))
    _until(page, "document.querySelector('[data-offline-page]').dataset.ready === 'true'")
    item = page.locator(f"[data-saved-list] li[data-film='{slug}']")
    assert item.get_attribute("data-state") == "complete"
    assert "144p" in item.inner_text() and "МБ" in item.inner_text()  # Django's own Tajik "%s MB"
    item.locator("[data-action=play]").click()
    page.evaluate(f"{VIDEO}.muted = true; {VIDEO}.play().catch(() => null)")
    assert page.get_attribute("[data-offline-page]", "data-engine") == engine
    # Frames advance, and the Tajik subtitles (the page's language) show their first cue.
    try:
        _until(page, f"{VIDEO}.currentTime > 1.5 && !{VIDEO}.paused", timeout=30)
    except AssertionError:
        state = f"(v => [v.src, v.readyState, v.error && v.error.message, v.currentTime])({VIDEO})"
        raise AssertionError(f"not playing: {page.evaluate(state)}") from None
    _until(
        page,
        f"""Array.from({VIDEO}.textTracks).some((t) => t.language === 'tg' && t.mode === 'showing'
            && Array.from(t.activeCues || []).some((c) => c.text === {CUE!r}))""",
    )
    # The chapters came from the saved chapters track.
    _until(page, "document.querySelectorAll('[data-offline-chapters] li').length === 2")
    screenshot(page, f"offline-play-{engine}")


def test_a_saved_film_plays_offline_and_leaves_when_unpublished(site, context):
    url, slug = site["url"], FILMS["travels"]
    page = context.new_page()
    page.goto(f"{url}/tg/films/{slug}/")
    manifest = page.get_attribute("link[rel=manifest]", "href")
    assert manifest == "/tg/manifest.webmanifest"
    answer = page.request.get(url + manifest)
    assert answer.ok and answer.json()["lang"] == "tg" and answer.json()["icons"]
    page.wait_for_timeout(500)
    assert not _registered(page)  # a plain visit loads no worker and no offline code
    assert not [
        r
        for r in page.evaluate("performance.getEntries().map((e) => e.name)")
        if "offline.js" in r or "sw.js" in r
    ]

    _save(page)
    _until(page, f"{SAVE}.dataset.state === 'complete'", timeout=60)
    assert _registered(page)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    assert len(_cached(page, slug, r"/144p/seg_\d+\.m4s$")) >= 2
    assert _cached(page, slug, r"\.vtt$") and _cached(page, slug, r"/144p/init\.mp4$")
    assert not _cached(page, slug, r"/(240p|360p|audio)/")  # the one rung asked for
    screenshot(page, "offline-saved")

    context.set_offline(True)
    page.reload()  # no network: the worker answers with the offline page
    page.wait_for_selector("[data-offline-page]")
    assert page.evaluate("fetch('/healthz').then(() => 'online', () => 'offline')") == "offline"
    _play_offline(page, url, slug, "native")
    _play_offline(page, url, slug, "hlsjs")

    context.set_offline(False)
    django_script(
        site["env"],
        f"from mediateka.catalogue.models import Film\nf = Film.objects.get(slug={slug!r})\n"
        "f.status = 'draft'\nf.save()",
    )
    page.goto(f"{url}/tg/offline/")
    _until(page, "document.querySelector('[data-offline-page]').dataset.ready === 'true'")
    assert page.locator(f"[data-saved-list] li[data-film='{slug}']").count() == 0
    assert not page.evaluate(f"caches.has('mediateka-film-{slug}')")
    assert slug in page.inner_text("[data-offline-status]") or "Offline test" in page.inner_text(
        "[data-offline-status]"
    )


def test_a_save_cut_off_half_way_resumes_without_fetching_again(site, context):
    url, slug = site["url"], FILMS["resumed"]
    page = context.new_page()
    served: list[str] = []

    def cut_after_two(route):
        if len(served) >= 2:
            route.abort("internetdisconnected")
        else:
            served.append(route.request.url)
            route.continue_()

    context.route(SEGMENT, cut_after_two)
    page.goto(f"{url}/tg/films/{slug}/")
    page.click("[data-save-open]")
    chooser = Axe().run(page)  # the chooser open
    assert chooser.violations_count == 0, chooser.generate_report()
    page.click("[data-save-open]")
    _save(page)
    _until(page, f"{SAVE}.dataset.state === 'partial'", timeout=60)
    # The message names the button to press, in the page's language.
    assert f"«{page.inner_text('[data-save-resume]')}»" in page.inner_text("[data-save-status]")
    stored = _cached(page, slug, SEGMENT.pattern)
    assert sorted(stored) == sorted(served) and len(stored) == 2
    context.unroute(SEGMENT)

    # The person comes back later: the page offers to resume, and only the missing files are fetched.
    fetched: list[str] = []
    context.on("request", lambda request: fetched.append(request.url))
    page.reload()
    _until(page, f"{SAVE}.dataset.state === 'partial'")
    assert page.is_visible("[data-save-resume]")
    page.click("[data-save-resume]")
    _until(page, f"{SAVE}.dataset.state === 'complete'", timeout=60)
    segments = [u for u in fetched if SEGMENT.search(u)]
    assert segments and not set(segments) & set(served)
    assert len(_cached(page, slug, SEGMENT.pattern)) == 2 + len(set(segments))
    assert "%" not in page.inner_text("[data-save-status]")
    # The offline page lists it as complete.
    page.goto(f"{url}/en/offline/")
    _until(page, "document.querySelector('[data-offline-page]').dataset.ready === 'true'")
    assert page.get_attribute(f"li[data-film='{slug}']", "data-state") == "complete"
    listed = Axe().run(page)
    assert listed.violations_count == 0, listed.generate_report()
    # Removed from the offline page: its files go too.
    page.click(f"li[data-film='{slug}'] [data-action=remove]")
    _until(page, f"!document.querySelector(\"li[data-film='{slug}']\")")
    assert not page.evaluate(f"caches.has('mediateka-film-{slug}')")


def test_a_device_without_the_space_says_how_much_is_needed(site, context):
    # The browser reports 100 KB free: less than the film needs.
    context.add_init_script(
        "navigator.storage.estimate = () => Promise.resolve({quota: 1048576, usage: 1048576 - 102400});"
    )
    page = context.new_page()
    page.goto(f"{site['url']}/en/films/{FILMS['resumed']}/")
    needed = int(page.get_attribute("input[name=rung-tg][value='144p']", "data-bytes"))
    assert needed > 150_000
    _save(page)
    _until(page, f"{SAVE}.dataset.state === 'partial'", timeout=30)
    said = page.inner_text("[data-save-status]")
    assert "Not enough space" in said and "0.1 MB free" in said, said
    assert re.search(r"needs 0\.[12] MB", said), said  # what is left to fetch: all but the playlist
    assert not _cached(page, FILMS["resumed"], SEGMENT.pattern)  # nothing was fetched in vain
    # What was stored (the playlist) is removed from the film page itself.
    page.click("[data-save-remove]")
    _until(page, f"{SAVE}.dataset.state === ''")
    assert not page.evaluate(f"caches.has('mediateka-film-{FILMS['resumed']}')")


def test_a_file_the_site_will_not_send_is_told_apart_and_the_offline_page_resumes_the_save(site, context):
    context.route(SEGMENT, lambda route: route.fulfill(status=404, body="gone"))
    page = context.new_page()
    page.goto(f"{site['url']}/en/films/{FILMS['resumed']}/")
    _save(page)
    _until(page, f"{SAVE}.dataset.state === 'partial'", timeout=30)
    said = page.inner_text("[data-save-status]")
    assert "did not send a file of the film (error 404)" in said and "connection" not in said, said
    # Once the site sends the files again, the offline page resumes the save where it stopped.
    context.unroute(SEGMENT)
    slug = FILMS["resumed"]
    page.goto(f"{site['url']}/en/offline/")
    _until(page, "document.querySelector('[data-offline-page]').dataset.ready === 'true'")
    assert page.get_attribute(f"li[data-film='{slug}']", "data-state") == "partial"
    page.click(f"li[data-film='{slug}'] [data-action=resume]")
    _until(
        page, f"document.querySelector(\"li[data-film='{slug}']\").dataset.state === 'complete'", timeout=60
    )
    assert _cached(page, slug, SEGMENT.pattern)
