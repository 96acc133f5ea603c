"""Saving a film for offline viewing on a 1 Mbit/s link: Chromium throttled, the film page's own save.

Set-up, in a temporary data dir: `mediateka demo --no-samples`, then one film given a version that
plays: a 5-minute 640x360 clip (ffmpeg's testsrc2 and a tone) encoded with the full ladder, published
as the pipeline does; the production server (`mediateka run`, gunicorn) serves it.

Printed: for each rung the save chooser offers, the bytes a save stores per minute of film (the
sizes the film page shows, from the real files). Then, for 144p and 360p, a fresh browser context on
a link throttled to OFFLINE_SAVE_KBITS (1000) kbit/s with OFFLINE_SAVE_LATENCY_MS (100) ms opens the
film page, presses "Save for offline" and times the save to its end (the page's own clock). As the
baseline of the same run, the same context first downloads the film's small MP4 (the 144p rung as one
file, "Send to a phone") on the same link; the ratio is save time / that download's time, and the
save's time against the bytes' time at the nominal rate shows what the per-file requests cost.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

KBITS = float(os.environ.get("OFFLINE_SAVE_KBITS", "1000"))
LATENCY_MS = float(os.environ.get("OFFLINE_SAVE_LATENCY_MS", "100"))
SECONDS = int(os.environ.get("OFFLINE_SAVE_SECONDS", "300"))
ROOT = Path(__file__).resolve().parents[1]
FILM = "were-going-to-moscow"
RUNGS = ["144p", "360p"]

PUBLISH = """
import os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediateka.settings")
import django; django.setup()
from pathlib import Path
from mediateka.catalogue.models import Film
from mediateka.video.ladder import plan_rungs
from mediateka.video.ladder_run import run_ladder
from mediateka.video.probe import probe
from tests.media import EncodedFilm, playable_copy
from tests.video.clips import make_clip
folder = Path({folder!r})
folder.mkdir()
source = make_clip(folder / "film.mp4", seconds={seconds}, width=640, height=360)
found = probe(source)
result = run_ladder(source, folder / "encoded", found, rungs=plan_rungs(found), preset="medium")
film = Film.objects.get(slug={film!r})
film.videos.all().delete()
playable_copy(EncodedFilm(source=source, probed=found, result=result), film, "tg")
print(", ".join(rung.rung.name for rung in result.rungs))
"""

SAVE = """(rung) => new Promise((resolve, reject) => {
  const root = document.querySelector('[data-save]');
  const started = performance.now();
  root.querySelector('[data-save-open]').click();
  root.querySelector(`input[name="rung-tg"][value="${rung}"]`).checked = true;
  root.querySelector('#save-form button[type=submit]').click();
  const check = setInterval(() => {
    if (root.dataset.state === 'complete') { clearInterval(check); resolve(performance.now() - started); }
    if (root.dataset.state === 'partial') { clearInterval(check); reject(new Error(root.textContent)); }
  }, 50);
})"""

DOWNLOAD = """async (url) => {
  const started = performance.now();
  const size = (await (await fetch(url, {cache: 'no-store'})).blob()).size;
  return [performance.now() - started, size];
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise SystemExit("bench.offline_save needs Chromium (apt-get install chromium).")
    return found


def _serve(data_dir: Path) -> tuple[subprocess.Popen, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    env.update(MEDIATEKA_DATA_DIR=str(data_dir), LOG_LEVEL="WARNING", MEDIATEKA_ACCESS_LOG="false")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    subprocess.run([sys.executable, "-m", "mediateka", "demo", "--no-samples"], env=env, check=True)
    made = subprocess.run(
        [sys.executable, "-c", PUBLISH.format(folder=str(data_dir / "clip"), film=FILM, seconds=SECONDS)],
        env=env,
        capture_output=True,
        text=True,
    )
    if made.returncode:
        raise RuntimeError(made.stderr[-3000:])
    print(f"film: {SECONDS} s, 640x360, rungs {made.stdout.strip()}")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mediateka", "run", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/en/", timeout=2)  # noqa: S310 - our own loopback server
            return server, url
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start") from None
            time.sleep(0.3)


def _throttled(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    conditions = {"offline": False, "latency": LATENCY_MS, "downloadThroughput": KBITS * 1000 / 8}
    cdp.send("Network.emulateNetworkConditions", {**conditions, "uploadThroughput": KBITS * 1000 / 8})
    return context, page


def _save(browser, url: str, rung: str) -> tuple[float, int, float, int]:
    """(save seconds, bytes the page said, small-MP4 download seconds, its bytes), in one fresh context."""
    context, page = _throttled(browser)
    try:
        page.goto(f"{url}/tg/films/{FILM}/", timeout=120_000)
        small = page.evaluate("JSON.parse(document.getElementById('player-data').textContent).tg.small")
        base_ms, base_bytes = page.evaluate(DOWNLOAD, small)
        size = int(page.get_attribute(f"input[name=rung-tg][value='{rung}']", "data-bytes"))
        saved_ms = page.evaluate(SAVE, rung)
        return saved_ms / 1000, size, base_ms / 1000, base_bytes
    finally:
        context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="mediateka-offline-save-") as tmp:
        server, url = _serve(Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
                page = browser.new_page()
                page.goto(f"{url}/tg/films/{FILM}/", timeout=120_000)  # unmeasured: the first render
                offered = {
                    box.get_attribute("value"): int(box.get_attribute("data-bytes"))
                    for box in page.query_selector_all("input[name=rung-tg]")
                }
                page.close()
                runs = {rung: _save(browser, url, rung) for rung in RUNGS}
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    minutes = SECONDS / 60
    print("bytes a save stores per minute of film (playlist, init, segments, captions, poster):")
    for rung, size in offered.items():
        print(f"  {rung:6} {size / minutes / 1e6:6.2f} MB/min   ({size / 1e6:.2f} MB for {minutes:g} min)")
    print(f"link: {KBITS:g} kbit/s, {LATENCY_MS:g} ms latency; one cold run per rung")
    for rung, (seconds, size, base_s, base_bytes) in runs.items():
        nominal = size * 8 / (KBITS * 1000)
        print(
            f"  save {rung:5} {size / 1e6:6.2f} MB in {seconds:6.1f} s ({seconds / nominal:.2f}x its bytes "
            f"at the nominal rate; {seconds / base_s:.2f}x the small MP4's download, "
            f"{base_bytes / 1e6:.2f} MB in {base_s:.1f} s)"
        )


if __name__ == "__main__":
    main()
