"""An editor uploads a file on the upload page; the page follows the server's check of it to the end."""

import re

import pytest
from playwright.sync_api import expect

from tests.live import mediateka
from tests.video.clips import make_clip
from tests.video.live_upload import query, running_site

pytestmark = pytest.mark.e2e


def test_the_upload_page_follows_the_check_and_shows_why_the_file_was_refused(browser, tmp_path):
    notes = tmp_path / "notes.mp4"
    notes.write_text("Minutes of the partners' meeting, not a film.\n" * 400)
    with running_site(tmp_path / "data") as site:
        context = browser.new_context()
        context.add_cookies([{"name": "sessionid", "value": site.session, "url": site.url}])
        page = context.new_page()
        page.goto(f"{site.url}/upload/?film={site.film}")
        # An upload a reload interrupted is listed for resuming; one the server has forgotten is dropped.
        interrupted = site.create(3_145_728)
        gone = "/upload/00000000-0000-0000-0000-000000000000"
        page.evaluate(
            """([film, interrupted, gone]) => {
                localStorage.setItem(`mediateka.upload:interview.mp4:3145728:1:${film}:ru`, interrupted);
                localStorage.setItem(`mediateka.upload:lost.mp4:5:1:${film}:tg`, gone);
            }""",
            [str(site.film), interrupted, gone],
        )
        page.reload()
        expect(page.locator("#unfinished li")).to_have_text(["interview.mp4 (ru, 0.0 / 3.0 MB)"])
        kept = "() => Object.keys(localStorage).filter(key => key.startsWith('mediateka.upload:'))"
        for _ in range(50):  # the page forgets the expired upload once the server has said so
            if len(page.evaluate(kept)) == 1:
                break
            page.wait_for_timeout(100)
        assert page.evaluate(kept) == [f"mediateka.upload:interview.mp4:3145728:1:{site.film}:ru"]
        page.set_input_files("#file", str(notes))
        page.click("#upload-form button[type=submit]")
        status = page.locator("#upload-status")
        # Every byte is stored: the page says so at once, and keeps asking while the file waits.
        expect(status).to_have_text("Upload complete: Checking the file", timeout=30_000)
        worker = mediateka(site.env, "worker", "--batch", timeout=120)  # runs the check, then exits
        assert worker.returncode == 0, worker.stderr[-3000:]
        expect(status).to_have_text(
            re.compile(r"^Refused: The (container is unreadable|file extension \.mp4 does not match)"),
            timeout=30_000,
        )
        context.close()
        # The refusal leaves its reason and nothing else: no version, no file (the interrupted upload
        # waits for its resume; it has no file before its first byte).
        states = query(site.env, "SELECT state FROM video_upload ORDER BY state")
        assert [state for (state,) in states] == ["receiving", "refused"]
        assert query(site.env, "SELECT count(*) FROM video_video") == [(0,)]
        assert not list((tmp_path / "data" / "uploads").iterdir())


SRT = "1\n00:00:00,200 --> 00:00:01,500\nМы едем в Москву\n"


EDITOR_SEES = {
    "en": {
        "title": "Interview with a returning migrant",
        "warning": "no version of it plays yet",
        "upload": "Upload a video file",
        "header": "Mediateka administration",
        "ready": "The video is ready.",
        "see": "See the film's page",
        "captions": "Add captions",
        "saved": "The captions are saved.",
        "russian": "Russian",
        "preview": "View the film page as the public will see it",
    },
    "ru": {
        "title": "Интервью с вернувшимся мигрантом",
        "warning": "ни одна его версия пока не воспроизводится",
        "upload": "Загрузить видеофайл",
        "header": "Администрирование Медиатеки",
        "ready": "Видео готово.",
        "see": "Открыть страницу фильма",
        "captions": "Добавить субтитры",
        "saved": "Субтитры сохранены.",
        "russian": "русский",
        "preview": "Открыть страницу фильма так, как её увидят посетители",
    },
}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_editor_creates_a_film_uploads_from_its_page_and_adds_captions(browser, tmp_path, language):
    """The editor's journey: a new film, its upload in two stages, "ready", the public page, captions."""
    source = make_clip(tmp_path / "interview.mp4", seconds=2)
    (tmp_path / "interview.ru.srt").write_text(SRT, encoding="cp1251")
    with running_site(tmp_path / "data", quick_ladder=True) as site:
        said = EDITOR_SEES[language]
        context = browser.new_context(locale=language)
        context.add_cookies([{"name": "sessionid", "value": site.session, "url": site.url}])
        page = context.new_page()
        page.goto(f"{site.url}/admin/catalogue/film/add/")
        # Catalogue text is written in English first (the slug is made from it as it is typed).
        page.fill("#id_title_en", EDITOR_SEES["en"]["title"])
        page.fill(f"#id_title_{language}", said["title"])
        page.select_option("#id_status", "published")
        page.click("input[name=_continue]")
        expect(page.locator(".messagelist")).to_contain_text(said["warning"])

        page.get_by_role("link", name=said["upload"]).click()
        expect(page.locator("#site-name")).to_have_text(said["header"])
        expect(page.locator(".breadcrumbs")).to_contain_text(said["title"])
        page.set_input_files("#file", str(source))
        page.click("#upload-form button[type=submit]")
        expect(page.locator("#upload-form button[type=submit]")).to_be_disabled()
        expect(page.locator("#upload-progress")).to_have_attribute("value", "100", timeout=30_000)
        assert page.locator("#encode-progress").get_attribute("value") != "100"
        worker = mediateka(site.env, "worker", "--batch", timeout=300)
        assert worker.returncode == 0, worker.stderr[-3000:]
        expect(page.locator("#upload-status")).to_have_text(said["ready"], timeout=30_000)
        expect(page.locator("#encode-progress")).to_have_attribute("value", "100")
        expect(page.locator("#upload-form button[type=submit]")).to_be_enabled()
        see = page.get_by_role("link", name=said["see"], exact=True)
        expect(see).to_have_attribute("href", re.compile(r"/films/interview-with-a-returning-migrant/$"))

        page.get_by_role("link", name=said["captions"]).click()
        page.select_option("#id_language", "ru")
        page.set_input_files("#id_upload", str(tmp_path / "interview.ru.srt"))
        page.click("input[name=_save]")
        expect(page.locator(".messagelist")).to_contain_text(said["saved"])
        expect(page.locator(".field-captions")).to_contain_text(said["russian"])

        page.get_by_role("link", name=said["preview"]).click()
        expect(page.locator("video")).to_have_count(1)
        expect(page.locator("track[srclang=ru]")).to_have_count(1)
        context.close()
