"""An editor uploads a file on the upload page; the page follows the server's check of it to the end."""

import re

import pytest
from playwright.sync_api import expect

from tests.live import mediateka
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
        page.set_input_files("#file", str(notes))
        page.click("button[type=submit]")
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
        # The refusal leaves its reason and nothing else: no version, no file.
        assert [state for (state,) in query(site.env, "SELECT state FROM video_upload")] == ["refused"]
        assert query(site.env, "SELECT count(*) FROM video_video") == [(0,)]
        assert not list((tmp_path / "data" / "uploads").iterdir())
