"""A real server for the browser tests: `mediateka demo` then `mediateka run` (gunicorn) on a free port."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live import django_script, free_port, mediateka, process_env, wait_until_answering

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The player tests start playback from script; they mute the video as well.
    "--autoplay-policy=no-user-gesture-required",
]


def _chromium() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


# Every demo film gets a version playing the test run's encoded film (tests.media), where `mediateka
# demo` would make a sample clip for the worker to encode; tests/demo follows a sample clip through.
PLAYABLE_FILMS = """
from pathlib import Path
from mediateka.catalogue.models import Film
from tests.media import encode_once, playable_copy
encoded = encode_once(Path({folder!r}))
for film in Film.objects.order_by("pk"):
    playable_copy(encoded, film, "zxx")
"""


@pytest.fixture(scope="session")
def live_site(tmp_path_factory, encoded_film):
    tmp = tmp_path_factory.mktemp("site")
    env = process_env(tmp, quick_ladder=True)
    mediateka(env, "demo", "--no-samples", check=True)
    django_script(env, PLAYABLE_FILMS.format(folder=str(encoded_film.source.parent)))
    port = free_port()
    log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed in the teardown below
    server = subprocess.Popen(
        [sys.executable, "-m", "mediateka", "run", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_answering(url + "/en/", server, tmp / "server.log", seconds=60)
    yield {"url": url, "data_dir": tmp, "env": env}
    server.terminate()
    server.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is required in CI for the browser tests (apt-get install chromium).")
        pytest.skip("NOTICE: Chromium not found; browser tests skipped (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
